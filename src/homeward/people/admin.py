from django.contrib import admin

from homeward.access.admin import ReadOnlyAdmin
from homeward.people.models import RegistrationImport

# Households and persons are not in the admin: it holds reference data only
# (docs/data-protection.md), and its reads are neither scoped to an organisation nor audited.
# They are read in the registry's pages and the API, which are both.


@admin.register(RegistrationImport)
class RegistrationImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "organisation", "source", "file_name", "rows", "persons_created")
