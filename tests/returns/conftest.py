"""A survey to project: ten households of two settlements, and one guarantee on the table."""

import datetime

import pytest

from homeward.people import services as people
from homeward.places.models import Settlement
from homeward.returns import services

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
