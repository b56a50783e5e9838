"""Registration rows turned into the features the linkage model compares.

Input: one row per record in the import column contract (source, record_id, given_name,
family_name, patronymic, sex, birth_date, origin, phone; other columns are ignored). Output:
a table with one row per record, in input order, whose ``unique_id`` is the row's position:

- ``given_key``, ``family_key``, ``patronymic_key``: the phonetic keys of ``names.py``, equal
  for the usual renderings of one name in Armenian, Russian or Latin letters; given and family
  names written in each other's place are put back (``names_swapped``);
- ``given_latin``, ``family_latin``: the romanised names, for the similarity levels;
- ``sex``; ``birth_year``, ``birth_month``, ``birth_day`` and ``birth_date`` (ISO, only when
  known to the day); a 1 January date counts as a year only for partial agreement, since
  registers write 01.01 for an unknown day;
- ``origin_id``: the settlement through ``PlaceIndex``; ``phone``: "+" and digits.

Every value is computed once per distinct spelling and mapped back, because a million records
hold only some tens of thousands of distinct names, dates and places.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from homeward.engines.linkage.dates import BirthDateError, parse_birth_date
from homeward.engines.linkage.names import family_name_key, name_key, patronymic_key, romanize
from homeward.engines.linkage.phones import PhoneError, normalise_phone
from homeward.engines.linkage.places import PlaceIndex

__all__ = [
    "INPUT_COLUMNS",
    "FeatureWarnings",
    "PreparedRecords",
    "looks_like_family_name",
    "prepare_records",
]

INPUT_COLUMNS: tuple[str, ...] = (
    "source",
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "origin",
    "phone",
)

# Armenian family names end in -yan (-ian, -jan, -ean; -yants in older forms), whatever the
# script: Հովհաննիսյան, Оганесян, Hovannisian. Given names almost never do.
_FAMILY_ENDING = re.compile(r"(?:[yije]an)(?:ts|tz|c|z)?$")
_SEXES = {"f": "F", "m": "M", "ж": "F", "м": "M", "ի": "F", "ա": "M"}


def looks_like_family_name(text: str) -> bool:
    """True when the last word carries a surname ending (-yan, -ian, -ян, -յան, -yants)."""
    words = romanize(text).split()
    return bool(words) and _FAMILY_ENDING.search(words[-1]) is not None


@dataclass
class FeatureWarnings:
    """Values that could not be read and were treated as unknown, with a few examples."""

    unreadable_birth_dates: int = 0
    unreadable_phones: int = 0
    examples: list[tuple[int, str, str, str]] = field(default_factory=list)  # row, field, value, why

    MAX_EXAMPLES = 20

    def note(self, row: int, column: str, value: str, why: str) -> None:
        if len(self.examples) < self.MAX_EXAMPLES:
            self.examples.append((row, column, value, why))


@dataclass
class PreparedRecords:
    features: pd.DataFrame  # one row per input record, unique_id = position
    warnings: FeatureWarnings


def _text(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str).str.strip()


def _map_unique(column: pd.Series, function: Callable[[str], object]) -> pd.Series:
    """``function`` applied once per distinct value."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    values = np.array([function(value) for value in uniques], dtype=object)
    return pd.Series(values[codes], index=column.index, dtype=object)


def _or_none(value: str) -> str | None:
    return value or None


def prepare_records(records: pd.DataFrame, places: PlaceIndex) -> PreparedRecords:
    """Features of ``records`` (contract columns as text; missing optional columns are blank)."""
    frame = pd.DataFrame(index=pd.RangeIndex(len(records)))
    columns = {
        name: _text(records[name]).reset_index(drop=True)
        if name in records
        else pd.Series([""] * len(records), dtype=object)
        for name in INPUT_COLUMNS
    }
    warnings = FeatureWarnings()
    frame["unique_id"] = np.arange(len(records), dtype=np.int64)
    frame["source"] = columns["source"].astype(object)
    frame["record_id"] = columns["record_id"].astype(object)

    given, family = columns["given_name"], columns["family_name"]
    given_is_family = _map_unique(given, looks_like_family_name).astype(bool)
    family_is_family = _map_unique(family, looks_like_family_name).astype(bool)
    swapped = given_is_family & ~family_is_family & (family != "")
    given, family = given.where(~swapped, family), family.where(~swapped, given)
    frame["names_swapped"] = swapped.to_numpy()
    frame["given_key"] = _map_unique(given, lambda t: _or_none(name_key(t)))
    frame["family_key"] = _map_unique(family, lambda t: _or_none(family_name_key(t)))
    frame["given_latin"] = _map_unique(given, lambda t: _or_none(romanize(t)))
    frame["family_latin"] = _map_unique(family, lambda t: _or_none(romanize(t)))
    frame["patronymic_key"] = _map_unique(
        columns["patronymic"], lambda t: _or_none(patronymic_key(t))
    )
    frame["sex"] = _map_unique(columns["sex"], lambda t: _SEXES.get(t[:1].lower()))

    codes, spellings = pd.factorize(columns["birth_date"], use_na_sentinel=False)
    parsed = [_read_date(text) for text in spellings]
    unreadable = np.array([isinstance(p, str) for p in parsed], dtype=bool)[codes]
    for row in np.flatnonzero(unreadable)[: FeatureWarnings.MAX_EXAMPLES]:
        reason = parsed[codes[row]]
        warnings.note(int(row), "birth_date", columns["birth_date"].iat[row], str(reason))
    warnings.unreadable_birth_dates = int(unreadable.sum())
    parts = [p if isinstance(p, tuple) else (None, None, None) for p in parsed]
    for index, name in enumerate(("birth_year", "birth_month", "birth_day")):
        values = pd.array([p[index] for p in parts], dtype="Int16")
        frame[name] = values.take(codes) if len(parts) else values
    iso = np.array([_iso(p) for p in parsed], dtype=object)
    frame["birth_date"] = iso[codes] if len(parsed) else iso

    frame["origin_id"] = _map_unique(columns["origin"], places.resolve)
    phones = _map_unique(columns["phone"], _read_phone)
    bad_phones = phones.map(lambda p: isinstance(p, tuple))
    for row in np.flatnonzero(bad_phones.to_numpy())[: FeatureWarnings.MAX_EXAMPLES]:
        warnings.note(int(row), "phone", columns["phone"].iat[row], phones.iat[row][0])
    warnings.unreadable_phones = int(bad_phones.sum())
    frame["phone"] = phones.where(~bad_phones, None)
    return PreparedRecords(frame, warnings)


DateParts = tuple[int | None, int | None, int | None]


def _read_date(text: str) -> DateParts | str | None:
    """(year, month, day), None when blank, or the reason it cannot be read."""
    if not text:
        return None
    try:
        born = parse_birth_date(text)
    except BirthDateError as error:
        return str(error)
    if born.year is None:
        return None
    return (born.year, born.month, born.day)


def _iso(parts: DateParts | str | None) -> str | None:
    if not isinstance(parts, tuple) or parts[2] is None:
        return None
    year, month, day = parts
    return f"{year:04d}-{month:02d}-{day:02d}"


def _read_phone(text: str) -> str | tuple[str] | None:
    """The normal form, None when blank, or (reason,) when it cannot be read."""
    if not text:
        return None
    try:
        return normalise_phone(text)
    except PhoneError as error:
        return (str(error),)


def records_from_rows(rows: list[Mapping[str, str]]) -> pd.DataFrame:
    """A records table from plain dicts (tests and small callers)."""
    return pd.DataFrame([{c: row.get(c, "") for c in INPUT_COLUMNS} for row in rows])

