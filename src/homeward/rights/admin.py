from django.contrib import admin

from homeward.access.admin import ReadOnlyAdmin
from homeward.rights.models import Anonymisation, CorrectionRequest, ErasureRequest


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "organisation", "field", "status", "decided_at")
    list_filter = ("organisation", "status")
    exclude = ("value_asked", "statement")


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "organisation", "status", "retention_rule", "decided_at")
    list_filter = ("organisation", "status")
    exclude = ("statement",)


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyAdmin):
    list_display = ("at", "household", "person", "retention_rule", "erasure_request")
