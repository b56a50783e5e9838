"""The synthetic planning instance looks like the demand planners would face."""

from collections import Counter
from statistics import mean

import pytest

from homeward.engines.planning import generate_instance, instance_problems


@pytest.fixture(scope="module")
def instance():
    return generate_instance(requests=6000, days=90, seed=3)


def test_households_are_one_to_eight_people_about_three_and_a_half_on_average(instance):
    sizes = [q.people for q in instance.requests]
    assert min(sizes) == 1 and max(sizes) == 8
    assert 3.2 < mean(sizes) < 3.8


def test_cargo_grows_with_the_household(instance):
    small = mean(q.cargo_m3 for q in instance.requests if q.people <= 2)
    large = mean(q.cargo_m3 for q in instance.requests if q.people >= 6)
    assert large > 2.5 * small
    per_person = sum(q.cargo_m3 for q in instance.requests) / sum(
        q.people for q in instance.requests
    )
    assert 1.0 < per_person < 1.2


def test_about_a_quarter_are_priority_two_and_a_seventh_priority_three(instance):
    shares = Counter(q.priority for q in instance.requests)
    assert 0.22 < shares[2] / len(instance.requests) < 0.28
    assert 0.12 < shares[3] / len(instance.requests) < 0.18


def test_windows_last_two_to_eight_weeks_unless_the_horizon_ends_first(instance):
    end = instance.capacity.end
    lengths = [(q.latest - q.earliest).days + 1 for q in instance.requests if q.latest < end]
    assert min(lengths) >= 14 and max(lengths) <= 56


def test_destinations_follow_population_over_about_ten_routes(instance):
    routes = instance.capacity.routes
    assert len(routes) == 10
    places = Counter(q.destination for q in instance.requests)
    assert places.most_common(1)[0][0] == "city"
    assert 0.3 < places["city"] / len(instance.requests) < 0.5
    assert sum(1 for stops in routes.values() if "city" in stops) == 2


def test_demand_exceeds_capacity_moderately(instance):
    capacity = instance.capacity
    people = sum(q.people for q in instance.requests)
    room = capacity.checkpoint_people_per_day * len(capacity.open_dates())
    assert 1.0 < people / room < 1.3
    assert (
        capacity.convoys_per_day * capacity.seats_per_convoy >= capacity.checkpoint_people_per_day
    )


def test_a_seed_always_gives_the_same_valid_instance():
    first = generate_instance(requests=500, days=30, seed=9)
    assert first == generate_instance(requests=500, days=30, seed=9)
    assert first != generate_instance(requests=500, days=30, seed=10)
    assert instance_problems(first) == []
