"""The projection's data: surveyed households in, one row per settlement out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homeward.engines.projection.conditions import CONDITION_CODES, INTENTIONS

CONDITION_BIT: dict[str, int] = {code: 1 << i for i, code in enumerate(CONDITION_CODES)}


@dataclass(frozen=True)
class HouseholdIntention:
    household_id: str
    settlement: str
    people: int
    intention: str
    conditions: frozenset[str]
    weight: float = 1.0


@dataclass(frozen=True)
class SettlementProjection:
    settlement: str  # as written; "ALL" for the total row
    households_surveyed: int
    would_return_households: int
    would_return_people: float
    might_return_people: float
    would_return_people_low: float
    would_return_people_high: float


def condition_mask(codes: frozenset[str] | Sequence[str]) -> int:
    mask = 0
    for code in codes:
        mask |= CONDITION_BIT[code]
    return mask


class Survey:
    """The households as arrays, grouped by settlement, ready to be projected many times.

    A negotiator toggles guarantees again and again over the same survey: the arrays are
    built once and each projection is a few vector operations.
    """

    def __init__(self, households: Sequence[HouseholdIntention]) -> None:
        self.settlements: list[str] = sorted({h.settlement for h in households})
        index = {name: i for i, name in enumerate(self.settlements)}
        order = sorted(range(len(households)), key=lambda i: index[households[i].settlement])
        ordered = [households[i] for i in order]
        self.settlement_of: npt.NDArray[np.int64] = np.array(
            [index[h.settlement] for h in ordered], dtype=np.int64
        )
        self.weighted_people: npt.NDArray[np.float64] = np.array(
            [h.people * h.weight for h in ordered], dtype=np.float64
        )
        self.intends_return: npt.NDArray[np.bool_] = np.array(
            [h.intention == "return" for h in ordered], dtype=bool
        )
        self.undecided: npt.NDArray[np.bool_] = np.array(
            [h.intention == "undecided" for h in ordered], dtype=bool
        )
        self.conditions: npt.NDArray[np.int64] = np.array(
            [condition_mask(h.conditions) for h in ordered], dtype=np.int64
        )
        # Households of settlement i are rows bounds[i]:bounds[i + 1].
        counts = np.bincount(self.settlement_of, minlength=len(self.settlements))
        self.bounds: npt.NDArray[np.int64] = np.concatenate(([0], np.cumsum(counts))).astype(
            np.int64
        )

    def __len__(self) -> int:
        return int(self.settlement_of.size)

    def answered_mask(self, guarantees: Mapping[str, frozenset[str]], given: Sequence[str]) -> int:
        mask = 0
        for code in given:
            mask |= condition_mask(guarantees[code])
        return mask

    def satisfied(self, answered: int) -> npt.NDArray[np.bool_]:
        """Households every condition of which is answered."""
        return np.asarray((self.conditions & ~np.int64(answered)) == 0)


__all__ = ["INTENTIONS", "HouseholdIntention", "SettlementProjection", "Survey"]
