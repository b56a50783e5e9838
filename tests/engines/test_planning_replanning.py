"""Replanning after a change moves as few already-notified people as it can."""

from dataclasses import replace
from datetime import timedelta

import pytest

from homeward.engines.planning import (
    Placement,
    Plan,
    PlanningInstance,
    Replanning,
    VisitRequest,
    check_plan,
    generate_instance,
    plan_visits,
)


@pytest.fixture(scope="module")
def instance() -> PlanningInstance:
    return generate_instance(requests=1500, days=28, routes=4, seed=21)


@pytest.fixture(scope="module")
def notified(instance):
    """The plan people were told about."""
    return plan_visits(instance, time_limit=30, seed=1).plan


def people_moved(instance: PlanningInstance, before: Plan, after: Plan) -> int:
    people = {q.request_id: q.people for q in instance.requests}
    return sum(
        people[r]
        for r, placement in before.placements.items()
        if r in people and after.placements.get(r) != placement
    )


def with_one_more_request(instance: PlanningInstance) -> PlanningInstance:
    start = instance.capacity.start
    urgent = VisitRequest(
        request_id="LATE-1",
        household_id="H-LATE",
        people=4,
        destination="city",
        cargo_m3=3.0,
        earliest=start + timedelta(days=2),
        latest=start + timedelta(days=16),
        priority=3,
    )
    return replace(instance, requests=(*instance.requests, urgent))


def test_one_added_request_moves_few_people(instance, notified):
    changed = with_one_more_request(instance)
    outcome = plan_visits(changed, time_limit=30, replanning=Replanning(previous=notified))
    assert check_plan(changed, outcome.plan) == []
    assert "LATE-1" in outcome.plan.placements  # the urgent newcomer is served
    served = sum(instance.request(r).people for r in notified.placements)
    assert outcome.moved_people == people_moved(changed, notified, outcome.plan)
    assert outcome.moved_people <= 12
    assert outcome.moved_people <= 0.01 * served


def test_planning_afresh_would_move_many_more(instance, notified):
    changed = with_one_more_request(instance)
    replanned = plan_visits(changed, time_limit=30, replanning=Replanning(previous=notified))
    afresh = plan_visits(changed, time_limit=30)
    assert people_moved(changed, notified, afresh.plan) > 10 * max(1, replanned.moved_people)


def test_one_convoy_less_a_day_moves_few_more_people_than_rode_in_it(instance, notified):
    capacity = instance.capacity
    fewer = replace(
        instance, capacity=replace(capacity, convoys_per_day=capacity.convoys_per_day - 1)
    )
    outcome = plan_visits(fewer, time_limit=30, replanning=Replanning(previous=notified))
    assert check_plan(fewer, outcome.plan) == []
    in_lost_convoys = sum(
        instance.request(r).people
        for r, placement in notified.placements.items()
        if placement.convoy == capacity.convoys_per_day
    )
    assert in_lost_convoys > 0
    assert outcome.moved_people <= in_lost_convoys * 1.1 + 10


def test_pinned_requests_keep_their_date_and_convoy(instance, notified):
    changed = with_one_more_request(instance)
    pinned = frozenset(sorted(notified.placements)[:300])
    outcome = plan_visits(
        changed,
        time_limit=30,
        replanning=Replanning(previous=notified, pinned=pinned, move_penalty=0.0),
    )
    assert outcome.pinned_moved == ()
    for request_id in pinned:
        assert outcome.plan.placements[request_id] == notified.placements[request_id]


def test_a_pinned_request_that_no_longer_fits_is_moved_and_reported(instance, notified):
    capacity = instance.capacity
    last = capacity.convoys_per_day
    in_last = sorted(r for r, p in notified.placements.items() if p.convoy == last)
    kept = sorted(r for r, p in notified.placements.items() if p.convoy < last)[:50]
    fewer = replace(instance, capacity=replace(capacity, convoys_per_day=last - 1))
    outcome = plan_visits(
        fewer,
        time_limit=30,
        replanning=Replanning(previous=notified, pinned=frozenset(in_last[:3] + kept)),
    )
    assert set(outcome.pinned_moved) == set(in_last[:3])
    for request_id in kept:
        assert outcome.plan.placements[request_id] == notified.placements[request_id]
    assert check_plan(fewer, outcome.plan) == []


def test_a_previous_plan_with_unknown_requests_and_convoys_is_tolerated(instance, notified):
    start = instance.capacity.start
    stale = Plan(
        placements={
            **notified.placements,
            "WITHDRAWN": Placement(start, 1),
            instance.requests[0].request_id: Placement(start - timedelta(days=3), 99),
        },
        convoy_routes={**notified.convoy_routes, Placement(start, 1): "no-such-route"},
    )
    outcome = plan_visits(instance, time_limit=30, replanning=Replanning(previous=stale))
    assert check_plan(instance, outcome.plan) == []
