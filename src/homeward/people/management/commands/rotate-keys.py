from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from homeward.audit.services import record_event
from homeward.encryption import EncryptedTextField, current_key_id, lookup_hash
from homeward.engines.linkage import PhoneError, normalise_phone
from homeward.people.models import Household

PAGE = 1000


class Command(BaseCommand):
    help = (
        "Re-seal every encrypted field under the current key (the first of HOMEWARD_FIELD_KEYS), "
        "and with --lookup recompute the phone look-up hashes under HOMEWARD_LOOKUP_KEY. Put the "
        "new key first and keep the old one listed until this has run; then remove the old one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lookup", action="store_true", help="also recompute phone look-up hashes"
        )

    def handle(self, *args, lookup: bool, **options):
        resealed = 0
        for model in apps.get_models():
            fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if fields:
                resealed += self.reseal(model, fields)
        rehashed = self.rehash_phones() if lookup else 0
        with transaction.atomic():
            record_event(
                actor=None,
                organisation=None,
                action="protection.keys.rotate",
                details={"key": current_key_id(), "rows": resealed, "lookups": rehashed},
            )
        self.stdout.write(
            f"{resealed} rows re-sealed under key {current_key_id()!r}"
            + (f"; {rehashed} phone look-ups recomputed" if lookup else "")
        )

    def reseal(self, model, fields: list[str]) -> int:
        count, last = 0, 0
        while True:
            with transaction.atomic():
                # Reading opens each value (under whichever listed key sealed it); saving seals
                # it again under the current key.
                rows = list(
                    model.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:PAGE]
                )
                for row in rows:
                    row.save(update_fields=fields)
            if not rows:
                return count
            count += len(rows)
            last = rows[-1].pk

    def rehash_phones(self) -> int:
        count = 0
        with transaction.atomic():
            for household in list(Household.objects.exclude(phone_lookup="").only("pk", "phone")):
                try:
                    value = lookup_hash(normalise_phone(household.phone))
                except PhoneError:
                    value = ""
                Household.objects.filter(pk=household.pk).update(phone_lookup=value)
                count += 1
        return count
