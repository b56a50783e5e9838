"""The negotiator's what-if page: tick a guarantee, see who would return."""

from homeward.access.caller import caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account
from tests.clients import PASSWORD, client_for


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


def test_a_role_without_cases_sees_small_settlements_hidden(alice, survey):
    council = create_organisation(
        slug="council", name="Community council", kind=Organisation.Kind.COMMUNITY
    )
    membership = create_staff_account(
        username="rep", password=PASSWORD, organisation=council, role=Role.COMMUNITY_REPRESENTATIVE
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
