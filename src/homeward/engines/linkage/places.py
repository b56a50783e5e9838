"""Places of origin through the gazetteer's spellings: Xankəndi, Степанакерт, Ստեփանակերտ -> one id.

The caller gives every spelling it knows with the settlement it names (from the database or
from places/data/settlements.csv); ``PlaceIndex`` resolves what registers wrote, in the same
tiers as the app's gazetteer lookup: the same romanised spelling, then the same phonetic key,
then the closest spelling by edit similarity (keying errors: Սօտեփանակերտ), and otherwise an
id of the spelling's own key, so that two records of one unknown village still agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from homeward.engines.linkage.names import name_key, romanize

__all__ = ["PlaceIndex", "settlement_spellings"]

# Columns of places/data/settlements.csv that hold names; alt_names is ";"-separated.
_NAME_COLUMNS = ("name_hy", "name_hy_latn", "name_az", "name_az_latn", "name_ru")
# A misspelt place is taken for the gazetteer's closest spelling only when nearly all of it
# agrees (Indel similarity of the romanised spellings, 0-100) and no other place is as close.
_FUZZY_CUTOFF = 85.0
_MIN_FUZZY_LENGTH = 5
UNKNOWN_PREFIX = "~"


def settlement_spellings(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Every spelling of every settlement -> its slug, from rows shaped like settlements.csv."""
    spellings: dict[str, str] = {}
    for row in rows:
        slug = row["slug"]
        names = [row.get(column, "") for column in _NAME_COLUMNS]
        names += (row.get("alt_names") or "").split(";")
        for name in names:
            name = name.strip()
            if name:
                spellings.setdefault(name, slug)
    return spellings


def _unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str | None]:
    """Spelling -> id, or None when two places share the spelling."""
    table: dict[str, str | None] = {}
    for spelling, place in pairs:
        if spelling:
            table[spelling] = place if table.get(spelling, place) == place else None
    return table


class PlaceIndex:
    """Resolves written place names to settlement ids; built once per run."""

    def __init__(self, spellings: Mapping[str, str]) -> None:
        self.by_latin = _unique((romanize(s), place) for s, place in spellings.items())
        self.by_key = _unique((name_key(s), place) for s, place in spellings.items())
        self._latin = [latin for latin, place in self.by_latin.items() if place is not None]
        self._cache: dict[str, str | None] = {}

    def resolve(self, text: str) -> str | None:
        """The settlement id, ``~key`` for a place the gazetteer does not know, None if blank."""
        cached = self._cache.get(text, "")
        if cached != "":
            return cached
        resolved = self._resolve(text)
        self._cache[text] = resolved
        return resolved

    def _resolve(self, text: str) -> str | None:
        latin = romanize(text)
        if not latin:
            return None
        found = self.by_latin.get(latin)
        if found is None:
            key = name_key(text)
            found = self.by_key.get(key)
            if found is None and len(latin) >= _MIN_FUZZY_LENGTH and self._latin:
                found = self._closest(latin)
            if found is None:
                return UNKNOWN_PREFIX + key
        return found

    def _closest(self, latin: str) -> str | None:
        best = process.extract(
            latin, self._latin, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=3
        )
        if not best:
            return None
        places = {self.by_latin[spelling] for spelling, score, _ in best if score == best[0][1]}
        return places.pop() if len(places) == 1 else None
