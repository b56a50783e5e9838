"""A plan being built: who rides which convoy on which open day, with every load kept current.

Only `place` and `remove` change it, and `place` is only called after `fits` (or
`find_convoy`) said yes, so no capacity is ever exceeded; `check_plan` verifies the result
independently all the same.
"""

from __future__ import annotations

from datetime import date

from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.model import Placement, Plan

NO_ROUTE = -1


class Schedule:
    def __init__(self, ix: IndexedInstance) -> None:
        self.ix = ix
        slots, convoys = ix.slots, ix.convoys
        self.slot: list[int] = [-1] * ix.n  # open-day slot of each request, -1 unserved
        self.convoy: list[int] = [-1] * ix.n  # convoy index within the day, 0-based
        self.route: list[list[int]] = [[NO_ROUTE] * convoys for _ in range(slots)]
        self.seats_used: list[list[int]] = [[0] * convoys for _ in range(slots)]
        self.cargo_used: list[list[int]] = [[0] * convoys for _ in range(slots)]
        self.riders: list[list[list[int]]] = [[[] for _ in range(convoys)] for _ in range(slots)]
        self.day_people: list[int] = [0] * slots
        self.day_teams: list[int] = [0] * slots  # forensic teams taken
        self.convoys_in_use: list[int] = [0] * slots

    def copy(self) -> Schedule:
        other = Schedule.__new__(Schedule)
        other.ix = self.ix
        other.slot = self.slot[:]
        other.convoy = self.convoy[:]
        other.route = [row[:] for row in self.route]
        other.seats_used = [row[:] for row in self.seats_used]
        other.cargo_used = [row[:] for row in self.cargo_used]
        other.riders = [[list(riders) for riders in row] for row in self.riders]
        other.day_people = self.day_people[:]
        other.day_teams = self.day_teams[:]
        other.convoys_in_use = self.convoys_in_use[:]
        return other

    def day_fits(self, i: int, t: int) -> bool:
        """Whether slot t has room for request i at the checkpoint and in forensic teams."""
        ix = self.ix
        return (
            self.day_people[t] + ix.people[i] <= ix.checkpoint
            and self.day_teams[t] + ix.forensic[i] <= ix.teams
        )

    def fits(self, i: int, t: int, k: int) -> bool:
        """Whether request i can join convoy k of slot t (keeping or giving it a route)."""
        ix = self.ix
        if not self.day_fits(i, t):
            return False
        route = self.route[t][k]
        if route != NO_ROUTE and route not in ix.routes[i]:
            return False
        return (
            self.seats_used[t][k] + ix.people[i] <= ix.seats
            and self.cargo_used[t][k] + ix.cargo[i] <= ix.cargo_capacity
        )

    def find_convoy(self, i: int, t: int) -> tuple[int, int]:
        """(convoy, route) for request i on slot t, or (-1, -1): the fullest convoy of one of
        its routes with room (best fit keeps room elsewhere), else the first empty convoy."""
        ix = self.ix
        people, cargo = ix.people[i], ix.cargo[i]
        if not self.day_fits(i, t):
            return -1, NO_ROUTE
        routes = ix.routes[i]
        route_row, seats_row, cargo_row = self.route[t], self.seats_used[t], self.cargo_used[t]
        best, best_left, empty = -1, ix.seats + 1, -1
        for k in range(ix.convoys):
            route = route_row[k]
            if route == NO_ROUTE:
                if empty < 0:
                    empty = k
                continue
            if route in routes:
                left = ix.seats - seats_row[k] - people
                if 0 <= left < best_left and cargo_row[k] + cargo <= ix.cargo_capacity:
                    best, best_left = k, left
        if best >= 0:
            return best, route_row[best]
        if empty >= 0:
            return empty, self.quietest_route(i, t)
        return -1, NO_ROUTE

    def quietest_route(self, i: int, t: int) -> int:
        """Of request i's routes, the one with the fewest convoys on slot t."""
        routes = self.ix.routes[i]
        if len(routes) == 1:
            return routes[0]
        row = self.route[t]
        return min(routes, key=lambda r: (row.count(r), r))

    def place(self, i: int, t: int, k: int, route: int) -> None:
        ix = self.ix
        if self.route[t][k] == NO_ROUTE:
            self.route[t][k] = route
            self.convoys_in_use[t] += 1
        self.slot[i], self.convoy[i] = t, k
        self.seats_used[t][k] += ix.people[i]
        self.cargo_used[t][k] += ix.cargo[i]
        self.riders[t][k].append(i)
        self.day_people[t] += ix.people[i]
        self.day_teams[t] += ix.forensic[i]

    def remove(self, i: int) -> None:
        ix = self.ix
        t, k = self.slot[i], self.convoy[i]
        if t < 0:
            return
        self.seats_used[t][k] -= ix.people[i]
        self.cargo_used[t][k] -= ix.cargo[i]
        self.riders[t][k].remove(i)
        self.day_people[t] -= ix.people[i]
        self.day_teams[t] -= ix.forensic[i]
        if not self.riders[t][k]:
            self.route[t][k] = NO_ROUTE
            self.convoys_in_use[t] -= 1
        self.slot[i], self.convoy[i] = -1, -1

    def place_anywhere_from(self, i: int, first: int) -> bool:
        """Request i on the earliest slot from `first` where it fits; False if none does."""
        for t in range(max(first, self.ix.first_slot[i]), self.ix.last_slot[i] + 1):
            k, route = self.find_convoy(i, t)
            if k >= 0:
                self.place(i, t, k, route)
                return True
        return False

    def cost(self) -> int:
        ix = self.ix
        return sum(ix.cost_at(i, self.slot[i]) for i in range(ix.n))

    def to_plan(self) -> Plan:
        ix = self.ix
        dates: list[date] = [ix.date_of_slot(t) for t in range(ix.slots)]
        placements = {
            ix.ids[i]: Placement(dates[self.slot[i]], self.convoy[i] + 1)
            for i in range(ix.n)
            if self.slot[i] >= 0
        }
        routes = {
            Placement(dates[t], k + 1): ix.route_names[self.route[t][k]]
            for t in range(ix.slots)
            for k in range(ix.convoys)
            if self.route[t][k] != NO_ROUTE
        }
        return Plan(placements=placements, convoy_routes=routes)
