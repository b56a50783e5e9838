"""Local search on a complete plan: only moves that lower the cost are kept.

- Pull: a request that is unserved, or served later than it could be, moves to an earlier
  day where a convoy of its route has room (or a convoy is free) and the checkpoint has room.
  Each day takes whoever saves most per person first.
- Swap: a priority 2 or 3 request served late (or unserved) takes the place of an earlier
  rider of lower priority, who takes its place in turn (or is left unserved, when even so
  the swap saves).
- Bump: an unserved request takes the place of a rider who moves to a later day of its
  window that still has room. Filling early days with those who cannot wait, and late days
  with those who can, is what the LP does and a day-by-day plan misses.
- Repack (CP-SAT): the convoys of a route on a day are repacked so that one more waiting
  household fits, e.g. when one convoy is full on cargo with seats free and another the
  other way round.

Moves run in rounds until a round saves less than a hundred-thousandth of the cost; a move
type that stops paying is dropped. When replanning, a previously planned request moved off
its old placement costs the move penalty per person, and locked (pinned) requests never move.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.schedule import NO_ROUTE, Schedule

Stop = Callable[[], bool]
EPSILON = 1e-6
BUMPS_WORTH_A_PASS = 10  # a bump pass that finds fewer is not run again


class LocalSearch:
    def __init__(
        self,
        ix: IndexedInstance,
        schedule: Schedule,
        *,
        home: dict[int, tuple[int, int]] | None = None,
        move_penalty: float = 0.0,
        locked: frozenset[int] = frozenset(),
        stop: Stop = lambda: False,
        repack: RouteDayRepacker | None = None,
    ) -> None:
        self.ix = ix
        self.s = schedule
        self.home = home or {}
        self.move_penalty = move_penalty
        self.locked = locked
        self.stop = stop
        self.moves = 0
        self.repack: RouteDayRepacker | None = repack
        self.later: dict[int, tuple[int, int, int] | None] = {}
        self.bumping = True  # until a bump pass finds too little to be worth another
        self._eligible: list[list[int]] | None = None

    @property
    def eligible(self) -> list[list[int]]:
        """Per slot, the movable requests whose window holds it."""
        if self._eligible is None:
            ix = self.ix
            self._eligible = [[] for _ in range(ix.slots)]
            for i in range(ix.n):
                if ix.servable[i] and i not in self.locked:
                    for t in range(ix.first_slot[i], ix.last_slot[i] + 1):
                        self._eligible[t].append(i)
        return self._eligible

    # -- costs -------------------------------------------------------------------------

    def cost(self, i: int, slot: int, convoy: int) -> float:
        ix = self.ix
        value = float(
            ix.penalty[i] if slot < 0 else ix.rate[i] * (ix.open_days[slot] - ix.earliest[i])
        )
        if not self.home:
            return value
        home = self.home.get(i)
        if home is not None and home != (slot, convoy):
            value += self.move_penalty * self.ix.people[i]
        return value

    def current(self, i: int) -> float:
        return self.cost(i, self.s.slot[i], self.s.convoy[i])

    def hopeful(self, i: int, t: int) -> float:
        """Request i's cost on slot t if it gets the best convoy there."""
        if not self.home:
            return self.cost(i, t, -1)
        home = self.home.get(i)
        if home is not None and home[0] == t:
            return float(self.ix.cost_at(i, t))
        return self.cost(i, t, -1 if t >= 0 else -2)

    def convoy_on(self, i: int, t: int) -> tuple[int, int]:
        """(convoy, route) for request i on slot t: its old convoy if it can go back, else
        the best that has room; (-1, -1) if none."""
        s = self.s
        home = self.home.get(i)
        if home is not None and home[0] == t and s.fits(i, t, home[1]):
            k = home[1]
            route = s.route[t][k]
            return k, route if route != NO_ROUTE else s.quietest_route(i, t)
        return s.find_convoy(i, t)

    # -- the search --------------------------------------------------------------------

    def run(self, max_rounds: int = 50, enough: float = 1e-5) -> None:
        """Rounds of every move until a round saves less than `enough` of the cost."""
        for _ in range(max_rounds):
            if self.stop():
                return
            before = self.total()
            self.pull_pass()
            self.swap_pass()
            if self.bumping:
                moves = self.moves
                self.bump_pass()
                self.bumping = self.moves - moves >= BUMPS_WORTH_A_PASS
            if self.repack is not None:
                self.repack_pass()
            if before - self.total() <= enough * before:
                return

    def total(self) -> float:
        return sum(self.current(i) for i in range(self.ix.n))

    def pull_pass(self) -> bool:
        ix, s = self.ix, self.s
        any_move = False
        for t in range(ix.slots):
            if self.stop():
                break
            if s.day_people[t] >= ix.checkpoint:
                continue
            gains = []
            for i in self.eligible[t]:
                slot = s.slot[i]
                if slot < 0 or slot > t:
                    gain = self.current(i) - self.hopeful(i, t)
                    if gain > EPSILON:
                        gains.append((-gain / ix.people[i], i))
            gains.sort()
            for _density, i in gains:
                if s.day_people[t] >= ix.checkpoint:
                    break
                k, route = self.convoy_on(i, t)
                if k >= 0 and self.cost(i, t, k) < self.current(i) - EPSILON:
                    s.remove(i)
                    s.place(i, t, k, route)
                    self.moves += 1
                    any_move = True
        return any_move

    def swap_pass(self) -> bool:
        """A request served late, or unserved, takes an earlier place from a rider of lower
        weight, who takes its place (or, if that is cheaper overall, is left unserved)."""
        ix, s = self.ix, self.s
        late = [
            i
            for i in range(ix.n)
            if ix.servable[i]
            and ix.weight[i] > 1
            and (s.slot[i] < 0 or s.slot[i] > ix.first_slot[i])
            and i not in self.locked
        ]
        late.sort(key=lambda i: (-ix.weight[i], s.slot[i] if s.slot[i] >= 0 else ix.slots, i))
        any_move = False
        for i in late:
            if self.stop():
                break
            if self.swap_earlier(i):
                any_move = True
        return any_move

    def swap_earlier(self, i: int) -> bool:
        ix, s = self.ix, self.s
        t2, k2 = s.slot[i], s.convoy[i]
        served = t2 >= 0
        if served and t2 <= ix.first_slot[i]:
            return False
        alone = served and len(s.riders[t2][k2]) == 1
        route2 = s.route[t2][k2] if served else NO_ROUTE
        now_i = self.current(i)
        p_i, c_i, f_i = ix.people[i], ix.cargo[i], ix.forensic[i]
        for t1 in range(ix.first_slot[i], t2 if served else ix.last_slot[i] + 1):
            if now_i - self.hopeful(i, t1) <= EPSILON:
                continue
            for k1 in range(ix.convoys):
                route1 = s.route[t1][k1]
                if route1 == NO_ROUTE or route1 not in ix.routes[i]:
                    continue
                gain_i = now_i - self.cost(i, t1, k1)
                if gain_i <= EPSILON:
                    continue
                for j in s.riders[t1][k1]:
                    if ix.weight[j] >= ix.weight[i] or j in self.locked:
                        continue
                    p_j, c_j, f_j = ix.people[j], ix.cargo[j], ix.forensic[j]
                    if (
                        s.seats_used[t1][k1] - p_j + p_i > ix.seats
                        or s.cargo_used[t1][k1] - c_j + c_i > ix.cargo_capacity
                        or s.day_people[t1] - p_j + p_i > ix.checkpoint
                        or s.day_teams[t1] - f_j + f_i > ix.teams
                    ):
                        continue
                    now_j = self.current(j)
                    # j takes i's place if it can, else is left unserved.
                    can_take = (
                        served
                        and ix.first_slot[j] <= t2 <= ix.last_slot[j]
                        and (alone or route2 in ix.routes[j])
                        and s.seats_used[t2][k2] - p_i + p_j <= ix.seats
                        and s.cargo_used[t2][k2] - c_i + c_j <= ix.cargo_capacity
                        and s.day_people[t2] - p_i + p_j <= ix.checkpoint
                        and s.day_teams[t2] - f_i + f_j <= ix.teams
                    )
                    then_j = self.cost(j, t2, k2) if can_take else self.cost(j, -1, -1)
                    if gain_i - (then_j - now_j) <= EPSILON:
                        continue
                    s.remove(j)
                    s.remove(i)
                    s.place(i, t1, k1, route1)
                    if can_take:
                        route_j = route2 if route2 in ix.routes[j] else s.quietest_route(j, t2)
                        if s.route[t2][k2] != NO_ROUTE:
                            route_j = s.route[t2][k2]
                        s.place(j, t2, k2, route_j)
                    self.moves += 1
                    return True
        return False

    def bump_pass(self) -> bool:
        """An unserved request takes the place of a rider who moves to a later day with room."""
        ix, s = self.ix, self.s
        unserved = [
            i for i in range(ix.n) if ix.servable[i] and s.slot[i] < 0 and i not in self.locked
        ]
        unserved.sort(key=lambda i: (-self.current(i) / ix.people[i], i))
        # Riders by day and route, those whose window reaches furthest first.
        riders: dict[tuple[int, int], list[int]] = {}
        for i in range(ix.n):
            t = s.slot[i]
            if t >= 0 and i not in self.locked and ix.last_slot[i] > t:
                riders.setdefault((t, s.route[t][s.convoy[i]]), []).append(i)
        for group in riders.values():
            group.sort(key=lambda i: (-ix.last_slot[i], i))
        rooms = self.room_days()
        self.later = {}
        any_move = False
        for u in unserved:
            if self.stop() or not rooms:
                break
            if self.bump_for(u, rooms, riders):
                any_move = True
                rooms = self.room_days()
        return any_move

    def room_days(self) -> list[int]:
        s, checkpoint = self.s, self.ix.checkpoint
        return [t for t in range(self.ix.slots) if s.day_people[t] < checkpoint]

    def bump_for(self, u: int, rooms: list[int], riders: dict[tuple[int, int], list[int]]) -> bool:
        ix, s = self.ix, self.s
        now_u = self.current(u)
        p_u, c_u, f_u = ix.people[u], ix.cargo[u], ix.forensic[u]
        seats, cargo_capacity, checkpoint = ix.seats, ix.cargo_capacity, ix.checkpoint
        people, cargo, forensic, last_slot = ix.people, ix.cargo, ix.forensic, ix.last_slot
        first_room = 0
        for t in range(ix.first_slot[u], ix.last_slot[u] + 1):
            while first_room < len(rooms) and rooms[first_room] <= t:
                first_room += 1
            if first_room == len(rooms):
                return False
            next_room = rooms[first_room]
            if now_u - self.hopeful(u, t) <= EPSILON:
                continue
            day_slack = checkpoint - s.day_people[t]
            team_slack = ix.teams - s.day_teams[t]
            for r in ix.routes[u]:
                for i in riders.get((t, r), ()):
                    if last_slot[i] < next_room:
                        break
                    k = s.convoy[i]
                    if s.slot[i] != t or s.route[t][k] != r:
                        continue  # moved since the index was built
                    # u takes i's place: it must fit where i leaves room.
                    if (
                        people[i] < max(p_u - (seats - s.seats_used[t][k]), p_u - day_slack)
                        or cargo[i] < c_u - (cargo_capacity - s.cargo_used[t][k])
                        or forensic[i] < f_u - team_slack
                    ):
                        continue
                    if self.bump(u, t, k, i, rooms, first_room, now_u):
                        return True
        return False

    def bump(
        self, u: int, t: int, k: int, i: int, rooms: list[int], first_room: int, now_u: float
    ) -> bool:
        s = self.s
        later = self.later_place(i, rooms, first_room)
        if later is None:
            return False
        v, c, route_i = later
        if self.cost(i, v, c) - self.current(i) >= now_u - self.cost(u, t, k) - EPSILON:
            return False
        route = s.route[t][k]
        s.remove(i)
        s.place(i, v, c, route_i)
        s.place(u, t, k, route if s.route[t][k] == NO_ROUTE else s.route[t][k])
        self.moves += 1
        return True

    def later_place(self, i: int, rooms: list[int], first_room: int) -> tuple[int, int, int] | None:
        """The cheapest place for rider i on a later day with room. Remembered for the pass:
        rooms only fill up during a pass, so a rider with none stays without."""
        s = self.s
        if i in self.later:
            known = self.later[i]
            if known is None:
                return None
            v, c, _route = known
            if (
                v > s.slot[i]
                and s.fits(i, v, c)
                and (s.route[v][c] == NO_ROUTE or s.route[v][c] == _route)
            ):
                return known
        found = None
        p_i, last = self.ix.people[i], self.ix.last_slot[i]
        for v in rooms[first_room:]:
            if v > last:
                break
            if p_i + s.day_people[v] > self.ix.checkpoint:
                continue
            c, route = self.convoy_on(i, v)
            if c >= 0:
                found = (v, c, route)
                break
        self.later[i] = found
        return found

    def repack_pass(self) -> bool:
        """CP-SAT repacks the convoys of a route on a day so that waiting requests fit in."""
        ix, s = self.ix, self.s
        assert self.repack is not None
        route_days = []
        for t in range(ix.slots):
            room = ix.checkpoint - s.day_people[t]
            if room <= 0:
                continue
            empty: dict[int, int] = {}
            for k in range(ix.convoys):
                r = s.route[t][k]
                if r != NO_ROUTE:
                    empty[r] = empty.get(r, 0) + ix.seats - s.seats_used[t][k]
            route_days += [(-min(e, room), t, r) for r, e in empty.items() if e >= 2]
        any_move = False
        for _empty, t, r in sorted(route_days):
            if self.stop():
                break
            if self.repack.repack(self, t, r):
                self.moves += 1
                any_move = True
        return any_move


