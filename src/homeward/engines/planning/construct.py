"""A first plan, day by day, following the fluid LP.

Targets. The LP says how many people of each group (same window, priority and cargo band)
travel on each open day. Each group's requests, in request order, are laid along those
amounts day after day; a request's target day is where the middle of its household falls,
and requests past the LP's served amount are targeted as unserved.

Each day, in date order, then:

1. Due requests (targeted at the day, or left over from earlier days) are valued at what
   leaving them for later would cost: one more wait, or the unserved penalty on the last day
   of their window, plus the LP's price of the place they would take on the next day.
2. They go first into convoys already on the day (kept from a previous plan), where they fit.
3. Then convoys go to routes a convoy-load at a time. Each route's due requests, most
   valuable per person first, are cut into convoy-loads (people and cargo that fit one
   convoy); the day's free convoys go to the most valuable loads, a route's first load
   before its second. A small route whose load would leave a convoy half empty waits for a
   day when it fills one, unless its requests cannot wait.
4. Room left (seats in convoys, people at the checkpoint) goes to due requests that made no
   load, then to whoever saves most per person by coming today: requests targeted later or
   unserved.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from homeward.engines.planning.bound import FluidSolution
from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.schedule import NO_ROUTE, Schedule


def lp_targets(ix: IndexedInstance, fluid: FluidSolution) -> list[int]:
    """Each request's target slot (-1: unserved) from the LP's people per group and day."""
    target = [-1] * ix.n
    amounts: dict[int, list[tuple[int, float]]] = {}
    for g, t, x in zip(
        fluid.flow_group.tolist(),
        fluid.flow_slot.tolist(),
        fluid.flow_people.tolist(),
        strict=True,
    ):
        amounts.setdefault(g, []).append((t, x))
    for g, group in enumerate(fluid.groups):
        days = sorted(amounts.get(g, []))
        ends, cumulative = [], 0.0
        for _t, x in days:
            cumulative += x
            ends.append(cumulative)
        k, position = 0, 0.0
        for i in group.requests:
            middle = position + ix.people[i] / 2
            position += ix.people[i]
            while k < len(days) and ends[k] < middle:
                k += 1
            if k < len(days):
                target[i] = days[k][0]
    return target


def deferral_loss(ix: IndexedInstance, i: int, t: int) -> int:
    """What leaving request i off slot t costs at least: one more wait, or the penalty."""
    if t >= ix.last_slot[i]:
        return ix.unserved_cost(i) - ix.served_cost(i, t)
    return ix.served_cost(i, t + 1) - ix.served_cost(i, t)


class DayByDay:
    def __init__(self, ix: IndexedInstance, fluid: FluidSolution, schedule: Schedule) -> None:
        self.ix = ix
        self.s = schedule
        price = fluid.day_price.tolist() if fluid.day_price.size == ix.slots else []
        self.price: list[float] = price or [0.0] * ix.slots
        teams = fluid.team_price.tolist() if fluid.team_price.size == ix.slots else []
        self.team_price: list[float] = teams or [0.0] * ix.slots
        self.target = lp_targets(ix, fluid)

    def run(self, progress: Callable[[float], None] | None = None) -> None:
        ix, s, target = self.ix, self.s, self.target
        targeted: list[list[int]] = [[] for _ in range(ix.slots)]
        for i in range(ix.n):
            if ix.servable[i] and s.slot[i] < 0 and target[i] >= 0:
                targeted[target[i]].append(i)
        carried: list[int] = []
        waiting = [i for i in range(ix.n) if ix.servable[i] and s.slot[i] < 0]
        for t in range(ix.slots):
            due = [i for i in carried if ix.last_slot[i] >= t and s.slot[i] < 0]
            due += [i for i in targeted[t] if s.slot[i] < 0]
            waiting = [i for i in waiting if s.slot[i] < 0 and ix.last_slot[i] >= t]
            due_set = set(due)
            early = [
                i
                for i in waiting
                if ix.first_slot[i] <= t and i not in due_set and (target[i] < 0 or target[i] > t)
            ]
            self.plan_day(t, due, early)
            carried = [i for i in due if s.slot[i] < 0]
            if progress is not None:
                progress((t + 1) / ix.slots)

    def due_value(self, i: int, t: int) -> float:
        """Leaving a due request for later: its extra wait (or the penalty), and the place it
        takes on the next day (and the forensic team it needs there) at the LP's price."""
        ix = self.ix
        if t >= ix.last_slot[i]:
            return float(deferral_loss(ix, i, t))
        later = ix.people[i] * self.price[t + 1] + ix.forensic[i] * self.team_price[t + 1]
        return deferral_loss(ix, i, t) + later

    def plan_day(self, t: int, due: list[int], early: list[int]) -> None:
        ix, s = self.ix, self.s
        values = {i: self.due_value(i, t) for i in due}
        due.sort(key=lambda i: (-values[i] / ix.people[i], i))
        # First into convoys already on the day (kept from a previous plan), where they fit.
        rest = []
        for i in due:
            k = self.open_convoy_with_room(i, t)
            if k >= 0 and s.day_fits(i, t):
                s.place(i, t, k, s.route[t][k])
            else:
                rest.append(i)
        # Then convoy-loads per route, the most valuable loads first. A request on two
        # routes counts on the one with more demand today.
        free = ix.convoys - s.convoys_in_use[t]
        demand: dict[int, int] = {}
        for i in rest:
            for r in ix.routes[i]:
                demand[r] = demand.get(r, 0) + ix.people[i]
        by_route: dict[int, list[int]] = {}
        for i in rest:
            r = max(ix.routes[i], key=lambda r: (demand[r], -r))
            by_route.setdefault(r, []).append(i)
        loads = {r: self.loads(requests, values, free) for r, requests in sorted(by_route.items())}
        heap = [(-loads[r][0][0], r, 0) for r in loads if loads[r]]
        heapq.heapify(heap)
        while heap and free > 0 and s.day_people[t] < ix.checkpoint:
            _value, r, n = heapq.heappop(heap)
            k = next(k for k in range(ix.convoys) if s.route[t][k] == NO_ROUTE)
            for i in loads[r][n][1]:
                if s.day_people[t] + ix.people[i] <= ix.checkpoint and s.fits(i, t, k):
                    s.place(i, t, k, r)
            if s.route[t][k] != NO_ROUTE:
                free -= 1
            if n + 1 < len(loads[r]):
                heapq.heappush(heap, (-loads[r][n + 1][0], r, n + 1))
        # Room left: due requests first, then whoever saves most per person by coming today.
        saving = {i: ix.cost_at(i, self.target[i]) - ix.served_cost(i, t) for i in early}
        early.sort(key=lambda i: (-saving[i] / ix.people[i], i))
        for i in rest + early:
            if s.day_people[t] >= ix.checkpoint:
                break
            if s.slot[i] < 0:
                k, route = s.find_convoy(i, t)
                if k >= 0:
                    s.place(i, t, k, route)

    def loads(
        self, requests: list[int], values: dict[int, float], most: int
    ) -> list[tuple[float, list[int]]]:
        """The route's candidates, in order, cut into (at most `most`) convoy-loads."""
        ix = self.ix
        left = list(requests)
        loads: list[tuple[float, list[int]]] = []
        while left and len(loads) < most:
            seats, cargo, value, load, skipped = 0, 0, 0.0, [], []
            for i in left:
                if seats + ix.people[i] <= ix.seats and cargo + ix.cargo[i] <= ix.cargo_capacity:
                    seats += ix.people[i]
                    cargo += ix.cargo[i]
                    value += values[i]
                    load.append(i)
                else:
                    skipped.append(i)
            loads.append((value, load))
            left = skipped
        return loads

    def open_convoy_with_room(self, i: int, t: int) -> int:
        """The fullest convoy on slot t of one of request i's routes that has room, or -1."""
        ix, s = self.ix, self.s
        best, best_left = -1, ix.seats + 1
        for k in range(ix.convoys):
            r = s.route[t][k]
            if r != NO_ROUTE and r in ix.routes[i]:
                left = ix.seats - s.seats_used[t][k] - ix.people[i]
                if 0 <= left < best_left and s.cargo_used[t][k] + ix.cargo[i] <= ix.cargo_capacity:
                    best, best_left = k, left
        return best


def construct(
    ix: IndexedInstance,
    fluid: FluidSolution,
    schedule: Schedule,
    *,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Complete the schedule (which may hold requests kept from a previous plan)."""
    DayByDay(ix, fluid, schedule).run(progress)
