"""The planner: a lower bound and a plan, from the fluid LP, a day-by-day first plan and
local search.

1. Bound (`bound.py`): HiGHS solves the fluid relaxation; its optimum is the lower bound and
   its solution says how many people of each group travel on each day.
2. First plan (`construct.py`): day by day, the requests the LP put on the day are cut into
   convoy-loads per route and the day's convoys go to the most valuable loads; room left
   goes to whoever saves most by coming early.
   Highest priority first is built too; local search starts from the cheaper of the two
   (on short, crowded horizons the greedy one sometimes is).
3. Improvement (`improve.py`): local search (pull earlier, swap with a lower priority, bump a
   rider to a later day to let an unserved request in) in rounds until a round saves next
   to nothing; then CP-SAT repacks the convoys of each route and day that still have seats
   free, with local search again.

When replanning, the previous plan's placements are kept first (pinned requests before the
others, as long as each still fits), the new plan is built around them, and local search
moves a previously planned request only when that saves more than the move penalty.

Everything iterates in a fixed order, HiGHS and CP-SAT run on one thread, CP-SAT with a
deterministic (work, not clock) limit, and the seed goes to CP-SAT: the same seed gives the
same plan run after run, however fast the machine, unless the time limit cuts the work short
(`PlanOutcome.stopped_by_time_limit` says so).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from homeward.engines.planning.bound import fluid_bound
from homeward.engines.planning.check import check_plan, plan_cost
from homeward.engines.planning.construct import construct
from homeward.engines.planning.greedy import insert_in_order, priority_order
from homeward.engines.planning.improve import LocalSearch, RouteDayRepacker
from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.model import (
    PRIORITY_WEIGHTS,
    PlanningInstance,
    PlanOutcome,
    Replanning,
)
from homeward.engines.planning.schedule import NO_ROUTE, Schedule

# Called with a stage's name and how far it is, from 0 to 1.
Progress = Callable[[str, float], None]

STAGES = ("Lower bound (HiGHS)", "First plan", "Improving", "Checking")
REPACK_EFFORT = 0.05  # CP-SAT deterministic time per route and day
BOUND_TOLERANCE = 1e-6  # relative: the LP's optimum is exact up to HiGHS's tolerances


def instance_problems(instance: PlanningInstance) -> list[str]:
    """What makes an instance impossible to plan at all, in words (empty when fine)."""
    capacity = instance.capacity
    problems = []
    if capacity.days < 1:
        problems.append("the horizon has no days")
    if not capacity.weekdays or not capacity.weekdays <= set(range(1, 8)):
        problems.append("weekdays must be ISO weekday numbers, 1 (Monday) to 7")
    for name, value in (
        ("checkpoint_people_per_day", capacity.checkpoint_people_per_day),
        ("convoys_per_day", capacity.convoys_per_day),
        ("seats_per_convoy", capacity.seats_per_convoy),
        ("cargo_m3_per_convoy", capacity.cargo_m3_per_convoy),
    ):
        if value <= 0:
            problems.append(f"{name} must be positive")
    if capacity.forensic_teams_per_day < 0:
        problems.append("forensic_teams_per_day cannot be negative")
    if not capacity.routes:
        problems.append("there are no routes")
    for route, stops in capacity.routes.items():
        if not stops:
            problems.append(f"route {route} serves no settlement")
    seen: set[str] = set()
    on_routes = {stop for stops in capacity.routes.values() for stop in stops}
    for q in instance.requests:
        where = f"request {q.request_id}"
        if q.request_id in seen:
            problems.append(f"{where}: the id is repeated")
        seen.add(q.request_id)
        if q.people < 1:
            problems.append(f"{where}: people must be at least 1")
        if q.cargo_m3 < 0:
            problems.append(f"{where}: cargo cannot be negative")
        if q.priority not in PRIORITY_WEIGHTS:
            problems.append(f"{where}: priority must be 1, 2 or 3")
        if q.forensic_teams < 0:
            problems.append(f"{where}: forensic teams cannot be negative")
        if q.latest < q.earliest:
            problems.append(f"{where}: latest is before earliest")
        # A window reaching outside the horizon is planned in the part inside, and one wholly
        # outside is unservable with the reason (IndexedInstance): neither is a problem here.
        if q.destination not in on_routes:
            problems.append(f"{where}: destination {q.destination!r} is on no route")
    return problems


def plan_visits(
    instance: PlanningInstance,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    replanning: Replanning | None = None,
    progress: Progress | None = None,
) -> PlanOutcome:
    """The best plan found within the time limit, its cost, and a lower bound on any plan's."""
    started = time.perf_counter()
    deadline = started + time_limit
    report = progress or (lambda stage, done: None)
    problems = instance_problems(instance)
    if problems:
        raise ValueError("; ".join(problems))

    def stop() -> bool:
        return time.perf_counter() >= deadline

    ix = IndexedInstance(instance)
    report(STAGES[0], 0.0)
    fluid = fluid_bound(ix, time_limit=max(1.0, 0.5 * time_limit))
    report(STAGES[0], 1.0)

    schedule = Schedule(ix)
    home: dict[int, tuple[int, int]] = {}
    locked: frozenset[int] = frozenset()
    pinned_moved: list[str] = []
    if replanning is not None:
        home, locked, pinned_moved = keep_previous(ix, schedule, replanning)
    # Two first plans: the LP's, and highest priority first (which short, crowded horizons
    # can favour); local search starts from the cheaper.
    report(STAGES[1], 0.0)
    greedy = insert_in_order(ix, priority_order(ix), schedule.copy())
    construct(ix, fluid, schedule, progress=lambda done: report(STAGES[1], done))
    report(STAGES[1], 1.0)
    move_penalty = replanning.move_penalty if replanning else 0.0
    searches = [
        LocalSearch(ix, start, home=home, move_penalty=move_penalty, locked=locked, stop=stop)
        for start in (schedule, greedy)
    ]
    search = min(searches, key=lambda search: search.total())
    schedule = search.s
    report(STAGES[2], 0.0)
    search.run()
    report(STAGES[2], 0.5)
    if not stop():
        search.repack = RouteDayRepacker(seed=seed, effort=REPACK_EFFORT)
        search.run()
    report(STAGES[2], 1.0)

    report(STAGES[3], 0.0)
    plan = schedule.to_plan()
    broken = check_plan(instance, plan)
    if broken:  # a planner bug: never hand out a plan that breaks a rule
        raise RuntimeError("the plan breaks rules: " + "; ".join(broken[:10]))
    cost = plan_cost(instance, plan)
    bound = fluid.bound
    if cost < bound <= cost + BOUND_TOLERANCE * max(1.0, abs(cost)):
        bound = float(cost)
    served = [i for i in range(ix.n) if schedule.slot[i] >= 0]
    moved = moved_requests(ix, schedule, replanning)
    report(STAGES[3], 1.0)
    return PlanOutcome(
        plan=plan,
        cost=cost,
        bound=bound,
        bound_method=fluid.method,
        served_requests=len(served),
        served_people=sum(ix.people[i] for i in served),
        unserved_requests=ix.n - len(served),
        unserved_people=sum(ix.people) - sum(ix.people[i] for i in served),
        unservable={ix.ids[i]: reason for i, reason in sorted(ix.unservable.items())},
        outside_horizon=tuple(ix.ids[i] for i in range(ix.n) if ix.outside[i]),
        moved_requests=len(moved),
        moved_people=sum(ix.people[i] for i in moved),
        pinned_moved=tuple(pinned_moved),
        seconds=time.perf_counter() - started,
        stopped_by_time_limit=stop() or not fluid.optimal,
    )


