import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.access.models import Organisation
from homeward.audit.chain import first_break
from homeward.audit.exports import EXPORT_COLUMNS, audit_rows
from homeward.audit.models import AuditChainHead, AuditEvent, events_in_order
from homeward.interop.spreadsheets import write_csv


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain (verify) or export an organisation's part of it (export)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="find any row edited, deleted, inserted or reordered")
        export = actions.add_parser("export", help="an organisation's audit rows as CSV")
        export.add_argument("--organisation", required=True, help="organisation slug")
        export.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            return self.verify()
        return self.export(options["organisation"], options.get("output"))

    def verify(self):
        head = AuditChainHead.objects.filter(pk=1).first()
        events = events_in_order()
        problem = first_break(events, head.sequence if head else 0, head.hash if head else "0" * 64)
        if problem is not None:
            raise CommandError(f"audit chain broken at {problem}")
        self.stdout.write(f"audit chain intact: {head.sequence if head else 0} rows")

    def export(self, slug: str, output: Path | None):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"no organisation {slug!r}")
        rows = audit_rows(AuditEvent.objects.filter(organisation=organisation))
        if output is None:
            write_csv(sys.stdout, EXPORT_COLUMNS, rows)
            return
        with output.open("w", newline="", encoding="utf-8") as handle:
            write_csv(handle, EXPORT_COLUMNS, rows)
        self.stderr.write(f"{output}: audit rows of {organisation.name}")
