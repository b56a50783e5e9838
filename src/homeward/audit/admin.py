from django.contrib import admin

from homeward.access.admin import ReadOnlyAdmin
from homeward.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "organisation", "action", "target_type", "target_id")
    list_filter = ("action", "organisation")
