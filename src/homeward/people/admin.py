from django.contrib import admin

from homeward.access.admin import ReadOnlyAdmin
from homeward.people.models import Household, RegistrationImport


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "origin_settlement", "registered_on")
    list_filter = ("organisation",)
    search_fields = ("reference",)


@admin.register(RegistrationImport)
class RegistrationImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "organisation", "source", "file_name", "rows", "persons_created")
