"""Windows that reach outside the planning horizon: families give windows that outlast a
planning round. The part inside is planned; a window wholly outside is left unplanned with
the reason while the rest plans; and the cost and the bound leave out what no plan of this
round can change, so the gap stays what it was."""

from dataclasses import replace
from datetime import date, timedelta
from random import Random

from homeward.engines.planning import (
    Capacity,
    PlanningInstance,
    VisitRequest,
    check_plan,
    plan_cost,
    plan_visits,
)

MONDAY = date(2026, 6, 1)
CAPACITY = Capacity(
    start=MONDAY,
    days=14,
    weekdays=frozenset({1, 2, 3, 4, 5}),
    checkpoint_people_per_day=20,
    convoys_per_day=2,
    seats_per_convoy=10,
    cargo_m3_per_convoy=12.0,
    routes={"north": ("aygestan", "mets-shen"), "south": ("hin-shen", "mets-shen")},
)
LAST_DAY = CAPACITY.end  # Sunday 14 June


def request(n: int, **overrides) -> VisitRequest:
    values = dict(
        request_id=f"R{n}",
        household_id=f"H{n}",
        people=3,
        destination="aygestan",
        cargo_m3=1.0,
        earliest=MONDAY,
        latest=LAST_DAY,
        priority=1,
    )
    values.update(overrides)
    return VisitRequest(**values)


def test_a_window_outlasting_the_horizon_is_planned_inside_it():
    outlasting = request(1, earliest=MONDAY + timedelta(days=9), latest=date(2026, 8, 31))
    instance = PlanningInstance(capacity=CAPACITY, requests=(outlasting,))
    outcome = plan_visits(instance, time_limit=10)
    placement = outcome.plan.placements["R1"]
    assert placement.date == MONDAY + timedelta(days=9)  # Wednesday, its first day
    assert check_plan(instance, outcome.plan) == []
    assert outcome.unservable == {}
    assert outcome.cost == 0
    assert outcome.bound <= outcome.cost


def test_a_window_opened_before_the_horizon_waits_from_its_start():
    # Asked since May: the days before the horizon are past for every plan, so the cost (and
    # the bound) count waiting from the horizon's first day.
    since_may = request(1, earliest=date(2026, 5, 4), latest=date(2026, 6, 30), priority=2)
    crowd = [request(n, people=10, priority=3, latest=MONDAY) for n in range(2, 4)]
    instance = PlanningInstance(capacity=CAPACITY, requests=(since_may, *crowd))
    outcome = plan_visits(instance, time_limit=10)
    assert outcome.plan.placements["R1"].date == MONDAY + timedelta(days=1)  # Monday was full
    assert outcome.cost == 3 * 3 * 1
    assert outcome.bound <= outcome.cost


def test_a_window_wholly_outside_is_unplanned_with_the_reason_and_the_rest_plans():
    after = request(1, earliest=date(2026, 6, 20), latest=date(2026, 7, 10))
    before = request(2, earliest=date(2026, 5, 1), latest=date(2026, 5, 29))
    inside = [request(n, destination="hin-shen") for n in range(3, 6)]
    instance = PlanningInstance(capacity=CAPACITY, requests=(after, before, *inside))
    outcome = plan_visits(instance, time_limit=10)
    assert set(outcome.plan.placements) == {"R3", "R4", "R5"}
    assert outcome.unservable == {
        "R1": "its window (2026-06-20 to 2026-07-10) starts after the horizon ends (2026-06-14)",
        "R2": "its window (2026-05-01 to 2026-05-29) ends before the horizon starts (2026-06-01)",
    }
    assert outcome.outside_horizon == ("R1", "R2")
    assert outcome.unserved_requests == 2
    # They cost nothing: the plan costs what the requests inside cost alone.
    alone = PlanningInstance(capacity=CAPACITY, requests=tuple(inside))
    assert outcome.cost == plan_cost(alone, outcome.plan) == 0
    assert outcome.bound <= outcome.cost


def clipped(instance: PlanningInstance) -> PlanningInstance:
    """The same instance with every window cut to the horizon and those wholly outside left
    out: what a planner given only this round's part would see."""
    cap = instance.capacity
    return PlanningInstance(
        capacity=cap,
        requests=tuple(
            replace(q, earliest=max(q.earliest, cap.start), latest=min(q.latest, cap.end))
            for q in instance.requests
            if q.earliest <= cap.end and q.latest >= cap.start
        ),
    )


def test_windows_reaching_outside_plan_cost_and_bound_as_their_part_inside():
    rng = Random(1206)
    stops = ["aygestan", "hin-shen", "mets-shen"]
    for _ in range(25):
        cap = replace(
            CAPACITY,
            days=rng.randint(3, 15),
            checkpoint_people_per_day=rng.randint(6, 25),
            convoys_per_day=rng.randint(1, 3),
        )
        requests = []
        for n in range(rng.randint(5, 40)):
            earliest = cap.start + timedelta(days=rng.randint(-20, cap.days + 5))
            latest = earliest + timedelta(days=rng.randint(0, 40))
            requests.append(
                request(
                    n,
                    people=rng.randint(1, 8),
                    destination=rng.choice(stops),
                    cargo_m3=rng.choice([0.0, 1.5, 4.0]),
                    earliest=earliest,
                    latest=latest,
                    priority=rng.choice([1, 1, 2, 3]),
                )
            )
        instance = PlanningInstance(capacity=cap, requests=tuple(requests))
        outcome = plan_visits(instance, time_limit=10, seed=2)
        assert check_plan(instance, outcome.plan) == []
        assert outcome.cost == plan_cost(instance, outcome.plan)
        assert outcome.bound <= outcome.cost
        for q in requests:
            if q.latest < cap.start or q.earliest > cap.end:
                assert q.request_id not in outcome.plan.placements
                assert "horizon" in outcome.unservable[q.request_id]
        # The same plan, cost and bound as for this round's part alone: nothing outside the
        # horizon pads the cost and the bound alike to make the gap look smaller.
        inside = clipped(instance)
        same = plan_visits(inside, time_limit=10, seed=2)
        assert same.plan == outcome.plan
        assert same.cost == outcome.cost
        assert abs(same.bound - outcome.bound) <= 1e-6 * max(1.0, outcome.cost)
