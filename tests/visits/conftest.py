"""A family from Shushi asking to visit home, and the Migration Service's convoy capacity.

Shared by the visits tests: alice (caseworker) registered the family and records the
request; bob (planner) sets the capacity and plans.
"""

import datetime

import pytest
from django.utils import timezone

from homeward.people import services as people
from homeward.places.models import Route, Settlement
from homeward.visits import services
from homeward.visits.models import Convoy


@pytest.fixture
def shushi(gazetteer) -> Settlement:
    return Settlement.objects.get(slug="shushi")


@pytest.fixture
def family(alice, shushi):
    """The Avetisyans: a grandmother (born 1948, frail), her son and his daughter."""
    household = people.register_household(
        caller=alice, origin_settlement=shushi, phone="+374 91 234567", host_address="Goris"
    )
    grandmother = people.add_person(
        caller=alice,
        household=household,
        given_name="Siranush",
        family_name="Avetisyan",
        sex="F",
        birth_date="1948-05-02",
        relation="head",
        vulnerabilities=["chronic_illness"],
    )
    son = people.add_person(
        caller=alice,
        household=household,
        given_name="Karen",
        family_name="Avetisyan",
        patronymic="Vardani",
        sex="M",
        birth_date="1975",
        relation="child",
    )
    granddaughter = people.add_person(
        caller=alice,
        household=household,
        given_name="Ani",
        family_name="Avetisyan",
        sex="F",
        birth_date="2004-09-11",
        relation="grandchild",
    )
    household.refresh_from_db()
    return household, [grandmother, son, granddaughter]


@pytest.fixture
def capacity(bob, gazetteer):
    return services.save_capacity(
        caller=bob,
        start=timezone.localdate(),
        days=28,
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        checkpoint_people_per_day=120,
        convoys_per_day=2,
        seats_per_convoy=50,
        cargo_m3_per_convoy=60,
        meeting_point="Goris, bus station",
        departure_time=datetime.time(6, 30),
        routes=list(Route.objects.filter(slug="lachin-road")),
    )


@pytest.fixture
def visit(alice, family, capacity):
    """The son and the granddaughter go to fetch belongings and move a grave."""
    household, (grandmother, son, granddaughter) = family
    return services.request_visit(
        caller=alice,
        household=household,
        travellers=[son, granddaughter],
        purposes=["belongings", "graves"],
        earliest=timezone.localdate() + datetime.timedelta(days=1),
        cargo_m3="1.5",
        clearance_consent_method="written",
    )


@pytest.fixture
def convoy_tomorrow(capacity, migration_service) -> Convoy:
    return Convoy.objects.create(
        organisation=migration_service,
        date=timezone.localdate() + datetime.timedelta(days=1),
        number=1,
        route=Route.objects.get(slug="lachin-road"),
    )
