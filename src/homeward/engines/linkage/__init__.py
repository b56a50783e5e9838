"""Record linkage: name keys, birth dates and phone numbers in one normal form; deduplication
of registers with Splink (features, scoring, guarded clustering, explanations, metrics).

The keys, dates and phones are imported at once (the registry uses them on every request);
the deduplication names load pandas and Splink on first use.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from homeward.engines.linkage.dates import BirthDate, BirthDateError, parse_birth_date
from homeward.engines.linkage.names import family_name_key, name_key, patronymic_key, romanize
from homeward.engines.linkage.phones import PhoneError, normalise_phone

if TYPE_CHECKING:
    from homeward.engines.linkage.cluster import Clustering, cluster_pairs
    from homeward.engines.linkage.evaluate import PairwiseScores, pairwise_scores
    from homeward.engines.linkage.explain import PairExplanation
    from homeward.engines.linkage.model import COMPARED_FIELDS, DEFAULT_THRESHOLD
    from homeward.engines.linkage.pipeline import (
        Deduplication,
        DuplicateRecordError,
        RecordRef,
        deduplicate,
    )
    from homeward.engines.linkage.places import PlaceIndex, settlement_spellings
    from homeward.engines.linkage.records import INPUT_COLUMNS, prepare_records

_LAZY = {
    "Clustering": "cluster",
    "cluster_pairs": "cluster",
    "PairwiseScores": "evaluate",
    "pairwise_scores": "evaluate",
    "PairExplanation": "explain",
    "COMPARED_FIELDS": "model",
    "DEFAULT_THRESHOLD": "model",
    "Deduplication": "pipeline",
    "DuplicateRecordError": "pipeline",
    "RecordRef": "pipeline",
    "deduplicate": "pipeline",
    "PlaceIndex": "places",
    "settlement_spellings": "places",
    "INPUT_COLUMNS": "records",
    "prepare_records": "records",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "COMPARED_FIELDS",
    "DEFAULT_THRESHOLD",
    "INPUT_COLUMNS",
    "BirthDate",
    "BirthDateError",
    "Clustering",
    "Deduplication",
    "DuplicateRecordError",
    "PairExplanation",
    "PairwiseScores",
    "PhoneError",
    "PlaceIndex",
    "RecordRef",
    "cluster_pairs",
    "deduplicate",
    "family_name_key",
    "name_key",
    "normalise_phone",
    "pairwise_scores",
    "parse_birth_date",
    "patronymic_key",
    "prepare_records",
    "romanize",
    "settlement_spellings",
]
