from django.db.models import QuerySet

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.audit.models import AuditEvent


def audit_events_visible_to(caller: Caller) -> QuerySet[AuditEvent]:
    if not caller.may(Permission.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation=caller.organisation).select_related("actor")
