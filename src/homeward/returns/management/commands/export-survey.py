from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.returns.forms_export import export_survey
from homeward.returns.survey import FORM_VERSION


class Command(BaseCommand):
    help = (
        "Write the intention survey as an XLSForm (Armenian, Russian, English) for ODK Collect "
        "and KoboToolbox."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True, help="survey.xlsx to write")

    def handle(self, *args, **options):
        output: Path = options["output"]
        if not output.resolve().parent.is_dir():
            raise CommandError(f"{output}: its directory does not exist")
        export_survey(output)
        self.stdout.write(f"{output}: the intention survey, form version {FORM_VERSION}")
