"""A caseworker records a household's answer; a planner moves a guarantee along."""

import datetime

from homeward.people import services as people
from homeward.returns import services
from homeward.returns.models import Guarantee, Intention
from tests.clients import client_for

TEXTS = {"hy": "Դպրոցներ", "ru": "Школы", "en": "Schools in Armenian", "az": "Məktəblər"}


def test_a_caseworker_records_an_intention_from_the_household_page(alice):
    household = people.register_household(caller=alice)
    client = client_for(alice)
    detail = client.get(f"/households/{household.reference}/").content.decode()
    assert f"/returns/households/{household.reference}/intentions/" in detail
    response = client.post(
        f"/returns/households/{household.reference}/intentions/",
        {"intention": "return", "timing": "later", "conditions": ["school_armenian", "jobs"]},
    )
    assert response.status_code == 302
    record = Intention.objects.get(household=household)
    assert (record.intention, record.conditions) == ("return", ["school_armenian", "jobs"])
    page = client.get(response["Location"]).content.decode()
    assert "answer is recorded" in page


def test_an_unanswered_intention_is_named_in_the_error_summary(alice):
    household = people.register_household(caller=alice)
    page = client_for(alice).post(
        f"/returns/households/{household.reference}/intentions/", {"conditions": ["jobs"]}
    )
    assert page.status_code == 200
    assert 'class="error-summary"' in page.content.decode()
    assert not Intention.objects.exists()


def test_another_organisations_household_is_not_found(alice, charlie):
    household = people.register_household(caller=alice)
    response = client_for(charlie).get(f"/returns/households/{household.reference}/intentions/")
    assert response.status_code == 404


def test_a_planner_moves_a_guarantee_on_and_the_history_shows_it(bob):
    guarantee = services.add_guarantee(
        caller=bob,
        code="schools",
        group="cultural",
        texts=TEXTS,
        responsible_party="Ministry",
        answers=["school_armenian"],
        status_since=datetime.date(2026, 9, 1),
    )
    client = client_for(bob)
    response = client.post(
        "/returns/guarantees/schools/status/",
        {"status": "agreed", "changed_on": "2026-11-20", "note": "Signed in Geneva"},
    )
    assert response.status_code == 302
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.AGREED
    page = client.get("/returns/guarantees/").content.decode()
    assert "Signed in Geneva" in page and "Schools in Armenian" in page


def test_a_caseworker_reads_the_framework_but_may_not_change_it(alice, bob):
    services.add_guarantee(
        caller=bob,
        code="schools",
        group="cultural",
        texts=TEXTS,
        responsible_party="Ministry",
        answers=["school_armenian"],
    )
    client = client_for(alice)
    assert "Change its status" not in client.get("/returns/guarantees/").content.decode()
    assert client.get("/returns/guarantees/schools/status/").status_code == 403
