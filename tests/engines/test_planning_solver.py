"""The visit planner: every plan keeps every rule, costs no less than its bound, and serves
the urgent first when there is not room for everyone."""

from collections import Counter
from datetime import date, timedelta
from random import Random

import pytest

from homeward.engines.planning import (
    PRIORITY_WEIGHTS,
    Capacity,
    PlanningInstance,
    VisitRequest,
    check_plan,
    first_come_first_served,
    generate_instance,
    highest_priority_first,
    plan_cost,
    plan_visits,
)

MONDAY = date(2026, 6, 1)


def capacity(**overrides) -> Capacity:
    values = dict(
        start=MONDAY,
        days=14,
        weekdays=frozenset({1, 2, 3, 4, 5}),
        checkpoint_people_per_day=100,
        convoys_per_day=4,
        seats_per_convoy=20,
        cargo_m3_per_convoy=25.0,
        routes={"north": ("aygestan", "mets-shen"), "south": ("hin-shen", "mets-shen")},
    )
    values.update(overrides)
    return Capacity(**values)


def request(n: int, **overrides) -> VisitRequest:
    values = dict(
        request_id=f"R{n}",
        household_id=f"H{n}",
        people=3,
        destination="aygestan",
        cargo_m3=2.0,
        earliest=MONDAY,
        latest=MONDAY + timedelta(days=13),
        priority=1,
    )
    values.update(overrides)
    return VisitRequest(**values)


def random_instance(
    rng: Random, *, most_days: int = 20, most_convoys: int = 4, most_requests: int = 60
) -> PlanningInstance:
    """Small, crowded, awkward: shared destinations, closed days, tight cargo, households
    too big to carry, windows that hold no open day."""
    days = rng.randint(min(3, most_days), most_days)
    stops = [f"place-{k}" for k in range(rng.randint(1, 6))]
    routes = {}
    for r in range(rng.randint(1, 3)):
        routes[f"route-{r}"] = tuple(rng.sample(stops, rng.randint(1, len(stops))))
    on_routes = sorted({stop for route in routes.values() for stop in route})
    cap = Capacity(
        start=MONDAY + timedelta(days=rng.randrange(7)),
        days=days,
        weekdays=frozenset(rng.sample(range(1, 8), rng.randint(1, 7))),
        checkpoint_people_per_day=rng.randint(4, 40),
        convoys_per_day=rng.randint(1, most_convoys),
        seats_per_convoy=rng.randint(4, 12),
        cargo_m3_per_convoy=rng.choice([3.0, 8.5, 20.0]),
        routes=routes,
    )
    requests = []
    for n in range(rng.randint(1, most_requests)):
        earliest = cap.start + timedelta(days=rng.randrange(days))
        latest = earliest + timedelta(days=rng.randrange((cap.end - earliest).days + 1))
        requests.append(
            VisitRequest(
                request_id=f"R{n}",
                household_id=f"H{n // 2}",
                people=rng.randint(1, 9),
                destination=rng.choice(on_routes),
                cargo_m3=rng.choice([0.0, 0.4, 1.25, 2.5, 4.0]),
                earliest=earliest,
                latest=latest,
                priority=rng.choice([1, 1, 2, 3]),
            )
        )
    return PlanningInstance(capacity=cap, requests=tuple(requests))


def test_plans_of_random_small_instances_keep_every_rule():
    rng = Random(20260601)
    for _ in range(40):
        instance = random_instance(rng)
        outcome = plan_visits(instance, time_limit=10, seed=1)
        assert check_plan(instance, outcome.plan) == []
        assert outcome.cost == plan_cost(instance, outcome.plan)
        assert outcome.bound <= outcome.cost
        assert outcome.served_requests + outcome.unserved_requests == len(instance.requests)


def test_the_baselines_keep_every_rule_too():
    rng = Random(7)
    for _ in range(20):
        instance = random_instance(rng)
        for baseline in (first_come_first_served, highest_priority_first):
            assert check_plan(instance, baseline(instance)) == []


