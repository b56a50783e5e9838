from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from homeward.access.caller import command_line_caller
from homeward.errors import InputRejected
from homeward.interop.spreadsheets import read_table
from homeward.people.imports import import_registrations, write_rejects


class Command(BaseCommand):
    help = (
        "Import registrations from a CSV or XLSX file (columns: source, record_id, given_name, "
        "family_name, patronymic, sex, birth_date, origin, phone; optional household_ref, shelter, "
        "host_site, relation, vulnerabilities, registered_on). All rows or none, unless "
        "--skip-invalid; running the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="the registering body's name, as in the file"
        )
        parser.add_argument(
            "--organisation", help="slug of the registering organisation (default: the source)"
        )
        parser.add_argument(
            "--user", default="", help="account the import is made by (default: system)"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the valid rows and put the others in a rejects file",
        )
        parser.add_argument(
            "--rejects", type=Path, help="where --skip-invalid writes rejected rows"
        )

    def handle(
        self,
        *args,
        file: Path,
        source: str,
        organisation: str | None,
        user: str,
        skip_invalid: bool,
        rejects: Path | None,
        **options,
    ):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            caller = command_line_caller(organisation or source, user)
        except LookupError as error:
            raise CommandError(str(error)) from None
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, disable=options["verbosity"] == 0) as bar:
            task = bar.add_task(f"Checking {file.name}", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                # Problems are reported in the operator's default language, not a leftover one.
                with translation.override(settings.LANGUAGE_CODE):
                    outcome = import_registrations(
                        caller=caller,
                        path=file,
                        source=source,
                        skip_invalid=skip_invalid,
                        progress=progress,
                    )
            except InputRejected as error:
                raise CommandError(str(error)) from None
        if outcome.rejected:
            rejects = rejects or file.with_name(f"{file.stem}.rejects.csv")
            write_rejects(rejects, read_table(file).header, outcome)
        self.stdout.write(
            f"{file.name}: {outcome.rows} rows; {outcome.persons_created} persons and "
            f"{outcome.households_created} households created; {outcome.rows_unchanged} already imported"
            + (
                f"; {outcome.unresolved_origins} origins not in the gazetteer (kept as written)"
                if outcome.unresolved_origins
                else ""
            )
            + (f"; {outcome.rows_rejected} rejected, see {rejects}" if outcome.rejected else "")
        )
