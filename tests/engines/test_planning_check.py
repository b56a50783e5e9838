"""check_plan catches every broken rule, so the tests and the command can rely on it."""

from datetime import date, timedelta

import pytest

from homeward.engines.planning import (
    Capacity,
    Placement,
    Plan,
    PlanningInstance,
    VisitRequest,
    check_plan,
    plan_cost,
)

MONDAY = date(2026, 6, 1)
CAPACITY = Capacity(
    start=MONDAY,
    days=7,
    weekdays=frozenset({1, 2, 3, 4, 5}),
    checkpoint_people_per_day=10,
    convoys_per_day=2,
    seats_per_convoy=6,
    cargo_m3_per_convoy=5.0,
    routes={"north": ("aygestan",), "south": ("hin-shen",)},
)


def request(n, **overrides):
    values = dict(
        request_id=f"R{n}",
        household_id=f"H{n}",
        people=2,
        destination="aygestan",
        cargo_m3=1.0,
        earliest=MONDAY,
        latest=MONDAY + timedelta(days=6),
        priority=1,
    )
    values.update(overrides)
    return VisitRequest(**values)


def plan(placements, routes):
    return Plan(
        placements={r: Placement(d, k) for r, (d, k) in placements.items()},
        convoy_routes={Placement(d, k): route for (d, k), route in routes.items()},
    )


INSTANCE = PlanningInstance(
    capacity=CAPACITY,
    requests=(
        request(1),
        request(2, people=4, cargo_m3=4.5, priority=3),
        request(3, destination="hin-shen", earliest=MONDAY + timedelta(days=2)),
    ),
)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


def test_a_good_plan_passes_and_costs_what_people_wait():
    good = plan(
        {"R1": (TUESDAY, 1), "R2": (MONDAY, 1), "R3": (WEDNESDAY, 2)},
        {(TUESDAY, 1): "north", (MONDAY, 1): "north", (WEDNESDAY, 2): "south"},
    )
    assert check_plan(INSTANCE, good) == []
    assert plan_cost(INSTANCE, good) == 2 * 1 * 1  # R1: two people, one day late


def test_an_unserved_request_waits_until_thirty_days_after_the_horizon():
    nobody = plan({}, {})
    assert check_plan(INSTANCE, nobody) == []
    assert plan_cost(INSTANCE, nobody) == 2 * 36 + 4 * 10 * 36 + 2 * 34


@pytest.mark.parametrize(
    ("placements", "routes", "expected"),
    [
        (
            {"R1": (TUESDAY, 1), "R2": (TUESDAY, 1), "R9": (TUESDAY, 1)},
            {(TUESDAY, 1): "north"},
            "R9: not a request of this instance",
        ),
        (
            {"R2": (MONDAY, 1), "R1": (MONDAY, 1)},
            {(MONDAY, 1): "north"},
            "5.5 m³ of cargo for 5 m³",
        ),
        (
            {"R1": (MONDAY + timedelta(days=5), 1)},
            {(MONDAY + timedelta(days=5), 1): "north"},
            "closed on Saturdays",
        ),
        ({"R3": (MONDAY, 1)}, {(MONDAY, 1): "south"}, "outside its window"),
        ({"R1": (MONDAY, 3)}, {(MONDAY, 3): "north"}, "convoy number not between 1 and 2"),
        ({"R1": (MONDAY, 1)}, {}, "the convoy has no route"),
        (
            {"R1": (MONDAY, 1)},
            {(MONDAY, 1): "south"},
            "route south does not serve its destination aygestan",
        ),
        (
            {"R1": (MONDAY - timedelta(days=7), 1)},
            {(MONDAY - timedelta(days=7), 1): "north"},
            "outside the horizon",
        ),
    ],
)
def test_every_broken_rule_is_reported(placements, routes, expected):
    problems = check_plan(INSTANCE, plan(placements, routes))
    assert any(expected in problem for problem in problems), problems


