from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.access.caller import command_line_caller
from homeward.errors import InputRejected
from homeward.returns.imports import import_survey


class Command(BaseCommand):
    help = (
        "Import intention survey submissions exported from KoboToolbox or ODK Central (CSV or "
        "JSON). All or nothing; a submission already imported is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--user", default="", help="the account the import is made as")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            caller = command_line_caller(options["organisation"], options["user"])
            outcome = import_survey(caller=caller, path=path)
        except LookupError as error:
            raise CommandError(str(error)) from None
        except InputRejected as rejected:
            raise CommandError(str(rejected)) from None
        self.stdout.write(
            f"{path}: {outcome.created} submissions imported, "
            f"{outcome.already_imported} already imported before"
        )
