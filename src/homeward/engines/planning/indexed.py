"""An instance as integer arrays the solvers loop over, and the costs they minimise.

Days are offsets from the horizon's start; "slots" are indices into the list of open days;
cargo is in litres; routes are indices into the sorted route names. A request is servable
when at least one plan could carry it: it fits in one convoy and through the checkpoint in a
day, the forensic teams it needs are available in a day, and its window holds an open day.

Windows are clipped to the horizon: a request asking from before the start waits from the
start (the days before are past for every plan alike), one asking until after the end is
planned inside it. A request whose window lies wholly outside the horizon is unservable and
costs nothing, served or not (`plan_cost` counts it the same way).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from homeward.engines.planning.model import (
    UNSERVED_DAYS_AFTER_HORIZON,
    PlanningInstance,
    VisitRequest,
    cargo_litres,
)


class IndexedInstance:
    def __init__(self, instance: PlanningInstance) -> None:
        capacity = instance.capacity
        self.instance = instance
        self.start = capacity.start
        self.days = capacity.days
        self.open_days: list[int] = [
            offset
            for offset in range(capacity.days)
            if (capacity.start + timedelta(days=offset)).isoweekday() in capacity.weekdays
        ]
        self.slots = len(self.open_days)
        self.slot_of_day: dict[int, int] = {day: s for s, day in enumerate(self.open_days)}
        self.route_names: list[str] = sorted(capacity.routes)
        self.seats = capacity.seats_per_convoy
        self.cargo_capacity = cargo_litres(capacity.cargo_m3_per_convoy)
        self.checkpoint = capacity.checkpoint_people_per_day
        self.convoys = capacity.convoys_per_day
        self.teams = capacity.forensic_teams_per_day
        self.penalty_day = capacity.days - 1 + UNSERVED_DAYS_AFTER_HORIZON

        routes_of_destination: dict[str, list[int]] = {}
        for r, name in enumerate(self.route_names):
            for destination in capacity.routes[name]:
                routes_of_destination.setdefault(destination, []).append(r)

        requests = instance.requests
        self.n = len(requests)
        self.ids: list[str] = [q.request_id for q in requests]
        self.index_of: dict[str, int] = {q.request_id: i for i, q in enumerate(requests)}
        self.people: list[int] = [q.people for q in requests]
        self.cargo: list[int] = [cargo_litres(q.cargo_m3) for q in requests]
        self.weight: list[int] = [q.weight for q in requests]
        self.priority: list[int] = [q.priority for q in requests]
        self.forensic: list[int] = [q.forensic_teams for q in requests]
        self.outside: list[bool] = [not capacity.meets_horizon(q) for q in requests]
        self.earliest: list[int] = [max(0, (q.earliest - capacity.start).days) for q in requests]
        self.latest: list[int] = [
            min(capacity.days - 1, (q.latest - capacity.start).days) for q in requests
        ]
        self.routes: list[tuple[int, ...]] = [
            tuple(routes_of_destination.get(q.destination, ())) for q in requests
        ]
        # First and last slot inside each request's window (first > last: none).
        self.first_slot: list[int] = []
        self.last_slot: list[int] = []
        for e, latest in zip(self.earliest, self.latest, strict=True):
            self.first_slot.append(bisect_left(self.open_days, e))
            self.last_slot.append(bisect_right(self.open_days, latest) - 1)
        self.unservable: dict[int, str] = {}
        for i, q in enumerate(requests):
            reason = self._unservable_reason(i, q)
            if reason:
                self.unservable[i] = reason
        self.servable: list[bool] = [i not in self.unservable for i in range(self.n)]
        # Cost per day waited, and the cost of staying unserved.
        self.rate: list[int] = [w * p for w, p in zip(self.weight, self.people, strict=True)]
        self.penalty: list[int] = [
            0 if outside else rate * (self.penalty_day - e)
            for rate, e, outside in zip(self.rate, self.earliest, self.outside, strict=True)
        ]

    def _unservable_reason(self, i: int, q: VisitRequest) -> str | None:
        capacity = self.instance.capacity
        if q.latest < capacity.start:
            return (
                f"its window ({q.earliest} to {q.latest}) ends before the horizon starts "
                f"({capacity.start})"
            )
        if q.earliest > capacity.end:
            return (
                f"its window ({q.earliest} to {q.latest}) starts after the horizon ends "
                f"({capacity.end})"
            )
        if self.forensic[i] > self.teams:
            needs = (
                "needs a forensic team"
                if self.forensic[i] == 1
                else f"needs {self.forensic[i]} forensic teams"
            )
            if self.teams == 0:
                return f"{needs}, and no forensic team is available (forensic_teams_per_day is 0 or not set)"
            return f"{needs} on its day, more than are available ({self.teams} a day)"
        if self.people[i] > self.seats:
            return (
                f"household of {self.people[i]} people is larger than a convoy ({self.seats} seats)"
            )
        if self.people[i] > self.checkpoint:
            return f"household of {self.people[i]} people is more than the checkpoint processes in a day ({self.checkpoint})"
        if self.cargo[i] > self.cargo_capacity:
            return f"cargo {self.cargo[i] / 1000:g} m³ is more than a convoy holds ({self.cargo_capacity / 1000:g} m³)"
        if not self.routes[i]:
            return f"destination {q.destination!r} is on no route"
        if self.first_slot[i] > self.last_slot[i]:
            return "the checkpoint opens on no day of its window inside the horizon"
        return None

    def date_of_slot(self, slot: int) -> date:
        return self.start + timedelta(days=self.open_days[slot])

    def served_cost(self, i: int, slot: int) -> int:
        return self.rate[i] * (self.open_days[slot] - self.earliest[i])

    def unserved_cost(self, i: int) -> int:
        return self.penalty[i]

    def cost_at(self, i: int, slot: int) -> int:
        if slot < 0:
            return self.penalty[i]
        return self.rate[i] * (self.open_days[slot] - self.earliest[i])