def test_a_convoy_filled_to_the_last_seat_is_fine():
    full = plan(
        {"R1": (TUESDAY, 1), "R2": (TUESDAY, 2)}, {(TUESDAY, 1): "north", (TUESDAY, 2): "north"}
    )
    assert check_plan(INSTANCE, full) == []
    exactly = PlanningInstance(
        capacity=CAPACITY, requests=(request(1, people=4, cargo_m3=2.5), request(2, cargo_m3=2.5))
    )
    together = plan({"R1": (MONDAY, 1), "R2": (MONDAY, 1)}, {(MONDAY, 1): "north"})
    assert check_plan(exactly, together) == []  # 6 of 6 seats, 5 of 5 m³


def test_too_many_people_through_the_checkpoint_is_reported():
    crowded = PlanningInstance(
        capacity=CAPACITY,
        requests=tuple(request(n, people=3, cargo_m3=0) for n in range(4)),
    )
    broken = plan(
        {"R0": (MONDAY, 1), "R1": (MONDAY, 1), "R2": (MONDAY, 2), "R3": (MONDAY, 2)},
        {(MONDAY, 1): "north", (MONDAY, 2): "north"},
    )
    assert check_plan(crowded, broken) == [
        "2026-06-01: 12 people through the checkpoint, which processes 10 a day"
    ]


def test_too_many_seats_taken_is_reported():
    crowded = PlanningInstance(
        capacity=CAPACITY, requests=tuple(request(n, people=3, cargo_m3=0) for n in range(3))
    )
    broken = plan({"R0": (MONDAY, 1), "R1": (MONDAY, 1), "R2": (MONDAY, 1)}, {(MONDAY, 1): "north"})
    assert check_plan(crowded, broken) == ["convoy 2026-06-01/1: 9 people for 6 seats"]


def test_more_forensic_teams_on_a_day_than_available_is_reported():
    relocations = PlanningInstance(
        capacity=Capacity(**{**CAPACITY.__dict__, "forensic_teams_per_day": 1}),
        requests=(request(1, forensic_teams=1), request(2, forensic_teams=1), request(3)),
    )
    both_monday = plan(
        {"R1": (MONDAY, 1), "R2": (MONDAY, 1), "R3": (MONDAY, 1)}, {(MONDAY, 1): "north"}
    )
    assert check_plan(relocations, both_monday) == [
        "2026-06-01: forensic teams: 2 needed, 1 available"
    ]
    one_a_day = plan(
        {"R1": (MONDAY, 1), "R2": (TUESDAY, 1), "R3": (MONDAY, 1)},
        {(MONDAY, 1): "north", (TUESDAY, 1): "north"},
    )
    assert check_plan(relocations, one_a_day) == []


def test_a_relocation_without_any_forensic_team_is_reported():
    relocation = PlanningInstance(capacity=CAPACITY, requests=(request(1, forensic_teams=1),))
    served = plan({"R1": (MONDAY, 1)}, {(MONDAY, 1): "north"})
    assert check_plan(relocation, served) == ["2026-06-01: forensic teams: 1 needed, 0 available"]


def test_waiting_counts_from_the_horizon_and_windows_wholly_outside_cost_nothing():
    asked_before = request(
        1, earliest=MONDAY - timedelta(days=10), latest=MONDAY + timedelta(days=40)
    )
    after = request(2, earliest=MONDAY + timedelta(days=20), latest=MONDAY + timedelta(days=30))
    before = request(3, earliest=MONDAY - timedelta(days=20), latest=MONDAY - timedelta(days=1))
    instance = PlanningInstance(capacity=CAPACITY, requests=(asked_before, after, before))
    served = plan({"R1": (TUESDAY, 1)}, {(TUESDAY, 1): "north"})
    assert check_plan(instance, served) == []
    # Two people, one day after the horizon's start: the ten days before it are past for every
    # plan alike; R2 and R3 are no business of this horizon.
    assert plan_cost(instance, served) == 2 * 1 * 1
    assert plan_cost(instance, plan({}, {})) == 2 * 1 * 36
