"""Pairwise precision, recall and F1 of a clustering against the truth.

True pairs are pairs of records of one person; predicted pairs are pairs of records in one
cluster. Both are counted from cluster sizes (n records make n(n-1)/2 pairs) on the
contingency table of (person, cluster), so a cluster of 10,000 records costs no more than one
of two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

__all__ = ["PairwiseScores", "pairwise_scores"]


@dataclass(frozen=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(truth: Sequence[object], predicted: Sequence[object]) -> PairwiseScores:
    """Scores of ``predicted`` cluster labels against ``truth`` labels, record by record."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predicted must label the same records")
    true_codes = pd.factorize(pd.Series(truth), use_na_sentinel=False)[0].astype(np.int64)
    predicted_codes = pd.factorize(pd.Series(predicted), use_na_sentinel=False)[0].astype(np.int64)
    cells = true_codes * (int(predicted_codes.max(initial=0)) + 1) + predicted_codes
    return PairwiseScores(
        true_pairs=_pairs(np.bincount(true_codes)),
        predicted_pairs=_pairs(np.bincount(predicted_codes)),
        correct_pairs=_pairs(np.unique(cells, return_counts=True)[1]),
    )
