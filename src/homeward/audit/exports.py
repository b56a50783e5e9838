import json
from collections.abc import Iterator

from django.db.models import QuerySet

from homeward.audit.models import AuditEvent, events_in_order

EXPORT_COLUMNS = (
    "sequence",
    "at",
    "actor",
    "organisation",
    "action",
    "target_type",
    "target_id",
    "reason",
    "details",
    "hash",
)


def audit_rows(events: QuerySet[AuditEvent]) -> Iterator[list]:
    for event in events_in_order(events.select_related("organisation")):
        yield [
            event.sequence,
            event.at.isoformat(),
            event.actor_name,
            event.organisation.slug if event.organisation else "",
            event.action,
            event.target_type,
            event.target_id,
            event.reason,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
            event.hash,
        ]
