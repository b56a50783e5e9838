from django.core.management.base import BaseCommand

from homeward.rights import retention
from homeward.rights.services import anonymise_expired


class Command(BaseCommand):
    help = (
        "End every retention period that has run out (rights/retention.py): anonymise expired "
        "registry records, delete expired sessions, tokens and sign-in attempts, clear old "
        "request text. All or nothing; audited; a second run does nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be ended, change nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        counts = anonymise_expired(dry_run=dry_run)
        verb = "would end" if dry_run else "ended"
        for key, count in counts.items():
            rule = retention.rule_named(key)
            self.stdout.write(f"{key}: {verb} {count} — {rule.record if rule else ''}")
        if not any(counts.values()):
            self.stdout.write("nothing has expired")
