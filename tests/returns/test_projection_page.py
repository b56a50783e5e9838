"""The negotiator's what-if page: tick a guarantee, see who would return."""

import datetime

import pytest

from homeward.access.caller import caller_for
from homeward.access.roles import Role
from homeward.access.services import create_staff_account
from homeward.people import services as people
from homeward.places.models import Settlement
from homeward.returns import services
from tests.clients import PASSWORD, client_for

TEXTS = {
    "hy": "Հայերեն դպրոցներ",
    "ru": "Школы на армянском",
    "en": "Armenian schools",
    "az": "Erməni məktəbləri",
}


@pytest.fixture
def survey(alice, bob, gazetteer):
    """Eight households of Shushi, six of them want schools; two of Martuni."""
    services.add_guarantee(
        caller=bob,
        code="schools",
        group="cultural",
        texts=TEXTS,
        responsible_party="Ministry",
        answers=["school_armenian"],
        status_since=datetime.date(2026, 9, 1),
    )
    shushi = Settlement.objects.get(slug="shushi")
    martuni = Settlement.objects.get(slug="martuni")
    for i in range(10):
        household = people.register_household(
            caller=alice, origin_settlement=shushi if i < 8 else martuni
        )
        for n in range(3):
            people.add_person(
                caller=alice, household=household, given_name=f"Ani{n}", family_name="Petrosyan"
            )
        services.record_intention(
            caller=alice,
            household=household,
            intention="return",
            conditions=["school_armenian"] if i < 6 or i >= 8 else [],
        )


def test_ticking_a_guarantee_changes_the_figures(alice, survey):
    client = client_for(alice)
    without = client.get("/returns/projection/")
    assert without.status_code == 200
    assert '<p class="big-figure" data-testid="would-return">6</p>' in without.content.decode()
    with_schools = client.get("/returns/projection/?given=schools", headers={"HX-Request": "true"})
    page = with_schools.content.decode()
    assert '<p class="big-figure" data-testid="would-return">30</p>' in page
    assert "<html" not in page  # htmx gets the figures only
    assert "Croatian Serbs" in without.content.decode()  # prior cases beside the figures


def test_the_page_names_what_one_more_guarantee_would_add(alice, survey):
    page = client_for(alice).get("/returns/projection/").content.decode()
    assert "If “Armenian schools” were also given: 24 more people." in page


def test_a_role_without_cases_sees_small_settlements_hidden(alice, survey, migration_service):
    membership = create_staff_account(
        username="rep",
        password=PASSWORD,
        organisation=migration_service,
        role=Role.COMMUNITY_REPRESENTATIVE,
    )
    page = client_for(caller_for(membership.user)).get("/returns/projection/?given=schools")
    text = page.content.decode()
    assert page.status_code == 200
    # Martuni has two households surveyed: hidden, and Shushi with it, or its figures would
    # be the total less the others.
    assert text.count('class="hidden-count"') == 2
    caseworker_page = client_for(alice).get("/returns/projection/?given=schools").content.decode()
    assert 'class="hidden-count"' not in caseworker_page


def test_the_checkpoint_may_not_see_projections(migration_service, survey):
    membership = create_staff_account(
        username="gate",
        password=PASSWORD,
        organisation=migration_service,
        role=Role.CHECKPOINT_OFFICER,
    )
    assert client_for(caller_for(membership.user)).get("/returns/projection/").status_code == 403
