"""The visit pages and API as a caseworker and a planner use them."""

import datetime

from django.utils import timezone

from homeward.jobs.models import Job
from homeward.visits.models import Capacity, VisitRequest
from tests.clients import client_for, token_client_for

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def test_a_caseworker_records_a_request_from_the_household(alice, family, capacity):
    household, (grandmother, son, granddaughter) = family
    client = client_for(alice)
    page = client.get(f"/visits/new/{household.reference}/")
    assert "Siranush" in page.content.decode()
    response = client.post(
        f"/visits/new/{household.reference}/",
        {
            "travellers": [grandmother.pk],
            "purposes": ["graves"],
            "destination": household.origin_settlement_id,
            "cargo_m3": "0.5",
            "earliest": TOMORROW.isoformat(),
            "language": "ru",
            "clearance_consent_method": "verbal",
        },
        follow=True,
    )
    visit = VisitRequest.objects.get()
    assert response.redirect_chain[-1][0] == f"/visits/requests/{visit.reference}/"
    text = response.content.decode()
    assert visit.reference in text and "Siranush" in text
    assert visit.priority == 3 and visit.language == "ru"
    assert "/visits/checkpoint/slips/" not in text  # no slip before a convoy


def test_a_bad_request_form_says_what_is_wrong(alice, family, capacity):
    household, persons = family
    response = client_for(alice).post(
        f"/visits/new/{household.reference}/",
        {
            "purposes": ["graves"],
            "earliest": TOMORROW.isoformat(),
            "cargo_m3": "-2",
            "language": "hy",
        },
    )
    assert response.status_code == 200
    assert not VisitRequest.objects.exists()
    assert "errorlist" in response.content.decode()


def test_a_planner_sets_capacity_plans_and_sees_cost_bound_and_gap(bob, visit, gazetteer):
    from homeward.places.models import Route

    client = client_for(bob)
    response = client.post(
        "/visits/capacity/",
        {
            "start": TOMORROW.isoformat(),
            "days": 20,
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "checkpoint_people_per_day": 100,
            "convoys_per_day": 1,
            "seats_per_convoy": 40,
            "cargo_m3_per_convoy": "45",
            "meeting_point": "Kornidzor reception centre",
            "departure_time": "07:00",
            "routes": [Route.objects.get(slug="lachin-road").pk],
        },
    )
    assert response.status_code == 302
    assert Capacity.objects.get().meeting_point == "Kornidzor reception centre"

    response = client.post("/visits/plan/", follow=True)
    job = Job.objects.get(kind="visits.plan")
    assert response.redirect_chain[-1][0] == f"/visits/plan/runs/{job.pk}/"
    text = response.content.decode()
    assert "Lower bound" in text and "Gap" in text
    visit.refresh_from_db()
    assert visit.status == VisitRequest.Status.PLANNED
    plan_page = client.get("/visits/plan/").content.decode()
    assert visit.convoy.code in plan_page
    assert f"/visits/checkpoint/manifests/{visit.convoy.pk}/" in plan_page


def test_the_api_records_a_request_and_runs_the_planner(alice, bob, family, capacity):
    household, (grandmother, son, granddaughter) = family
    response = token_client_for(alice).post(
        f"/api/v1/visits/households/{household.reference}/requests",
        {
            "travellers": [son.pk],
            "purposes": ["belongings"],
            "earliest": TOMORROW.isoformat(),
            "cargo_m3": 3,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]

    planner = token_client_for(bob)
    run = planner.post("/api/v1/visits/plans")
    assert run.status_code == 202
    result = planner.get(f"/api/v1/visits/plans/{run.json()['id']}").json()
    assert result["status"] == "done"
    assert result["result"]["served_requests"] == 1
    assert planner.get(f"/api/v1/visits/requests/{reference}").json()["convoy"] is not None


def test_a_negative_cargo_in_the_api_names_the_field(alice, family, capacity):
    household, persons = family
    response = token_client_for(alice).post(
        f"/api/v1/visits/households/{household.reference}/requests",
        {
            "travellers": [persons[0].pk],
            "purposes": ["belongings"],
            "earliest": TOMORROW.isoformat(),
            "cargo_m3": -1,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "cargo_m3" in response.content.decode()


def test_a_capacity_beyond_any_checkpoint_is_refused_by_the_form(bob, gazetteer):
    response = client_for(bob).post(
        "/visits/capacity/",
        {"start": TOMORROW.isoformat(), "days": 10, "checkpoint_people_per_day": 2**63},
    )
    assert response.status_code == 200
    assert not Capacity.objects.exists()


def test_listing_requests_in_the_api_takes_the_same_queries_for_many(
    alice, family, capacity, django_assert_max_num_queries
):
    from homeward.visits import services

    household, persons = family
    for _ in range(12):
        services.request_visit(
            caller=alice,
            household=household,
            travellers=persons,
            purposes=["belongings"],
            earliest=TOMORROW,
        )
    client = token_client_for(alice)
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/visits/requests")
    assert len(response.json()) == 12
    assert all(len(row["travellers"]) == 3 for row in response.json())
