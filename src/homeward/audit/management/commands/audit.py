import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.access.models import Organisation
from homeward.audit.chain import GENESIS, Anchor, first_break
from homeward.audit.exports import EXPORT_COLUMNS, audit_rows
from homeward.audit.keys import audit_keys
from homeward.audit.models import AuditChainHead, AuditEvent, events_in_order
from homeward.interop.spreadsheets import write_csv


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain (verify), print its head to keep elsewhere (anchor), "
        "or export an organisation's part of it (export)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser(
            "verify", help="find any row edited, deleted, inserted or reordered"
        )
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="'SEQ HEX' or FILE",
            help="a head printed earlier by `audit anchor`, or a file of them, one a line; "
            "the log must still hold it unchanged (repeatable)",
        )
        actions.add_parser(
            "anchor",
            help="print the chain's head (sequence and hash) to store outside the database",
        )
        export = actions.add_parser("export", help="an organisation's audit rows as CSV")
        export.add_argument("--organisation", required=True, help="organisation slug")
        export.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            return self.verify(options["anchor"])
        if action == "anchor":
            return self.anchor()
        return self.export(options["organisation"], options.get("output"))

    def verify(self, anchor_arguments: list[str]):
        anchors = [anchor for value in anchor_arguments for anchor in read_anchors(value)]
        head = AuditChainHead.objects.filter(pk=1).first()
        problem = first_break(
            events_in_order(),
            head.sequence if head else 0,
            head.hash if head else GENESIS,
            keys=audit_keys(),
            anchors=anchors,
        )
        if problem is not None:
            raise CommandError(f"audit chain broken at {problem}")
        checked = f"; matches {len(anchors)} anchor(s)" if anchors else ""
        self.stdout.write(f"audit chain intact: {head.sequence if head else 0} rows{checked}")

    def anchor(self):
        # The head row is what every write locks; reading it gives a consistent pair.
        head = AuditChainHead.objects.filter(pk=1).first()
        self.stdout.write(str(Anchor(head.sequence, head.hash) if head else Anchor(0, GENESIS)))

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


def read_anchors(value: str) -> list[Anchor]:
    """ "SEQ HEX" itself, or a file holding such lines (blank lines and # comments skipped)."""
    try:
        return [Anchor.parse(value)]
    except ValueError:
        pass
    path = Path(value)
    if not path.is_file():
        raise CommandError(f"--anchor {value!r} is neither 'SEQ HEX' nor a file")
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            anchors.append(Anchor.parse(line))
        except ValueError as error:
            raise CommandError(f"{path}, line {number}: {error}") from None
    if not anchors:
        raise CommandError(f"{path} holds no anchor")
    return anchors
