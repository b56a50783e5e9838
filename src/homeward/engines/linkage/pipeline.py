"""Deduplicating registrations: features, Splink scoring, guarded clustering, explanations.

    result = deduplicate(records, places=PlaceIndex(spellings))
    result.cluster_ids        # one cluster number per input record, in input order
    result.review             # uncertain pairs, each with its score and field agreements

``records`` is a table in the import column contract, one row per record, from any number of
registers at once (the source column tells them apart; one register may hold a person twice).
Reviewers' decisions come in as must-link and cannot-link pairs of (source, record_id) and
are respected by the clustering.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from splink import Linker

from homeward.engines.linkage.backends import (
    Backend,
    database_for,
    fetch_columns,
    register_features,
)
from homeward.engines.linkage.cluster import cluster_pairs, guard_profiles
from homeward.engines.linkage.explain import PairExplanation, explain_pairs, level_labels
from homeward.engines.linkage.model import (
    COMPARED_FIELDS,
    DEFAULT_THRESHOLD,
    linkage_settings,
    train,
    trained_settings,
)
from homeward.engines.linkage.places import PlaceIndex
from homeward.engines.linkage.records import FeatureWarnings, prepare_records

__all__ = ["Deduplication", "RecordRef", "deduplicate"]

RecordRef = tuple[str, str]  # (source, record_id)
# Scoring runs in slices of the records (each against all), so that the candidate pairs of
# a slice, not of the whole input, are held at once: peak memory for 2.9 million records
# falls from 7.5 GB to about 4 GB for some 10% more time.
RECORDS_PER_CHUNK = 750_000
_PAIR_COLUMNS = [
    "unique_id_l",
    "unique_id_r",
    "match_probability",
    "match_weight",
    *(f"gamma_{f}" for f in COMPARED_FIELDS),
]


@dataclass
class Deduplication:
    references: list[RecordRef]  # input order
    cluster_ids: np.ndarray  # cluster number per record, numbered in order of first record
    threshold: float
    pairs: pd.DataFrame  # scored pairs at or above min(threshold, review band), strongest first
    review: list[PairExplanation]  # pairs in the review band, and pairs the guard kept apart
    warnings: FeatureWarnings
    model: dict[str, Any]  # the trained Splink model (settings and parameters), for the record
    refused_pairs: int = 0  # pairs above the threshold that the guard kept apart
    # (unique_id_l, unique_id_r) of each of them -> why (a cluster.REASONS code)
    kept_apart: dict[tuple[int, int], str] = field(default_factory=dict)
    ignored_must_links: list[tuple[RecordRef, RecordRef]] = field(default_factory=list)
    unknown_decisions: list[tuple[RecordRef, RecordRef]] = field(default_factory=list)
    _labels: dict[str, dict[int, str]] = field(default_factory=dict, repr=False)

    @property
    def cluster_count(self) -> int:
        return int(self.cluster_ids.max(initial=-1)) + 1

    def explain(self, pairs: pd.DataFrame | None = None) -> list[PairExplanation]:
        """Explanations of ``pairs`` (default: every scored pair at or above the threshold)."""
        if pairs is None:
            pairs = self.pairs[self.pairs["match_probability"] >= self.threshold]
        left = self.cluster_ids[pairs["unique_id_l"].to_numpy()]
        right = self.cluster_ids[pairs["unique_id_r"].to_numpy()]
        return explain_pairs(
            pairs, self._labels, self.references, left == right, kept_apart=self.kept_apart
        )


class DuplicateRecordError(ValueError):
    """Two input rows carry the same (source, record_id)."""

    def __init__(self, duplicates: list[tuple[int, RecordRef]]) -> None:
        self.duplicates = duplicates  # (row position, reference) of each repeated row
        shown = ", ".join(f"{s}/{r} (row {i})" for i, (s, r) in duplicates[:5])
        super().__init__(f"{len(duplicates)} repeated (source, record_id): {shown}")


def deduplicate(
    records: pd.DataFrame,
    *,
    places: PlaceIndex | Mapping[str, str],
    threshold: float = DEFAULT_THRESHOLD,
    review_band: tuple[float, float] | None = None,
    must_link: Iterable[tuple[RecordRef, RecordRef]] = (),
    cannot_link: Iterable[tuple[RecordRef, RecordRef]] = (),
    backend: Backend = "duckdb",
    spark: Any = None,
    seed: int = 1,
    model: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Deduplication:
    """Cluster ``records`` (import column contract) into people; see the module docstring.

    ``model``: a model trained before (``Deduplication.model`` of an earlier run, on either
    backend) to score with, instead of estimating one from ``records``: the same scores for
    the same pairs from run to run, or a model trained on one machine applied on a cluster.
    """
    if not 0 < threshold < 1:
        raise ValueError("threshold must be between 0 and 1")
    if review_band is not None and not 0 <= review_band[0] <= review_band[1] <= 1:
        raise ValueError("review band must satisfy 0 <= low <= high <= 1")

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    step("features")
    index = places if isinstance(places, PlaceIndex) else PlaceIndex(places)
    prepared = prepare_records(records, index)
    features = prepared.features
    references = list(zip(features["source"].tolist(), features["record_id"].tolist(), strict=True))
    position = _positions(references)
    must, unknown = _decisions(must_link, position)
    cannot, unknown_cannot = _decisions(cannot_link, position)
    unknown += unknown_cannot

    step("training")
    database = database_for(backend, spark=spark)
    table = register_features(database, features)
    if model is None:
        linker = Linker(table, linkage_settings(), log_level=None)
        train(linker, records=len(features), seed=seed)
    else:
        linker = Linker(table, trained_settings(model), log_level=None)

    step("scoring")
    floor = min(threshold, review_band[0]) if review_band else threshold
    predictions = linker.inference.predict(
        threshold_match_probability=floor,
        num_chunks_left=max(1, -(-len(features) // RECORDS_PER_CHUNK)),
        num_chunks_right=1,
        warning_mode="never",
    )
    pairs = fetch_columns(predictions, _PAIR_COLUMNS)
    pairs = pairs.sort_values(
        ["match_probability", "unique_id_l", "unique_id_r"],
        ascending=[False, True, True],
        kind="stable",
        ignore_index=True,
    )
    labels = level_labels(linker)
    trained = linker.misc.save_model_to_json()

    step("clustering")
    linked_pairs = pairs[pairs["match_probability"] >= threshold]
    profile_of, profiles = guard_profiles(features)
    clustering = cluster_pairs(
        len(features),
        zip(
            linked_pairs["unique_id_l"].tolist(),
            linked_pairs["unique_id_r"].tolist(),
            strict=True,
        ),
        profile_of,
        profiles,
        must_link=must,
        cannot_link=cannot,
        household_of=prepared.households,
    )
    result = Deduplication(
        references=references,
        cluster_ids=clustering.labels,
        threshold=threshold,
        pairs=pairs,
        review=[],
        warnings=prepared.warnings,
        model=trained,
        refused_pairs=len(clustering.refused),
        kept_apart=dict(zip(clustering.refused, clustering.refused_why, strict=True)),
        ignored_must_links=[
            (references[a], references[b]) for a, b in clustering.ignored_must_links
        ],
        unknown_decisions=unknown,
        _labels=labels,
    )
    if review_band is not None:
        low, high = review_band
        probability = pairs["match_probability"]
        in_band = (probability >= low) & (probability < high)
        refused = set(clustering.refused)
        kept_apart = [
            pair in refused
            for pair in zip(
                pairs["unique_id_l"].tolist(), pairs["unique_id_r"].tolist(), strict=True
            )
        ]
        result.review = result.explain(pairs[in_band | np.array(kept_apart, dtype=bool)])
    return result


def _positions(references: list[RecordRef]) -> dict[RecordRef, int]:
    position: dict[RecordRef, int] = {}
    duplicates: list[tuple[int, RecordRef]] = []
    for i, reference in enumerate(references):
        if position.setdefault(reference, i) != i:
            duplicates.append((i, reference))
    if duplicates:
        raise DuplicateRecordError(duplicates)
    return position


def _decisions(
    decisions: Iterable[tuple[RecordRef, RecordRef]], position: Mapping[RecordRef, int]
) -> tuple[list[tuple[int, int]], list[tuple[RecordRef, RecordRef]]]:
    known: list[tuple[int, int]] = []
    unknown: list[tuple[RecordRef, RecordRef]] = []
    for a, b in decisions:
        a, b = (str(a[0]), str(a[1])), (str(b[0]), str(b[1]))
        if a in position and b in position:
            known.append((position[a], position[b]))
        else:
            unknown.append((a, b))
    return known, unknown


logging.getLogger("splink").addHandler(logging.NullHandler())
