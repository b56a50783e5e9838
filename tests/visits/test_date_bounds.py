"""Visit windows and capacity dates lie within a few years of today: a date in 2099 (or
9999-12-31, which has no next day) is a field error, never a server error."""

import datetime

import pytest
from django.utils import timezone

from homeward.visits.models import Capacity, VisitRequest
from tests.clients import token_client_for


def far(years: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=366 * years)).isoformat()


@pytest.mark.parametrize(
    ("earliest", "latest", "field"),
    [
        (far(4), None, "earliest"),
        ("9999-12-31", None, "earliest"),
        (far(0), far(4), "latest"),
        (far(-4), None, "earliest"),
    ],
)
def test_a_visit_window_years_away_is_refused(alice, family, capacity, earliest, latest, field):
    household, (_grandmother, son, _granddaughter) = family
    response = token_client_for(alice).post(
        f"/api/v1/visits/households/{household.reference}/requests",
        {
            "travellers": [son.pk],
            "purposes": ["belongings"],
            "earliest": earliest,
            "latest": latest,
            "clearance_consent_method": "written",
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert [item["field"] for item in response.json()["detail"]] == [field]
    assert not VisitRequest.objects.exists()


def test_a_window_within_the_coming_months_is_accepted(alice, family, capacity):
    household, (_grandmother, son, _granddaughter) = family
    response = token_client_for(alice).post(
        f"/api/v1/visits/households/{household.reference}/requests",
        {"travellers": [son.pk], "purposes": ["graves"], "earliest": far(0), "latest": far(1)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("start", [far(4), "9999-12-31", far(-4)])
def test_capacity_starting_years_away_is_refused(bob, gazetteer, start):
    response = token_client_for(bob).put(
        "/api/v1/visits/capacity",
        {
            "start": start,
            "days": 30,
            "weekdays": [1, 2, 3],
            "checkpoint_people_per_day": 100,
            "convoys_per_day": 2,
            "seats_per_convoy": 40,
            "cargo_m3_per_convoy": 50,
            "meeting_point": "Goris",
            "departure_time": "06:30",
            "routes": ["lachin-road"],
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert [item["field"] for item in response.json()["detail"]] == ["start"]
    assert not Capacity.objects.exists()
