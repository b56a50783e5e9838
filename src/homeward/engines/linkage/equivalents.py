"""Given names that are one name for one person but not one spelling: Սերժ and Сергей,
Սամվել and Samuel, Հռիփսիմե and Рипсиме, Վարդուհի and Вардухи.

The phonetic key (``names.py``) agrees across spellings of one name; it cannot know that a
Soviet document gave Սերժ the Russian name Сергей. Such equivalents are data, not code:
``data/given_name_equivalents.csv`` holds one group per row, its forms separated by ``;``,
with the relation and where it comes from (or that it is an assumption). Every form is
keyed, and each key is mapped to its group: the group's first form's key.

Used by the linkage model (a comparison level and a blocking key, ``records.py``) and by
search (a word finds every name of its group).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from homeward.engines.linkage.names import name_key

__all__ = ["EQUIVALENTS_FILE", "equivalent_keys", "given_name_group"]

EQUIVALENTS_FILE = Path(__file__).with_name("data") / "given_name_equivalents.csv"


@cache
def _groups() -> dict[str, frozenset[str]]:
    """name key -> every key of its group (a key in two groups gets both)."""
    groups: dict[str, set[str]] = {}
    with EQUIVALENTS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            keys = {name_key(form) for form in row["forms"].split(";") if form.strip()}
            keys.discard("")
            merged = set(keys).union(*(groups.get(k, set()) for k in keys))
            for key in merged:
                groups[key] = merged
    return {key: frozenset(members) for key, members in groups.items()}


def equivalent_keys(key: str) -> frozenset[str]:
    """Every name key that stands for the same name as ``key`` (``key`` itself included)."""
    return _groups().get(key, frozenset((key,)) if key else frozenset())


def given_name_group(key: str) -> str:
    """One key for a name and its equivalents (the smallest key of its group); ``key``
    itself for a name without equivalents."""
    members = _groups().get(key)
    return min(members) if members else key
