"""Why a pair scored what it did, as plain data a reviewer (or the app) can read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from homeward.engines.linkage.levels import AGREES, CLOSE, DIFFERS, level_verdict
from homeward.engines.linkage.model import COMPARED_FIELDS

__all__ = ["NULL_LABEL", "PairExplanation", "explain_pairs", "level_labels"]

NULL_LABEL = "unknown"  # one side (or both) did not record the field


@dataclass(frozen=True, slots=True)
class PairExplanation:
    """One scored pair: its records, its score and the level each field reached."""

    record_a: tuple[str, str]  # (source, record_id)
    record_b: tuple[str, str]
    probability: float
    match_weight: float  # log2 of the Bayes factor including the prior
    agreements: dict[str, str]  # field -> level label ("same spelling", "different", ...)
    linked: bool  # joined in one cluster
    # Scored at or above the threshold and kept apart by the guard: why (cluster.REASONS).
    kept_apart: str = ""

    @property
    def agreed(self) -> list[str]:
        """Fields that agree exactly (``levels.py``: a forgiving level is not agreement)."""
        return [f for f, label in self.agreements.items() if level_verdict(label) == AGREES]

    @property
    def close(self) -> list[str]:
        """Fields that differ in a way one person's records can (one letter, year only)."""
        return [f for f, label in self.agreements.items() if level_verdict(label) == CLOSE]

    @property
    def disagreed(self) -> list[str]:
        return [f for f, label in self.agreements.items() if level_verdict(label) == DIFFERS]


def level_labels(linker: Any) -> dict[str, dict[int, str]]:
    """Per compared field, the label of each comparison vector value of the trained model."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        field = comparison.output_column_name
        values: dict[int, str] = {-1: NULL_LABEL}
        for level in comparison._comparison_levels_excluding_null:
            values[level.comparison_vector_value] = level.label_for_charts
        labels[field] = values
    return labels


def explain_pairs(
    pairs: pd.DataFrame,
    labels: Mapping[str, Mapping[int, str]],
    references: Sequence[tuple[str, str]],
    linked: Iterable[bool],
    *,
    kept_apart: Mapping[tuple[int, int], str] | None = None,
) -> list[PairExplanation]:
    """Explanations of scored ``pairs`` (unique_id_l, unique_id_r, match_probability,
    match_weight, gamma_<field>), records named by ``references[unique_id]``."""
    gammas = {field: pairs[f"gamma_{field}"].to_numpy() for field in COMPARED_FIELDS}
    left = pairs["unique_id_l"].to_numpy()
    right = pairs["unique_id_r"].to_numpy()
    probability = pairs["match_probability"].to_numpy()
    weight = pairs["match_weight"].to_numpy()
    return [
        PairExplanation(
            record_a=references[int(left[i])],
            record_b=references[int(right[i])],
            probability=float(probability[i]),
            match_weight=float(weight[i]),
            agreements={
                field: labels[field].get(int(gammas[field][i]), NULL_LABEL)
                for field in COMPARED_FIELDS
            },
            linked=bool(is_linked),
            kept_apart=(kept_apart or {}).get((int(left[i]), int(right[i])), ""),
        )
        for i, is_linked in zip(range(len(pairs)), linked, strict=True)
    ]
