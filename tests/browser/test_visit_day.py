"""A visit home from request to a reconciled crossing day, in a real browser.

A caseworker records the request; the planner sets the capacity, plans and opens the manifest;
the authority of the area of return clears the travellers; on the day, the checkpoint checks
them out and in by typed reference and reports the convoy back; one traveller is missing, and
the planner sees the alert.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from homeward.access.caller import caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account
from homeward.access.sharing import approve_agreement, propose_agreement
from homeward.people import services as people
from homeward.places.models import Route, Settlement
from homeward.visits.models import Convoy, MissingTravellerAlert, Traveller
from tests.browser.conftest import sign_in
from tests.clients import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def operation(migration_service, alice, bob, gazetteer):
    authority = create_organisation(
        slug="return-authority", name="Return authority", kind=Organisation.Kind.HOME_AUTHORITY
    )
    accounts = {}
    for username, organisation, role in (
        ("clearance", authority, Role.CLEARANCE_OFFICER),
        ("checkpoint", migration_service, Role.CHECKPOINT_OFFICER),
        ("dpo", migration_service, Role.DATA_PROTECTION_OFFICER),
        ("dpo-authority", authority, Role.DATA_PROTECTION_OFFICER),
    ):
        membership = create_staff_account(
            username=username, password=PASSWORD, organisation=organisation, role=role
        )
        accounts[username] = caller_for(membership.user)
    today = timezone.localdate()
    agreement = propose_agreement(
        caller=accounts["dpo"],
        recipient=authority,
        purpose="visit_clearance",
        fields=["given_name", "family_name", "birth_year", "origin"],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )
    approve_agreement(caller=accounts["dpo-authority"], agreement=agreement)
    household = people.register_household(
        caller=alice,
        origin_settlement=Settlement.objects.get(slug="shushi"),
        phone="+374 91 234567",
    )
    for given, year in (("Siranush", "1948"), ("Karen", "1975")):
        people.add_person(
            caller=alice,
            household=household,
            given_name=given,
            family_name="Avetisyan",
            birth_date=year,
        )
    return household


def test_request_plan_clear_and_reconcile_a_crossing_day(live_server, chromium, operation):
    household = operation
    url = live_server.url
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    def as_user(username):
        page = chromium.new_page(locale="en-GB")
        page.set_default_timeout(20000)
        sign_in(page, url, username)
        return page

    # The caseworker records the request from the household's page.
    caseworker = as_user("alice")
    caseworker.goto(f"{url}/households/{household.reference}/")
    caseworker.get_by_role("link", name="Request a visit home").click()
    caseworker.get_by_label("Siranush Avetisyan (1948)").check()
    caseworker.get_by_label("Karen Avetisyan (1975)").check()
    caseworker.get_by_label("Visit or relocate graves").check()
    caseworker.fill("#id_earliest", tomorrow.isoformat())
    caseworker.select_option("#id_clearance_consent_method", "written")
    caseworker.get_by_role("button", name="Record the request").click()
    expect(caseworker.locator("h1 .reference")).to_contain_text("VR-")
    reference = caseworker.locator("h1 .reference").inner_text()

    # The planner sets the capacity, plans, and opens the manifest.
    planner = as_user("bob")
    planner.get_by_role("link", name="Convoy plan").click()
    planner.get_by_role("link", name="Set the capacity first").click()
    planner.fill("#id_start", tomorrow.isoformat())
    planner.fill("#id_days", "14")
    for day in range(7):
        planner.check(f"#id_weekdays_{day}")
    planner.fill("#id_checkpoint_people_per_day", "100")
    planner.fill("#id_convoys_per_day", "2")
    planner.fill("#id_seats_per_convoy", "40")
    planner.fill("#id_cargo_m3_per_convoy", "50")
    planner.fill("#id_meeting_point", "Goris, bus station")
    planner.fill("#id_departure_time", "06:30")
    lachin_road = Route.objects.get(slug="lachin-road")
    planner.check(f"input[name=routes][value='{lachin_road.pk}']")
    planner.get_by_role("button", name="Save").click()
    planner.get_by_role("button", name="Plan the convoys").click()
    expect(planner.locator(".job-status")).to_contain_text("Done")
    expect(planner.locator("main")).to_contain_text("Lower bound")
    convoy = Convoy.objects.get()
    planner.get_by_role("link", name="Manifests").click()
    planner.locator(f"a[href$='/manifests/{convoy.pk}/']").first.click()
    expect(planner.locator("main")).to_contain_text("Siranush")
    assert planner.locator("link[href*='print.css']").count() == 1

    # The authority clears both travellers, seeing name, birth year and destination only.
    authority = as_user("clearance")
    authority.goto(f"{url}/visits/clearance/convoys/{convoy.pk}/")
    expect(authority.locator("main")).to_contain_text("Avetisyan")
    expect(authority.locator("main")).not_to_contain_text("234567")
    for traveller in Traveller.objects.order_by("pk"):
        row = authority.locator(f"#traveller-{traveller.pk}")
        row.locator("input[value=clear]").check()
        row.get_by_role("button", name="Record").click()
        expect(authority.locator(f"#traveller-{traveller.pk}")).to_contain_text("Cleared")

    # The crossing day comes: the convoy leaves today.
    Convoy.objects.filter(pk=convoy.pk).update(date=timezone.localdate())
    convoy.refresh_from_db()
    checkpoint = as_user("checkpoint")
    checkpoint.get_by_role("link", name="Checkpoint").click()
    checkpoint.fill("#code", reference.lower().replace("-", ""))
    checkpoint.press("#code", "Enter")
    checkpoint.get_by_role("button", name="Check out everyone cleared").click()
    checkpoint.fill("#code", reference)
    checkpoint.press("#code", "Enter")
    karen = Traveller.objects.get(person__given_name="Karen")
    checkpoint.locator(
        f"form:has(input[name=traveller][value='{karen.pk}']) button"
    ).click()  # Karen is back; Siranush is not
    checkpoint.get_by_role("button", name="Convoy is back").click()

    alert = MissingTravellerAlert.objects.get()
    assert alert.traveller.person.given_name == "Siranush"
    planner.get_by_role("link", name="Travellers not back").click()
    expect(planner.locator("main")).to_contain_text(convoy.code)
    expect(planner.locator("main")).to_contain_text("Siranush")
