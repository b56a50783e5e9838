from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from homeward.access.roles import permissions_table

DOC = settings.PROJECT_DIR / "docs" / "data-protection.md"
BEGIN, END = "<!-- permissions:begin -->", "<!-- permissions:end -->"


def rendered(document: str) -> str:
    with translation.override("en"):
        table = permissions_table()
    before, _, rest = document.partition(BEGIN)
    _, _, after = rest.partition(END)
    return f"{before}{BEGIN}\n{table}\n{END}{after}"


class Command(BaseCommand):
    help = (
        "Write the roles-and-permissions table (from access/roles.py) into docs/data-protection.md."
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
        self.stdout.write(f"{path}: permissions table written")
