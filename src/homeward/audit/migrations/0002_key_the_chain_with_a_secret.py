"""Re-key the audit chain: from plain SHA-256 to an HMAC under HOMEWARD_AUDIT_KEYS.

The existing chain is verified under the old, unkeyed hash first; re-keying a chain that is
already broken would launder the tampering, so the migration stops and names the bad row
instead (investigate, then restore the log from a backup). Every row's hash changes, so an
anchor taken before this migration no longer matches: take a new one right after it.
"""

import datetime
import hashlib
import hmac
import json

from django.db import migrations, models

GENESIS = "0" * 64
PAGE = 2000


def _canonical(event) -> bytes:
    # The field list and form of homeward.audit.chain.row_hash, frozen here.
    return json.dumps(
        [
            event.previous_hash,
            event.sequence,
            event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            event.actor_id,
            event.actor_name,
            event.organisation_id,
            event.action,
            event.target_type,
            event.target_id,
            event.reason,
            event.details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _unkeyed(event) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _rehash(apps, *, old_hash, new_hash, new_key_id: str) -> None:
    """Check every row under the old hash, then rewrite the chain under the new one."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    old_previous, new_previous = GENESIS, GENESIS
    expected, last = 1, 0
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence")[:PAGE])
        if not batch:
            break
        for event in batch:
            if (
                event.sequence != expected
                or event.previous_hash != old_previous
                or old_hash(event) != event.hash
            ):
                raise RuntimeError(
                    f"The audit chain is already broken at row {expected}; it is not re-keyed, "
                    "as that would hide the break. Run `homeward audit verify` on the previous "
                    "release to see it, and restore the log from a backup."
                )
            old_previous = event.hash
            event.previous_hash = new_previous
            event.key_id = new_key_id
            event.hash = new_hash(event)
            new_previous = event.hash
            expected += 1
        # (A new hash equal to another row's old one, against the unique index, would take a
        # SHA-256 collision.)
        AuditEvent.objects.bulk_update(batch, ["previous_hash", "key_id", "hash"])
        last = batch[-1].sequence
    if head is not None:
        if head.sequence != expected - 1 or head.hash != old_previous:
            raise RuntimeError(
                f"The audit chain ends at row {expected - 1} but its head says {head.sequence}: "
                "rows were removed from the end. It is not re-keyed; restore it from a backup."
            )
        head.hash = new_previous
        head.save(update_fields=["hash"])


def key_the_chain(apps, schema_editor):
    from homeward.audit.keys import current_audit_key

    key_id, key = current_audit_key()
    _rehash(
        apps,
        old_hash=_unkeyed,
        new_hash=lambda event: hmac.new(key, _canonical(event), hashlib.sha256).hexdigest(),
        new_key_id=key_id,
    )


def unkey_the_chain(apps, schema_editor):
    from homeward.audit.keys import audit_keys

    keys = dict(audit_keys())

    def keyed(event) -> str:
        if event.key_id not in keys:
            return ""  # reported as a break
        return hmac.new(keys[event.key_id], _canonical(event), hashlib.sha256).hexdigest()

    _rehash(apps, old_hash=keyed, new_hash=_unkeyed, new_key_id="")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(key_the_chain, unkey_the_chain, elidable=False),
    ]
