"""An independent check of a plan against every rule, and its cost.

It shares no code with the planner beyond the data types, so a planner bug cannot hide
behind the same bug here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from homeward.engines.planning.model import (
    PRIORITY_WEIGHTS,
    UNSERVED_DAYS_AFTER_HORIZON,
    Placement,
    Plan,
    PlanningInstance,
    cargo_litres,
)


def plan_cost(instance: PlanningInstance, plan: Plan) -> int:
    """Sum over requests of people × weight × days waited after the earliest date; an
    unserved request waits until 30 days after the horizon's last day.

    Waiting counts from the horizon's start at the earliest, and a request whose window lies
    wholly outside the horizon counts nothing: no plan of this round can change either, and
    adding the same amount to every plan's cost and to the bound would make the gap look
    smaller than it is."""
    capacity = instance.capacity
    penalty_day = capacity.end.toordinal() + UNSERVED_DAYS_AFTER_HORIZON
    total = 0
    for request in instance.requests:
        if not (request.earliest <= capacity.end and request.latest >= capacity.start):
            continue
        placement = plan.placements.get(request.request_id)
        day = placement.date.toordinal() if placement else penalty_day
        earliest = max(request.earliest, capacity.start).toordinal()
        total += request.people * PRIORITY_WEIGHTS[request.priority] * (day - earliest)
    return total


def check_plan(instance: PlanningInstance, plan: Plan) -> list[str]:
    """Every way the plan breaks a rule, in words; empty when it breaks none."""
    capacity = instance.capacity
    problems: list[str] = []
    by_id = {request.request_id: request for request in instance.requests}
    if len(by_id) != len(instance.requests):
        problems.append("the instance repeats a request id")

    seats: dict[Placement, int] = defaultdict(int)
    cargo: dict[Placement, int] = defaultdict(int)
    people_on: dict[date, int] = defaultdict(int)
    teams_on: dict[date, int] = defaultdict(int)
    for request_id, placement in sorted(plan.placements.items()):
        request = by_id.get(request_id)
        if request is None:
            problems.append(f"{request_id}: not a request of this instance")
            continue
        day, convoy = placement.date, placement.convoy
        where = f"{request_id} on {placement.convoy_id}"
        if not capacity.start <= day <= capacity.end:
            problems.append(f"{where}: {day} is outside the horizon")
        elif day.isoweekday() not in capacity.weekdays:
            problems.append(f"{where}: the checkpoint is closed on {day:%A}s")
        if not request.earliest <= day <= request.latest:
            problems.append(f"{where}: outside its window {request.earliest} to {request.latest}")
        if not 1 <= convoy <= capacity.convoys_per_day:
            problems.append(f"{where}: convoy number not between 1 and {capacity.convoys_per_day}")
        route = plan.convoy_routes.get(placement)
        if route is None:
            problems.append(f"{where}: the convoy has no route")
        elif route not in capacity.routes:
            problems.append(f"{where}: the convoy's route {route!r} does not exist")
        elif request.destination not in capacity.routes[route]:
            problems.append(
                f"{where}: route {route} does not serve its destination {request.destination}"
            )
        seats[placement] += request.people
        cargo[placement] += cargo_litres(request.cargo_m3)
        people_on[day] += request.people
        teams_on[day] += request.forensic_teams

    for placement in sorted(seats):
        if seats[placement] > capacity.seats_per_convoy:
            problems.append(
                f"convoy {placement.convoy_id}: {seats[placement]} people for "
                f"{capacity.seats_per_convoy} seats"
            )
        if cargo[placement] > cargo_litres(capacity.cargo_m3_per_convoy):
            problems.append(
                f"convoy {placement.convoy_id}: {cargo[placement] / 1000:g} m³ of cargo for "
                f"{capacity.cargo_m3_per_convoy:g} m³"
            )
    for day in sorted(people_on):
        if people_on[day] > capacity.checkpoint_people_per_day:
            problems.append(
                f"{day}: {people_on[day]} people through the checkpoint, which processes "
                f"{capacity.checkpoint_people_per_day} a day"
            )
    for day in sorted(teams_on):
        if teams_on[day] > capacity.forensic_teams_per_day:
            problems.append(
                f"{day}: forensic teams: {teams_on[day]} needed, "
                f"{capacity.forensic_teams_per_day} available"
            )
    convoys_on: dict[date, set[int]] = defaultdict(set)
    for placement in seats:
        convoys_on[placement.date].add(placement.convoy)
    for day in sorted(convoys_on):
        if len(convoys_on[day]) > capacity.convoys_per_day:
            problems.append(
                f"{day}: {len(convoys_on[day])} convoys, {capacity.convoys_per_day} available"
            )
    return problems
