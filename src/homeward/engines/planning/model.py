"""The planner's plain data: visit requests, the capacity planners set, and plans.

A request is one household (or some of its members) asking for one escorted day visit to
its settlement; it travels whole, in one convoy, or not at all. A plan puts each request it
serves on a date and in a numbered convoy of that date; each convoy used serves one route.
A grave relocation also needs a forensic team on its day; the teams available each day are a
capacity like the checkpoint's places.

A request's window may reach outside the horizon (families give windows that outlast a
planning round): it is planned in the part inside. One wholly outside is no business of this
round: it stays unserved, with the reason, and counts nothing in the cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

# Cost of one person waiting one day, by priority (1 = ordinary, 3 = most urgent).
PRIORITY_WEIGHTS: Mapping[int, int] = {1: 1, 2: 3, 3: 10}
# An unserved request costs as if it were served this many days after the horizon's last day.
UNSERVED_DAYS_AFTER_HORIZON = 30


def cargo_litres(cargo_m3: float) -> int:
    """Cargo in whole litres: sums and comparisons stay exact (0.1 + 0.2 is not 0.3 in floats)."""
    return round(cargo_m3 * 1000)


@dataclass(frozen=True, slots=True)
class VisitRequest:
    request_id: str
    household_id: str
    people: int
    destination: str
    cargo_m3: float
    earliest: date
    latest: date
    priority: int  # 1, 2 or 3
    # Forensic teams the visit needs on its day (a grave relocation: 1); the relatives who
    # attend are its people and ride in the convoy like anyone else.
    forensic_teams: int = 0

    @property
    def weight(self) -> int:
        return PRIORITY_WEIGHTS[self.priority]


@dataclass(frozen=True)
class Capacity:
    start: date
    days: int
    weekdays: frozenset[int]  # ISO weekdays the checkpoint opens, 1 = Monday
    checkpoint_people_per_day: int
    convoys_per_day: int  # one escort team each
    seats_per_convoy: int
    cargo_m3_per_convoy: float
    routes: Mapping[str, tuple[str, ...]]  # route name -> the destinations it serves
    # Forensic teams available each open day. 0 (the default) means none: requests that need
    # no team plan exactly as before, and one that needs a team is unservable, with the reason.
    forensic_teams_per_day: int = 0

    @property
    def end(self) -> date:
        """The horizon's last day."""
        return self.start + timedelta(days=self.days - 1)

    def meets_horizon(self, request: VisitRequest) -> bool:
        """Whether some day of the request's window lies inside the horizon."""
        return request.earliest <= self.end and request.latest >= self.start

    def is_open(self, day: date) -> bool:
        return self.start <= day <= self.end and day.isoweekday() in self.weekdays

    def open_dates(self) -> list[date]:
        days = (self.start + timedelta(days=offset) for offset in range(self.days))
        return [day for day in days if day.isoweekday() in self.weekdays]

    def routes_serving(self, destination: str) -> tuple[str, ...]:
        return tuple(sorted(name for name, stops in self.routes.items() if destination in stops))


@dataclass(frozen=True)
class PlanningInstance:
    capacity: Capacity
    requests: tuple[VisitRequest, ...]

    def request(self, request_id: str) -> VisitRequest:
        for request in self.requests:
            if request.request_id == request_id:
                return request
        raise KeyError(request_id)


@dataclass(frozen=True, order=True, slots=True)
class Placement:
    """Where a served request goes: a date and a convoy number, 1 to convoys_per_day."""

    date: date
    convoy: int

    @property
    def convoy_id(self) -> str:
        return convoy_id(self.date, self.convoy)


def convoy_id(day: date, number: int) -> str:
    return f"{day.isoformat()}/{number}"


@dataclass(frozen=True)
class Plan:
    """Served requests with their placement; any request not in `placements` is unserved."""

    placements: Mapping[str, Placement]
    convoy_routes: Mapping[Placement, str]  # every convoy that carries someone -> its route

    def route_of(self, request_id: str) -> str | None:
        placement = self.placements.get(request_id)
        return None if placement is None else self.convoy_routes.get(placement)


@dataclass(frozen=True)
class Replanning:
    """What a new plan must respect of the one people were told about.

    Pinned requests (people already cleared or notified) keep their date and convoy whenever
    that is still feasible. Every other request of the previous plan may move, at
    `move_penalty` per person moved (to another date or convoy, or out of the plan), added to
    the waiting cost the planner minimises.
    """

    previous: Plan
    pinned: frozenset[str] = frozenset()
    move_penalty: float = 100.0


@dataclass(frozen=True)
class PlanOutcome:
    plan: Plan
    cost: int  # waiting cost of the plan, unserved requests included
    bound: float  # lower bound on the cost of any feasible plan
    bound_method: str
    served_requests: int
    served_people: int
    unserved_requests: int
    unserved_people: int
    # Requests no plan can serve, with the reason (household larger than a convoy, ...).
    unservable: Mapping[str, str] = field(default_factory=dict)
    # Of those, the requests whose window lies wholly outside the horizon: they count nothing
    # in the cost (nor in the bound).
    outside_horizon: tuple[str, ...] = ()
    moved_requests: int = 0  # of the previous plan's, when replanning
    moved_people: int = 0
    pinned_moved: tuple[str, ...] = ()  # pinned requests whose placement became infeasible
    seconds: float = 0.0
    stopped_by_time_limit: bool = False

    @property
    def gap(self) -> float:
        """(cost - bound) / bound: how far, at most, the plan is from the best possible one."""
        return relative_gap(self.cost, self.bound)


def relative_gap(cost: float, bound: float) -> float:
    if cost <= bound:
        return 0.0
    return (cost - bound) / bound if bound > 0 else float("inf")
