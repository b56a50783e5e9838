"""Projecting returns: the point figures, the bootstrap interval and what each guarantee adds."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homeward.engines.projection.conditions import CONDITION_CODES
from homeward.engines.projection.model import CONDITION_BIT, SettlementProjection, Survey

ALL = "ALL"
# Drawn indices held at once while bootstrapping: bounds memory whatever a settlement's size.
DRAWS_PER_CHUNK = 4_000_000


def project_returns(
    survey: Survey,
    guarantees: Mapping[str, frozenset[str]],
    given: Sequence[str],
    *,
    samples: int = 1000,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> list[SettlementProjection]:
    """One row per settlement (in name order), then the row for all of them.

    The interval is a 95 % percentile bootstrap over households, resampled within each
    settlement (the survey is stratified by settlement), so the total's interval is built
    from the same draws as the settlements'.
    """
    satisfied = survey.satisfied(survey.answered_mask(guarantees, given))
    would = survey.intends_return & satisfied
    might = survey.undecided & satisfied
    would_people = np.where(would, survey.weighted_people, 0.0)
    might_people = np.where(might, survey.weighted_people, 0.0)
    rng = np.random.default_rng(seed)
    totals = np.zeros(samples, dtype=np.float64)
    rows: list[SettlementProjection] = []
    settlement_count = len(survey.settlements)
    for i, name in enumerate(survey.settlements):
        start, end = int(survey.bounds[i]), int(survey.bounds[i + 1])
        values = would_people[start:end]
        drawn = _bootstrap_sums(values, samples, rng)
        totals += drawn
        rows.append(
            _row(name, end - start, would[start:end], values, might_people[start:end], drawn)
        )
        if progress is not None:
            progress((i + 1) / max(1, settlement_count))
    rows.append(_row(ALL, len(survey), would, would_people, might_people, totals))
    return rows


def _bootstrap_sums(
    values: npt.NDArray[np.float64], samples: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    size = values.size
    if samples == 0:
        return np.zeros(0, dtype=np.float64)
    if size == 0 or not values.any():
        # Nobody here would return: every resample sums to zero. Drawing would change nothing.
        return np.zeros(samples, dtype=np.float64)
    sums = np.empty(samples, dtype=np.float64)
    chunk = max(1, DRAWS_PER_CHUNK // size)
    for first in range(0, samples, chunk):
        count = min(chunk, samples - first)
        drawn = rng.integers(0, size, size=(count, size))
        sums[first : first + count] = values[drawn].sum(axis=1)
    return sums


def _row(
    name: str,
    households: int,
    would: npt.NDArray[np.bool_],
    would_people: npt.NDArray[np.float64],
    might_people: npt.NDArray[np.float64],
    drawn: npt.NDArray[np.float64],
) -> SettlementProjection:
    point = float(would_people.sum())
    if drawn.size:
        low, high = (float(x) for x in np.percentile(drawn, [2.5, 97.5]))
    else:
        low = high = point
    return SettlementProjection(
        settlement=name,
        households_surveyed=households,
        would_return_households=int(would.sum()),
        would_return_people=point,
        might_return_people=float(might_people.sum()),
        would_return_people_low=low,
        would_return_people_high=high,
    )


@dataclass(frozen=True)
class ConditionGain:
    """How many more people would return if one more thing were given."""

    code: str  # a guarantee code, or a condition code
    people: float
    households: int


def gains_if_given(
    survey: Survey, guarantees: Mapping[str, frozenset[str]], given: Sequence[str]
) -> list[ConditionGain]:
    """For each guarantee not given: the people it alone would add. Exact, largest first."""
    answered = survey.answered_mask(guarantees, given)
    base = survey.intends_return & survey.satisfied(answered)
    gains = []
    for code in sorted(set(guarantees) - set(given)):
        added = survey.answered_mask(guarantees, [code]) | answered
        newly = survey.intends_return & survey.satisfied(added) & ~base
        gains.append(
            ConditionGain(
                code=code,
                people=float(survey.weighted_people[newly].sum()),
                households=int(newly.sum()),
            )
        )
    return sorted(gains, key=lambda g: (-g.people, g.code))


def blocking_conditions(
    survey: Survey, guarantees: Mapping[str, frozenset[str]], given: Sequence[str]
) -> list[ConditionGain]:
    """For each condition still unanswered: the people for whom it is the only thing missing.

    "If only X were given, N more": those households intend to return and every other
    condition they set is answered already. Exact, largest first; zero rows left out.
    """
    answered = survey.answered_mask(guarantees, given)
    missing = survey.conditions & ~np.int64(answered)
    intends = survey.intends_return
    gains = []
    for code in CONDITION_CODES:
        bit = CONDITION_BIT[code]
        only_this = intends & (missing == bit)
        if only_this.any():
            gains.append(
                ConditionGain(
                    code=code,
                    people=float(survey.weighted_people[only_this].sum()),
                    households=int(only_this.sum()),
                )
            )
    return sorted(gains, key=lambda g: (-g.people, g.code))
