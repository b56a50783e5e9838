from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.errors import InputRejected
from homeward.places.gazetteer_files import DATA_DIR
from homeward.places.services import load_gazetteer


class Command(BaseCommand):
    help = "Load (or update) settlements, routes, host regions, host sites and shelters from data files."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args, data_dir: Path, **options):
        try:
            counts = load_gazetteer(data_dir=data_dir)
        except InputRejected as error:
            raise CommandError(str(error)) from None
        self.stdout.write(", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()))
