from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from homeward.access.roles import kinds_table, permissions_table

DOC = settings.PROJECT_DIR / "docs" / "data-protection.md"
BEGIN, END = "<!-- permissions:begin -->", "<!-- permissions:end -->"


def _retention_table() -> str:
    from homeward.rights.retention import retention_table

    return retention_table()


# Each generated table of the document: its markers and what fills them.
SECTIONS: list[tuple[str, str, Callable[[], str]]] = [
    (BEGIN, END, permissions_table),
    ("<!-- kinds:begin -->", "<!-- kinds:end -->", kinds_table),
    ("<!-- retention:begin -->", "<!-- retention:end -->", _retention_table),
]


def rendered(document: str) -> str:
    for begin, end, table in SECTIONS:
        if begin not in document or end not in document:
            raise ValueError(f"the document lacks the markers {begin} … {end}")
        with translation.override("en"):
            text = table()
        before, _, rest = document.partition(begin)
        _, _, after = rest.partition(end)
        document = f"{before}{begin}\n{text}\n{end}{after}"
    return document


class Command(BaseCommand):
    help = (
        "Write the roles-and-permissions table and the roles each kind of organisation may hold "
        "(from access/roles.py) and the retention periods "
        "(from rights/retention.py) into docs/data-protection.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="fail if the document is out of date"
        )

    def handle(self, *args, check: bool, **options):
        path = Path(DOC)
        document = path.read_text(encoding="utf-8")
        updated = rendered(document)
        if check:
            if updated != document:
                raise SystemExit(f"{path} is out of date: run `homeward render-permissions`")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"{path}: permissions, kinds and retention tables written")