class RouteDayRepacker:
    """CP-SAT: the riders of a route's convoys on a day, plus waiting requests of that route
    who would save by coming that day, into those convoys. Every rider stays on the day (in
    any of the route's convoys, or in its own if it is locked or back in its old convoy);
    the waiting ones that fit are chosen for the largest saving. Convoys that are full on
    cargo with seats left over, or full on seats with cargo space left, can often take one
    more household once the households are spread differently."""

    def __init__(self, *, seed: int, effort: float, candidates: int = 30) -> None:
        self.seed = seed
        self.effort = effort  # CP-SAT deterministic time per route and day
        self.candidates = candidates

    def repack(self, search: LocalSearch, t: int, r: int) -> bool:
        ix, s = search.ix, search.s
        convoys = [k for k in range(ix.convoys) if s.route[t][k] == r]
        riders = [i for k in convoys for i in s.riders[t][k]]
        empty_seats = sum(ix.seats - s.seats_used[t][k] for k in convoys)
        empty_cargo = sum(ix.cargo_capacity - s.cargo_used[t][k] for k in convoys)
        room = ix.checkpoint - s.day_people[t]
        teams_left = ix.teams - s.day_teams[t]
        savings: dict[int, float] = {}
        for i in search.eligible[t]:
            slot = s.slot[i]
            if r not in ix.routes[i] or not (slot < 0 or slot > t):
                continue
            if (
                ix.people[i] > min(empty_seats, room)
                or ix.cargo[i] > empty_cargo
                or ix.forensic[i] > teams_left
            ):
                continue
            saving = search.current(i) - search.cost(i, t, -1)
            if saving > EPSILON:
                savings[i] = saving
        if not savings:
            return False
        waiting = sorted(savings, key=lambda i: (-savings[i] / ix.people[i], i))
        waiting = waiting[: self.candidates]

        model = cp_model.CpModel()
        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for i in riders + waiting:
            for k in convoys:
                x[i, k] = model.new_bool_var(f"x{i}_{k}")
        for i in riders:
            stay = search.home.get(i) == (t, s.convoy[i]) or i in search.locked
            if stay:
                model.add(x[i, s.convoy[i]] == 1)
            else:
                model.add_exactly_one(x[i, k] for k in convoys)
            for k in convoys:
                model.add_hint(x[i, k], 1 if k == s.convoy[i] else 0)
        for i in waiting:
            model.add_at_most_one(x[i, k] for k in convoys)
            for k in convoys:
                model.add_hint(x[i, k], 0)
        for k in convoys:
            model.add(sum(ix.people[i] * x[i, k] for i in riders + waiting) <= ix.seats)
            model.add(sum(ix.cargo[i] * x[i, k] for i in riders + waiting) <= ix.cargo_capacity)
        model.add(sum(ix.people[i] * x[i, k] for i in waiting for k in convoys) <= room)
        if any(ix.forensic[i] for i in waiting):
            model.add(sum(ix.forensic[i] * x[i, k] for i in waiting for k in convoys) <= teams_left)
        model.maximize(sum(round(savings[i] * 10) * x[i, k] for i in waiting for k in convoys))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = self.effort
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value <= 0:
            return False
        chosen = [i for i in waiting if any(solver.boolean_value(x[i, k]) for k in convoys)]
        if not chosen:
            return False
        moving = riders + chosen
        where = {i: k for i in moving for k in convoys if solver.boolean_value(x[i, k])}
        for i in moving:
            s.remove(i)
        for i in sorted(moving, key=lambda i: (where[i], i)):
            s.place(i, t, where[i], r)
        return True
