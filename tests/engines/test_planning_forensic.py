"""Grave relocations need a forensic team on their day. Teams available per day are a
capacity like the checkpoint's places: no plan uses more on a day than there are, a
relocation with no team to be had is unplanned with the reason, and the lower bound still
holds below the best plan's cost."""

from dataclasses import replace
from datetime import date, timedelta
from random import Random

from ortools.sat.python import cp_model

from homeward.engines.planning import (
    PRIORITY_WEIGHTS,
    UNSERVED_DAYS_AFTER_HORIZON,
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
from homeward.engines.planning.improve import LocalSearch, RouteDayRepacker
from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.model import cargo_litres
from homeward.engines.planning.schedule import Schedule

MONDAY = date(2026, 6, 1)
CAPACITY = Capacity(
    start=MONDAY,
    days=5,
    weekdays=frozenset({1, 2, 3, 4, 5}),
    checkpoint_people_per_day=40,
    convoys_per_day=3,
    seats_per_convoy=20,
    cargo_m3_per_convoy=30.0,
    routes={"north": ("aygestan", "mets-shen"), "south": ("hin-shen", "mets-shen")},
    forensic_teams_per_day=1,
)


def request(n: int, **overrides) -> VisitRequest:
    values = dict(
        request_id=f"R{n}",
        household_id=f"H{n}",
        people=3,
        destination="aygestan",
        cargo_m3=1.0,
        earliest=MONDAY,
        latest=MONDAY + timedelta(days=4),
        priority=2,
    )
    values.update(overrides)
    return VisitRequest(**values)


def teams_by_day(instance: PlanningInstance, plan) -> dict[date, int]:
    needs = {q.request_id: q.forensic_teams for q in instance.requests}
    used: dict[date, int] = {}
    for request_id, placement in plan.placements.items():
        used[placement.date] = used.get(placement.date, 0) + needs[request_id]
    return used


def test_relocations_share_the_days_teams_while_seats_are_plenty():
    # Three relocations asking for Monday, one team a day: they go Monday, Tuesday and
    # Wednesday although the Monday convoy has seats for all of them; the other families
    # still ride on Monday.
    relocations = [request(n, forensic_teams=1, priority=3) for n in range(1, 4)]
    others = [request(n) for n in range(4, 7)]
    instance = PlanningInstance(capacity=CAPACITY, requests=(*relocations, *others))
    outcome = plan_visits(instance, time_limit=10)
    assert check_plan(instance, outcome.plan) == []
    days = sorted(outcome.plan.placements[q.request_id].date for q in relocations)
    assert days == [MONDAY + timedelta(days=d) for d in range(3)]
    assert {outcome.plan.placements[q.request_id].date for q in others} == {MONDAY}
    assert outcome.bound <= outcome.cost
    # The bound sees the teams too: three priority-3 households of three waiting 0, 1 and 2
    # days, and nothing for the others.
    assert outcome.cost == 3 * PRIORITY_WEIGHTS[3] * (0 + 1 + 2)
    assert outcome.bound == outcome.cost


def test_a_relocation_with_no_team_to_be_had_is_unplanned_with_the_reason():
    no_teams = replace(CAPACITY, forensic_teams_per_day=0)
    instance = PlanningInstance(
        capacity=no_teams,
        requests=(request(1, forensic_teams=1), request(2), request(3, forensic_teams=2)),
    )
    outcome = plan_visits(instance, time_limit=10)
    assert set(outcome.plan.placements) == {"R2"}
    assert outcome.unservable["R1"] == (
        "needs a forensic team, and no forensic team is available "
        "(forensic_teams_per_day is 0 or not set)"
    )
    two_asked = PlanningInstance(capacity=CAPACITY, requests=(request(3, forensic_teams=2),))
    assert plan_visits(two_asked, time_limit=10).unservable["R3"] == (
        "needs 2 forensic teams on its day, more than are available (1 a day)"
    )


def random_instance(rng: Random, *, most_days: int, most_requests: int) -> PlanningInstance:
    days = rng.randint(2, most_days)
    cap = Capacity(
        start=MONDAY + timedelta(days=rng.randrange(7)),
        days=days,
        weekdays=frozenset(rng.sample(range(1, 8), rng.randint(2, 7))),
        checkpoint_people_per_day=rng.randint(6, 30),
        convoys_per_day=rng.randint(1, 3),
        seats_per_convoy=rng.randint(5, 12),
        cargo_m3_per_convoy=rng.choice([4.0, 10.0, 20.0]),
        routes={"north": ("aygestan", "mets-shen"), "south": ("hin-shen", "mets-shen")},
        forensic_teams_per_day=rng.choice([0, 1, 1, 2, 3]),
    )
    requests = []
    for n in range(rng.randint(1, most_requests)):
        earliest = cap.start + timedelta(days=rng.randrange(days))
        latest = earliest + timedelta(days=rng.randint(0, days + 3))  # may outlast it
        requests.append(
            VisitRequest(
                request_id=f"R{n}",
                household_id=f"H{n}",
                people=rng.randint(1, 8),
                destination=rng.choice(["aygestan", "hin-shen", "mets-shen"]),
                cargo_m3=rng.choice([0.0, 0.5, 2.0, 3.5]),
                earliest=earliest,
                latest=latest,
                priority=rng.choice([1, 2, 2, 3]),
                forensic_teams=rng.choice([0, 0, 1, 1, 2]),
            )
        )
    return PlanningInstance(capacity=cap, requests=tuple(requests))


def test_forensic_capacity_is_never_exceeded_on_random_instances():
    rng = Random(2023)
    for _ in range(40):
        instance = random_instance(rng, most_days=15, most_requests=50)
        outcome = plan_visits(instance, time_limit=10, seed=1)
        assert check_plan(instance, outcome.plan) == []
        limit = instance.capacity.forensic_teams_per_day
        assert max(teams_by_day(instance, outcome.plan).values(), default=0) <= limit
        assert outcome.cost == plan_cost(instance, outcome.plan)
        assert outcome.bound <= outcome.cost
        for baseline in (first_come_first_served, highest_priority_first):
            plan = baseline(instance)
            assert check_plan(instance, plan) == []
            assert max(teams_by_day(instance, plan).values(), default=0) <= limit


def optimum(instance: PlanningInstance) -> int:
    """The cheapest plan, by an exact CP-SAT model with forensic teams and windows cut to the
    horizon (tiny instances only)."""
    cap = instance.capacity
    days = cap.open_dates()
    routes = sorted(cap.routes)
    model = cp_model.CpModel()
    penalty_day = cap.end + timedelta(days=UNSERVED_DAYS_AFTER_HORIZON)
    objective = []
    x = {}
    for q in instance.requests:
        if q.latest < cap.start or q.earliest > cap.end:
            continue  # no business of this horizon: costs nothing
        earliest = max(q.earliest, cap.start)
        rate = PRIORITY_WEIGHTS[q.priority] * q.people
        options = []
        for d in days:
            if q.earliest <= d <= q.latest:
                for k in range(cap.convoys_per_day):
                    x[q.request_id, d, k] = model.new_bool_var("")
                    options.append(x[q.request_id, d, k])
                    objective.append(rate * (d - earliest).days * x[q.request_id, d, k])
        unserved = model.new_bool_var("")
        model.add_exactly_one([*options, unserved])
        objective.append(rate * (penalty_day - earliest).days * unserved)
    for d in days:
        on_day = [
            (q, k)
            for q in instance.requests
            for k in range(cap.convoys_per_day)
            if (q.request_id, d, k) in x
        ]
        model.add(
            sum(q.people * x[q.request_id, d, k] for q, k in on_day)
            <= cap.checkpoint_people_per_day
        )
        model.add(
            sum(q.forensic_teams * x[q.request_id, d, k] for q, k in on_day)
            <= cap.forensic_teams_per_day
        )
        for k in range(cap.convoys_per_day):
            route = [model.new_bool_var("") for _ in routes]
            model.add_at_most_one(route)
            riders = [q for q, c in on_day if c == k]
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


def test_the_bound_stays_below_the_optimum_with_forensic_needs():
    rng = Random(1915)
    reached = 0
    for _ in range(40):
        small = random_instance(rng, most_days=5, most_requests=8)
        best = optimum(small)
        outcome = plan_visits(small, time_limit=10)
        assert outcome.bound <= best + 1e-6 * max(1, best)
        assert best <= outcome.cost
        reached += outcome.cost == best
    assert reached >= 32  # four in five


def test_the_bound_counts_the_teams():
    # Five relocations of one person, all asking for Monday only, one team a day: only one can
    # go. Without the teams in the LP the bound would be 0; with them it is the true cost.
    monday_only = [
        request(n, people=1, forensic_teams=1, priority=1, latest=MONDAY) for n in range(5)
    ]
    instance = PlanningInstance(capacity=CAPACITY, requests=tuple(monday_only))
    outcome = plan_visits(instance, time_limit=10)
    assert outcome.served_requests == 1
    penalty = (CAPACITY.end - MONDAY).days + UNSERVED_DAYS_AFTER_HORIZON
    assert outcome.cost == 4 * penalty
    assert outcome.bound == outcome.cost


def test_an_instance_without_forensic_needs_plans_as_before():
    # Cost and bound of this instance, measured before forensic teams and horizon clipping
    # were added: with no request needing a team, the LP, the first plan and the search are
    # the ones they were, whatever the teams a day.
    instance = generate_instance(requests=800, days=21, routes=3, seed=5)
    before = plan_visits(instance, time_limit=30, seed=3)
    assert not before.stopped_by_time_limit
    assert (before.cost, round(before.bound)) == (30375, 30291)
    with_teams = PlanningInstance(
        capacity=replace(instance.capacity, forensic_teams_per_day=4),
        requests=instance.requests,
    )
    assert plan_visits(with_teams, time_limit=30, seed=3).plan == before.plan


def test_cp_sat_repacking_takes_no_more_relocations_than_the_day_has_teams():
    # Monday's convoy has seats for both waiting relocations; the day has one team.
    instance = PlanningInstance(
        capacity=replace(CAPACITY, days=2),
        requests=(
            request(0, priority=1),
            request(1, people=2, forensic_teams=1, latest=MONDAY + timedelta(days=1)),
            request(2, people=2, forensic_teams=1, latest=MONDAY + timedelta(days=1)),
        ),
    )
    ix = IndexedInstance(instance)
    schedule = Schedule(ix)
    schedule.place(0, 0, 0, ix.route_names.index("north"))
    search = LocalSearch(ix, schedule)
    assert RouteDayRepacker(seed=0, effort=1.0).repack(search, 0, schedule.route[0][0])
    assert schedule.day_teams[0] == 1
    assert check_plan(instance, schedule.to_plan()) == []
