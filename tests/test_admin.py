"""The admin holds reference data only: its reads are neither scoped nor audited."""

from django.contrib import admin
from django.contrib.auth.models import User

from tests.clients import verified_client

# What the admin may show: places, organisations and their staff accounts, import counts,
# and the machinery's own records (sign-in attempts, authenticator devices, job results).
REFERENCE = {
    "places.settlement",
    "places.route",
    "places.hostregion",
    "places.hostsite",
    "places.shelter",
    "access.organisation",
    "access.membership",
    "access.apitoken",
    "people.registrationimport",
    "auth.user",
    "auth.group",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",
    "django_tasks_database.dbtaskresult",
}


def test_the_admin_registers_reference_data_only():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered <= REFERENCE, registered - REFERENCE


def test_a_superuser_finds_no_household_request_or_audit_row_in_the_admin(alice, gazetteer):
    from homeward.people import services

    household = services.register_household(caller=alice)
    root = User.objects.create_superuser("root", "root@example.org", "a long enough password")
    client = verified_client(root)
    assert client.get("/admin/").status_code == 200
    index = client.get("/admin/").content.decode()
    assert "Households" not in index and "Audit events" not in index
    for path in (
        "/admin/people/household/",
        f"/admin/people/household/{household.pk}/change/",
        "/admin/people/person/",
        "/admin/rights/correctionrequest/",
        "/admin/rights/erasurerequest/",
        "/admin/rights/anonymisation/",
        "/admin/audit/auditevent/",
    ):
        assert client.get(path).status_code == 404, path
