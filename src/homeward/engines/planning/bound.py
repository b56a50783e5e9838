"""The lower bound: a fluid relaxation of the planning problem, solved with HiGHS.

People are divisible and convoys fractional. Requests with the same open days in their window
and the same priority form one group (split further by cargo per person, see below); a
group's people may go on any open day of their window, or stay unserved. Per open day, the
people carried are at most what the checkpoint processes and what the convoys seat, the
cargo at most what the convoys hold, and the forensic teams needed at most those available.

Routes drop out of the relaxation, and lose it almost nothing: with fractional convoys, a
route that needs 2.4 convoys takes 2.4 of the day's convoys, so per route "people ≤ seats ×
convoys of the route" summed over the routes is exactly "people ≤ seats × convoys of the
day". (What routes do cost a real plan — each route's last convoy of the day leaving part
empty — no fluid relaxation sees.) Dropping them keeps the LP small: for 30,000 requests
over 90 days, about 2,800 groups and 70,000 columns, which HiGHS's interior point code
solves in one to two seconds (with routes, 555,000 columns took it 50).

Every plan is a solution of this LP with the same cost, so the LP optimum is a lower bound
on every plan's cost. Cargo needs care: a group's requests carry cargo in different
proportions to their people, and a plan may send the light ones on busy days. So the LP
charges each person the smallest cargo per person of their group (still a relaxation), and
groups are split by cargo per person into bands so that this stays close to the truth.
Forensic teams are charged the same way, at the group's least teams per person; requests that
need a team are grouped apart, by their exact teams per person, so that the LP charges each
relocation its whole team (a household of four needing one team: a quarter of a team each).

Windows are the part inside the horizon (`IndexedInstance` clips them), and the cost constant
counts waiting from the clipped earliest day, as `plan_cost` does; requests wholly outside
the horizon are unservable and cost nothing. So the bound and the cost keep measuring the
same thing, and the gap is not made smaller by days no plan can change.

Cost per person is weight × (day − earliest); the −weight × earliest part is the same
wherever the person goes (the unserved penalty day included), so it sits in a constant and
requests with different earliest dates but the same open days share a group.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction

import highspy
import numpy as np
import numpy.typing as npt

from homeward.engines.planning.indexed import IndexedInstance

# Cargo per person (litres) at which groups are split; the LP charges each group its least.
CARGO_BANDS_LITRES_PER_PERSON = (700, 1400)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Group:
    requests: tuple[int, ...]
    first_slot: int
    last_slot: int
    weight: int
    people: int
    cargo_per_person: float  # litres, the group's least
    teams_per_person: float = 0.0  # forensic teams, the group's least


@dataclass(frozen=True)
class FluidSolution:
    bound: float
    method: str
    optimal: bool
    seconds: float
    groups: tuple[Group, ...]
    # One entry per LP column carrying people: group, open-day slot, people (fractional).
    flow_group: IntArray
    flow_slot: IntArray
    flow_people: FloatArray
    # The LP's prices: what one more place for a person (or m³ of cargo) on each open day
    # would save. Zero where the day has room.
    day_price: FloatArray
    cargo_price: FloatArray
    # What one more forensic team on each open day would save (all zero without teams).
    team_price: FloatArray


def trivial_bound(ix: IndexedInstance) -> float:
    """Every servable request on the first open day of its window: ignores all capacity."""
    total = 0
    for i in range(ix.n):
        total += ix.served_cost(i, ix.first_slot[i]) if ix.servable[i] else ix.unserved_cost(i)
    return float(total)


def group_requests(
    ix: IndexedInstance, bands: tuple[int, ...] = CARGO_BANDS_LITRES_PER_PERSON
) -> list[Group]:
    members: dict[tuple[int, int, int, int, Fraction], list[int]] = {}
    for i in range(ix.n):
        if not ix.servable[i]:
            continue
        ratio = ix.cargo[i] / ix.people[i]
        band = sum(1 for edge in bands if ratio >= edge)
        teams = Fraction(ix.forensic[i], ix.people[i])
        key = (ix.first_slot[i], ix.last_slot[i], ix.weight[i], band, teams)
        members.setdefault(key, []).append(i)
    return [
        Group(
            requests=tuple(requests),
            first_slot=first,
            last_slot=last,
            weight=weight,
            people=sum(ix.people[i] for i in requests),
            cargo_per_person=min(ix.cargo[i] / ix.people[i] for i in requests),
            teams_per_person=float(teams),
        )
        for (first, last, weight, _band, teams), requests in sorted(members.items())
    ]


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints its banner from C on the first solver made in a process."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _empty(
    bound: float, method: str, optimal: bool, seconds: float, groups: list[Group]
) -> FluidSolution:
    nothing = np.zeros(0, dtype=np.int64)
    return FluidSolution(
        bound=bound,
        method=method,
        optimal=optimal,
        seconds=seconds,
        groups=tuple(groups),
        flow_group=nothing,
        flow_slot=nothing,
        flow_people=np.zeros(0),
        day_price=np.zeros(0),
        cargo_price=np.zeros(0),
        team_price=np.zeros(0),
    )


def fluid_bound(ix: IndexedInstance, *, time_limit: float = 60.0) -> FluidSolution:
    """The fluid LP's optimum; if HiGHS cannot finish in time, the (weak) trivial bound."""
    started = time.perf_counter()
    groups = group_requests(ix)
    slots = ix.slots
    constant = float(sum(ix.unserved_cost(i) for i in range(ix.n)))
    if not groups:
        return _empty(
            constant, "nothing can be served", True, time.perf_counter() - started, groups
        )

    # Columns: group × open day of its window.
    col_group = np.concatenate(
        [np.full(g.last_slot - g.first_slot + 1, k, dtype=np.int64) for k, g in enumerate(groups)]
    )
    col_slot = np.concatenate(
        [np.arange(g.first_slot, g.last_slot + 1, dtype=np.int64) for g in groups]
    )
    flows = col_group.size
    group_weight = np.asarray([g.weight for g in groups], dtype=np.float64)
    group_people = np.asarray([g.people for g in groups], dtype=np.float64)
    group_cargo = np.asarray([g.cargo_per_person for g in groups]) / 1000.0  # m³ per person

    group_teams = np.asarray([g.teams_per_person for g in groups], dtype=np.float64)

    # Rows: group supply | people per open day | cargo per open day [| teams per open day,
    # only when some request needs a team: without, the LP is the one it always was].
    n_groups = len(groups)
    people_row0 = n_groups
    cargo_row0 = n_groups + slots
    teams_row0 = n_groups + 2 * slots
    with_teams = bool(np.any(group_teams > 0))
    n_rows = n_groups + (3 if with_teams else 2) * slots
    row_columns = [col_group, people_row0 + col_slot, cargo_row0 + col_slot]
    value_columns = [np.ones(flows), np.ones(flows), group_cargo[col_group]]
    if with_teams:
        row_columns.append(teams_row0 + col_slot)
        value_columns.append(group_teams[col_group])
    rows = np.stack(row_columns, axis=1)
    values = np.stack(value_columns, axis=1)
    keep = values != 0.0
    start = np.zeros(flows + 1, dtype=np.int32)
    np.cumsum(keep.sum(axis=1), out=start[1:])

    people_per_day = float(min(ix.checkpoint, ix.seats * ix.convoys))
    cargo_per_day = ix.cargo_capacity * ix.convoys / 1000.0
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = flows
    lp.num_row_ = n_rows
    lp.col_cost_ = group_weight[col_group] * (
        np.asarray(ix.open_days, dtype=np.float64)[col_slot] - ix.penalty_day
    )
    lp.col_lower_ = np.zeros(flows)
    lp.col_upper_ = np.full(flows, inf)
    lp.row_lower_ = np.full(n_rows, -inf)
    upper = [group_people, np.full(slots, people_per_day), np.full(slots, cargo_per_day)]
    if with_teams:
        upper.append(np.full(slots, float(ix.teams)))
    lp.row_upper_ = np.concatenate(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = rows[keep].astype(np.int32)
    lp.a_matrix_.value_ = values[keep]
    lp.offset_ = constant

    with _quiet_stdout():
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", max(0.1, float(time_limit)))
    # IPX (interior point, then crossover to a vertex) solves this LP several times faster
    # than the simplex codes; it runs on one thread, so the result is the same every time.
    solver.setOptionValue("solver", "ipx")
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("random_seed", 0)
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return _empty(
            trivial_bound(ix),
            f"first open day of each window (the LP stopped: {solver.modelStatusToString(status)})",
            False,
            time.perf_counter() - started,
            groups,
        )
    solution = solver.getSolution()
    people = np.clip(np.asarray(solution.col_value, dtype=np.float64), 0.0, None)
    duals = np.asarray(solution.row_dual, dtype=np.float64)
    used = people > 1e-9
    return FluidSolution(
        bound=float(solver.getInfo().objective_function_value),
        method="fluid LP (HiGHS)",
        optimal=True,
        seconds=time.perf_counter() - started,
        groups=tuple(groups),
        flow_group=col_group[used],
        flow_slot=col_slot[used],
        flow_people=people[used],
        day_price=np.clip(-duals[people_row0:cargo_row0], 0.0, None),
        cargo_price=np.clip(-duals[cargo_row0:teams_row0], 0.0, None),
        team_price=np.clip(-duals[teams_row0:], 0.0, None) if with_teams else np.zeros(slots),
    )