def keep_previous(
    ix: IndexedInstance, schedule: Schedule, replanning: Replanning
) -> tuple[dict[int, tuple[int, int]], frozenset[int], list[str]]:
    """Put previously planned requests back where they were, pinned ones first, each while it
    still fits. Returns their old places, the pinned ones kept, and the pinned ones that
    could not be kept."""
    previous = replanning.previous
    home: dict[int, tuple[int, int]] = {}
    route_of: dict[int, int] = {}
    route_index = {name: r for r, name in enumerate(ix.route_names)}
    for request_id, placement in previous.placements.items():
        i = ix.index_of.get(request_id)
        slot = ix.slot_of_day.get((placement.date - ix.start).days)
        if i is None or slot is None or not 1 <= placement.convoy <= ix.convoys:
            continue
        home[i] = (slot, placement.convoy - 1)
        route_of[i] = route_index.get(previous.convoy_routes.get(placement, ""), NO_ROUTE)
    pinned = {ix.index_of[r] for r in replanning.pinned if r in ix.index_of}
    order = sorted(home, key=lambda i: (i not in pinned, -ix.priority[i], i))
    kept: set[int] = set()
    for i in order:
        t, k = home[i]
        r = route_of[i]
        if (
            ix.servable[i]
            and ix.first_slot[i] <= t <= ix.last_slot[i]
            and r in ix.routes[i]
            and schedule.route[t][k] in (NO_ROUTE, r)
            and schedule.fits(i, t, k)
        ):
            schedule.place(i, t, k, r)
            kept.add(i)
    pinned_moved = sorted(ix.ids[i] for i in pinned if i not in kept)
    return home, frozenset(pinned & kept), pinned_moved


def moved_requests(
    ix: IndexedInstance, schedule: Schedule, replanning: Replanning | None
) -> list[int]:
    """Previously planned requests (still asked for) now on another date or convoy, or out."""
    if replanning is None:
        return []
    moved = []
    for request_id, placement in replanning.previous.placements.items():
        i = ix.index_of.get(request_id)
        if i is None:
            continue
        t = schedule.slot[i]
        if (
            t < 0
            or ix.date_of_slot(t) != placement.date
            or schedule.convoy[i] + 1 != placement.convoy
        ):
            moved.append(i)
    return moved
