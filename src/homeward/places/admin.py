from django.contrib import admin

from homeward.access.admin import ReadOnlyAdmin
from homeward.places.models import HostRegion, HostSite, Route, Settlement, Shelter


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("name_hy_latn", "name_hy", "name_az", "name_ru", "district", "population")
    search_fields = ("names__name",)


admin.site.register([Route, HostRegion, HostSite, Shelter], ReadOnlyAdmin)
