"""The admin is a read-only window: writes go through services so that each is audited.

Above all it grants no role: a membership is made only by `create_staff_account` (and the
`create-account` command), which refuse a role the organisation's kind may not hold
(access/roles.py, KIND_ROLES), and an organisation's kind is not changed here either. Should a
form ever be opened here, `Membership.clean` and `Organisation.clean` refuse the same.
"""

from django.contrib import admin

from homeward.access.models import ApiToken, Membership, Organisation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "kind")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)
