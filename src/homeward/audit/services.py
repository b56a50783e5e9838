from typing import Any

from django.db import models, transaction

from homeward.audit.models import AuditEvent


def record_event(
    *,
    actor: Any,
    organisation: Any,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit row; callers hold the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows are written inside the transaction of the change")
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "system",
        organisation=organisation,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
        reason=reason,
    )
