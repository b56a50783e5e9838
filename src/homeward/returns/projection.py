"""The projection in the app: the registry's households feed the engine.

Each household's people are its registered members; its weight makes the surveyed households
of a settlement speak for all the households registered from it (a survey covering a third of
a village counts each answer three times). Intentions of every organisation count: the figures
are aggregates, and small ones are hidden from roles without access to cases.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count

from homeward.engines.disclosure import THRESHOLD
from homeward.engines.projection import (
    ConditionGain,
    HouseholdIntention,
    SettlementProjection,
    Survey,
    blocking_conditions,
    gains_if_given,
    project_returns,
)
from homeward.people.models import Household, Person
from homeward.places.models import Settlement
from homeward.returns.models import Guarantee, Intention

UNKNOWN_ORIGIN = "unknown"
CASES_FILE = Path(__file__).resolve().parent / "data" / "return_cases.csv"


@dataclass(frozen=True)
class ProjectionRow:
    settlement: str  # shown name
    figures: SettlementProjection
    hidden: bool  # figures withheld: too few households surveyed to show without risk


@dataclass(frozen=True)
class Projection:
    rows: list[ProjectionRow]
    total: SettlementProjection
    gains: list[ConditionGain]
    blocking: list[ConditionGain]
    surveyed_households: int
    registered_households: int


def current_survey() -> tuple[Survey, dict[str, str]]:
    """Every household's newest answer, with people and weights from the registry."""
    newest: dict[int, Intention] = {}
    for intention in Intention.objects.order_by("household_id", "-recorded_at", "-id").only(
        "household_id", "intention", "conditions", "recorded_at"
    ):
        newest.setdefault(intention.household_id, intention)
    origin = dict(
        Household.objects.filter(pk__in=newest).values_list("pk", "origin_settlement__slug")
    )
    people = dict(
        Person.objects.filter(household__in=newest)
        .values("household")
        .annotate(n=Count("id"))
        .values_list("household", "n")
    )
    registered = dict(
        Household.objects.values("origin_settlement__slug")
        .annotate(n=Count("id"))
        .values_list("origin_settlement__slug", "n")
    )
    surveyed: dict[str, int] = {}
    for household_id in newest:
        key = origin.get(household_id) or UNKNOWN_ORIGIN
        surveyed[key] = surveyed.get(key, 0) + 1
    households = []
    for household_id, intention in newest.items():
        key = origin.get(household_id) or UNKNOWN_ORIGIN
        weight = registered.get(None if key == UNKNOWN_ORIGIN else key, 0) / surveyed[key]
        households.append(
            HouseholdIntention(
                household_id=str(household_id),
                settlement=key,
                people=people.get(household_id, 0),
                intention=intention.intention,
                conditions=frozenset(intention.conditions),
                weight=max(1.0, weight),
            )
        )
    names = {s.slug: s.display_name() for s in Settlement.objects.filter(slug__in=surveyed)}
    return Survey(households), names


def guarantee_table() -> dict[str, frozenset[str]]:
    return {g.code: frozenset(g.answers) for g in Guarantee.objects.all()}


def project(given: list[str], *, with_small_counts: bool, samples: int = 200) -> Projection:
    survey, names = current_survey()
    table = guarantee_table()
    given = [code for code in given if code in table]
    figures = project_returns(survey, table, given, samples=samples, seed=0)
    hidden = set() if with_small_counts else _rows_to_hide(figures[:-1])
    rows = [
        ProjectionRow(names.get(row.settlement, row.settlement), row, row.settlement in hidden)
        for row in figures[:-1]
    ]
    rows.sort(key=lambda r: (r.hidden, -r.figures.would_return_people, r.settlement))
    return Projection(
        rows=rows,
        total=figures[-1],
        gains=[g for g in gains_if_given(survey, table, given) if g.people],
        blocking=blocking_conditions(survey, table, given),
        surveyed_households=len(survey),
        registered_households=Household.objects.count(),
    )


def _rows_to_hide(rows: list[SettlementProjection]) -> set[str]:
    """Settlements whose figures would point at a few families, as the occupancy page hides
    small counts: fewer than 5 households surveyed, or 1 to 4 of them returning. Where one
    settlement alone is hidden, the total minus the others would give it away: the next
    smallest is hidden too."""
    hidden = {
        row.settlement
        for row in rows
        if row.households_surveyed < THRESHOLD or 0 < row.would_return_households < THRESHOLD
    }
    if len(hidden) == 1:
        others = sorted(
            (row for row in rows if row.settlement not in hidden),
            key=lambda row: (row.households_surveyed, row.settlement),
        )
        if others:
            hidden.add(others[0].settlement)
    return hidden


@dataclass(frozen=True)
class PriorCase:
    case: str
    displaced: str
    returned: str
    period: str
    what: str
    source: str


@cache
def prior_cases() -> tuple[PriorCase, ...]:
    """What happened after earlier returns (sourced in the file), shown beside the figures."""
    with CASES_FILE.open(encoding="utf-8") as handle:
        return tuple(PriorCase(**row) for row in csv.DictReader(handle))
