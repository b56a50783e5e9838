"""The two obvious ways to plan, kept as baselines for the benchmark and the tests.

Both take the requests one at a time and put each on the earliest open day of its window
where a convoy of its route has room (or a convoy is still free) and the checkpoint can take
it; a request that finds no such day is unserved. They differ only in the order:
first come, first served (by earliest date, then the order of the requests), or highest
priority first (then the same).
"""

from __future__ import annotations

from collections.abc import Sequence

from homeward.engines.planning.indexed import IndexedInstance
from homeward.engines.planning.model import Plan, PlanningInstance
from homeward.engines.planning.schedule import Schedule


def insert_in_order(
    ix: IndexedInstance, order: Sequence[int], schedule: Schedule | None = None
) -> Schedule:
    """Each request of `order` not yet placed, on its earliest day with room."""
    schedule = schedule or Schedule(ix)
    for i in order:
        if ix.servable[i] and schedule.slot[i] < 0:
            schedule.place_anywhere_from(i, ix.first_slot[i])
    return schedule


def priority_order(ix: IndexedInstance) -> list[int]:
    return sorted(range(ix.n), key=lambda i: (-ix.priority[i], ix.earliest[i], i))


def first_come_first_served(instance: PlanningInstance) -> Plan:
    ix = IndexedInstance(instance)
    order = sorted(range(ix.n), key=lambda i: (ix.earliest[i], i))
    return insert_in_order(ix, order).to_plan()


def highest_priority_first(instance: PlanningInstance) -> Plan:
    ix = IndexedInstance(instance)
    return insert_in_order(ix, priority_order(ix)).to_plan()
