from typing import Any

from django.db import models, transaction
from django.utils import timezone

from homeward.audit.chain import row_hash, timestamp
from homeward.audit.keys import current_audit_key
from homeward.audit.models import AuditChainHead, AuditEvent


def record_event(
    *,
    actor: Any,
    organisation: Any,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one row to the audit chain; callers hold the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows are written inside the transaction of the change")
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    key_id, key = current_audit_key()
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        sequence=head.sequence + 1,
        at=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user else "system",
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
        reason=reason,
        previous_hash=head.hash,
        key_id=key_id,
    )
    event.hash = row_hash(
        key=key,
        previous_hash=event.previous_hash,
        sequence=event.sequence,
        at=timestamp(event.at),
        actor_id=user.pk if user else None,
        actor_name=event.actor_name,
        organisation_id=organisation.pk if organisation is not None else None,
        action=action,
        target_type=event.target_type,
        target_id=event.target_id,
        reason=reason,
        details=event.details,
    )
    event.save(force_insert=True)
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event