def test_bound_equals_cost_when_there_is_room_for_everyone():
    saturday = MONDAY + timedelta(days=5)
    instance = PlanningInstance(
        capacity=capacity(),
        requests=(
            request(1, people=4, priority=3),
            request(2, earliest=saturday, priority=2),  # waits for Monday
            request(3, destination="mets-shen", earliest=MONDAY + timedelta(days=2)),
        ),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert outcome.unserved_requests == 0
    assert outcome.cost == 3 * PRIORITY_WEIGHTS[2] * 2  # two days' wait over the weekend
    assert outcome.bound == pytest.approx(outcome.cost)
    assert outcome.gap == 0.0


def test_the_most_urgent_go_first_when_there_is_not_room_for_all():
    # One convoy of 10 seats a day for three days, 40 people asking in the same window.
    tight = capacity(days=3, checkpoint_people_per_day=10, convoys_per_day=1, seats_per_convoy=10)
    requests = [
        request(n, people=2, priority=3 if n % 2 else 1, latest=MONDAY + timedelta(days=2))
        for n in range(20)
    ]
    instance = PlanningInstance(capacity=tight, requests=tuple(requests))
    outcome = plan_visits(instance, time_limit=10)
    urgent = {q.request_id for q in requests if q.priority == 3}
    placed = outcome.plan.placements
    assert urgent <= set(placed)
    assert all(placed[r].date < MONDAY + timedelta(days=2) for r in urgent)
    assert outcome.served_people == 30
    assert outcome.bound <= outcome.cost


def test_a_household_travels_whole_or_not_at_all():
    small = capacity(seats_per_convoy=6, convoys_per_day=2, checkpoint_people_per_day=12)
    instance = PlanningInstance(
        capacity=small,
        requests=(request(1, people=6), request(2, people=7), request(3, people=5)),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert "R2" not in outcome.plan.placements  # 7 people never ride in two convoys of 6
    assert "larger than a convoy" in outcome.unservable["R2"]
    assert {"R1", "R3"} <= set(outcome.plan.placements)
    seats = Counter()
    for request_id, placement in outcome.plan.placements.items():
        seats[placement] += instance.request(request_id).people
    assert max(seats.values()) <= 6


def test_too_much_cargo_or_no_open_day_makes_a_request_unservable_with_its_reason():
    saturday = MONDAY + timedelta(days=5)
    instance = PlanningInstance(
        capacity=capacity(),
        requests=(
            request(1, cargo_m3=25.5),
            request(2, earliest=saturday, latest=saturday + timedelta(days=1)),
            request(3),
        ),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert "cargo 25.5 m³ is more than a convoy holds" in outcome.unservable["R1"]
    assert "opens on no day of its window" in outcome.unservable["R2"]
    assert set(outcome.plan.placements) == {"R3"}
    assert outcome.bound <= outcome.cost


def test_a_convoy_serves_one_route():
    instance = PlanningInstance(
        capacity=capacity(convoys_per_day=1, days=1),
        requests=(
            request(1, destination="aygestan", latest=MONDAY),
            request(2, destination="hin-shen", latest=MONDAY),
        ),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert outcome.served_requests == 1  # the other route would need a second convoy
    assert check_plan(instance, outcome.plan) == []


def test_a_destination_on_two_routes_rides_with_either():
    instance = PlanningInstance(
        capacity=capacity(convoys_per_day=1, days=1),
        requests=(
            request(1, destination="hin-shen", latest=MONDAY),
            request(2, destination="mets-shen", latest=MONDAY),
        ),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert outcome.served_requests == 2
    assert outcome.plan.route_of("R1") == outcome.plan.route_of("R2") == "south"


def test_the_same_seed_gives_the_same_plan():
    instance = generate_instance(requests=800, days=21, routes=3, seed=5)
    first = plan_visits(instance, time_limit=30, seed=3)
    second = plan_visits(instance, time_limit=30, seed=3)
    assert not first.stopped_by_time_limit
    assert first.plan == second.plan
    assert first.cost == second.cost


def test_planning_beats_both_baselines_on_a_crowded_instance():
    instance = generate_instance(requests=2500, days=35, routes=5, seed=11)
    outcome = plan_visits(instance, time_limit=30)
    first_come = plan_cost(instance, first_come_first_served(instance))
    priority_first = plan_cost(instance, highest_priority_first(instance))
    assert outcome.unserved_people > 0  # demand exceeds capacity
    assert outcome.bound <= outcome.cost <= priority_first < first_come
    assert outcome.gap < 0.05


def test_an_impossible_instance_is_refused_with_reasons():
    instance = PlanningInstance(
        capacity=capacity(routes={"north": ()}),
        requests=(request(1, people=0), request(1, priority=4)),
    )
    with pytest.raises(ValueError) as error:
        plan_visits(instance)
    message = str(error.value)
    assert "route north serves no settlement" in message
    assert "people must be at least 1" in message
    assert "priority must be 1, 2 or 3" in message
    assert "the id is repeated" in message


def optimum(instance: PlanningInstance) -> int:
    """The cheapest plan, by an exact CP-SAT model (tiny instances only)."""
    from ortools.sat.python import cp_model

    from homeward.engines.planning.model import cargo_litres

    cap = instance.capacity
    days = cap.open_dates()
    routes = sorted(cap.routes)
    model = cp_model.CpModel()
    penalty_day = cap.end + timedelta(days=30)
    objective = []
    x = {}
    for q in instance.requests:
        weight = PRIORITY_WEIGHTS[q.priority] * q.people
        options = []
        for d in days:
            if q.earliest <= d <= q.latest:
                for k in range(cap.convoys_per_day):
                    x[q.request_id, d, k] = model.new_bool_var("")
                    options.append(x[q.request_id, d, k])
                    objective.append(weight * (d - q.earliest).days * x[q.request_id, d, k])
        unserved = model.new_bool_var("")
        model.add_exactly_one([*options, unserved])
        objective.append(weight * (penalty_day - q.earliest).days * unserved)
    for d in days:
        model.add(
            sum(
                q.people * x[q.request_id, d, k]
                for q in instance.requests
                for k in range(cap.convoys_per_day)
                if (q.request_id, d, k) in x
            )
            <= cap.checkpoint_people_per_day
        )
        for k in range(cap.convoys_per_day):
            route = [model.new_bool_var("") for _ in routes]
            model.add_at_most_one(route)
            riders = [q for q in instance.requests if (q.request_id, d, k) in x]
            model.add(sum(q.people * x[q.request_id, d, k] for q in riders) <= cap.seats_per_convoy)
            model.add(
                sum(cargo_litres(q.cargo_m3) * x[q.request_id, d, k] for q in riders)
                <= cargo_litres(cap.cargo_m3_per_convoy)
            )
            for q in riders:
                serving = [
                    route[r] for r, name in enumerate(routes) if q.destination in cap.routes[name]
                ]
                model.add_bool_or(serving).only_enforce_if(x[q.request_id, d, k])
    model.minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_the_bound_never_exceeds_the_true_optimum_and_the_plan_often_reaches_it():
    rng = Random(42)
    reached = 0
    for _ in range(60):
        small = random_instance(rng, most_days=5, most_convoys=2, most_requests=8)
        best = optimum(small)
        outcome = plan_visits(small, time_limit=10)
        assert outcome.bound <= best + 1e-6 * max(1, best)
        assert best <= outcome.cost
        reached += outcome.cost == best
    assert reached >= 54  # nine in ten
