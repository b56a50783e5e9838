"""Registration rows turned into the features the linkage model compares.

Input: one row per record in the import column contract (source, record_id, given_name,
family_name, patronymic, sex, birth_date, origin, phone; other columns are ignored). Output:
a table with one row per record, in input order, whose ``unique_id`` is the row's position:

- ``given_key``, ``family_key``, ``patronymic_key``: the phonetic keys of ``names.py``, equal
  for the usual renderings of one name in Armenian, Russian or Latin letters; given and family
  names written in each other's place are put back (``names_swapped``);
- ``given_latin``, ``family_latin``: the romanised names, for the similarity levels;
  ``given_bare``: the given name's key without its first velar or h (Гайк = Hayk);
  ``given_group``: one key for a name and its equivalents (Սերժ = Сергей; ``equivalents.py``);
- ``sex``; ``birth_year``, ``birth_month``, ``birth_day`` and ``birth_date`` (ISO, only when
  known to the day); a 1 January date counts as a year only for partial agreement, since
  registers write 01.01 for an unknown day;
- ``origin_id``: the settlement through ``PlaceIndex``; ``phone``: "+" and digits.

Beside the table, ``households``: per record a number for its (source, household_ref), -1
when the row has none; the guard never joins two records of one household (siblings, twins).

Every value is computed once per distinct spelling and mapped back, because a million records
hold only some tens of thousands of distinct names, dates and places.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from homeward.engines.linkage.dates import BirthDateError, parse_birth_date
from homeward.engines.linkage.equivalents import given_name_group
from homeward.engines.linkage.names import family_name_key, name_key, patronymic_key, romanize
from homeward.engines.linkage.phones import PhoneError, normalise_phone
from homeward.engines.linkage.places import PlaceIndex

__all__ = [
    "INPUT_COLUMNS",
    "FeatureWarnings",
    "PreparedRecords",
    "bare_name_key",
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
    # (record position, field, value as written, why it cannot be read)
    examples: list[tuple[int, str, str, str]] = field(default_factory=list)

    MAX_EXAMPLES = 20

    def note(self, row: int, column: str, value: str, why: str) -> None:
        if len(self.examples) < self.MAX_EXAMPLES:
            self.examples.append((row, column, value, why))


@dataclass
class PreparedRecords:
    features: pd.DataFrame  # one row per input record, unique_id = position
    warnings: FeatureWarnings
    # Per record, a number for its (source, household_ref); -1 without a household_ref.
    households: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


class _Column:
    """A text column as codes into its distinct values (stripped), so that every function of
    the text runs once per distinct value."""

    values: list[str]
    codes: np.ndarray

    def __init__(self, records: pd.DataFrame, name: str) -> None:
        if name in records:
            column = records[name]
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            self.values = [str(u).strip() for u in uniques] + [""]  # -1 (missing) -> ""
            codes[codes < 0] = len(self.values) - 1
        else:
            codes, self.values = np.zeros(len(records), dtype=np.intp), [""]
        self.codes = codes

    def map(self, function: Callable[[str], object]) -> np.ndarray:
        """function(text) per record, as an object array."""
        mapped: np.ndarray = self.apply(function)[self.codes]
        return mapped

    def apply(self, function: Callable[[str], object]) -> np.ndarray:
        """function(text) per distinct value."""
        values = np.empty(len(self.values), dtype=object)
        values[:] = [function(value) for value in self.values]
        return values

    def text(self, row: int) -> str:
        return self.values[int(self.codes[row])]


def _or_none(value: str) -> str | None:
    return value or None


def _given_key(text: str) -> str | None:
    return name_key(text) or None


def _family_key(text: str) -> str | None:
    return family_name_key(text) or None


def _latin(text: str) -> str | None:
    return romanize(text) or None


# An initial h, g, k, kh or gh before a vowel or r: the sound Russian writes Г, Х or not at all
# for Armenian Հ (Гайк, Айк and Hayk; Гамлет and Hamlet; Рипсиме and Hripsime).
_INITIAL_VELAR = re.compile(r"^(?:kh|gh|h|g|k)(?=[aeiouyr])")


def bare_name_key(text: str) -> str | None:
    """The name's key read without its first velar or h: equal for Гайк, Aik and Hayk.

    A looser key than ``name_key`` (Karen and Aren share it, and so do Gagik and Hayk, since
    a velar between vowels is dropped); the model weighs its agreement as a level of its own.
    """
    latin = romanize(text)
    if not latin:
        return None
    return name_key(_INITIAL_VELAR.sub("", latin, count=1)) or None


def prepare_records(records: pd.DataFrame, places: PlaceIndex) -> PreparedRecords:
    """Features of ``records`` (contract columns as text; missing columns count as blank)."""
    count = len(records)
    warnings = FeatureWarnings()
    frame: dict[str, object] = {"unique_id": np.arange(count, dtype=np.int64)}
    for name in ("source", "record_id"):
        frame[name] = _Column(records, name).map(str)

    # Given and family names written in each other's place are put back.
    given, family = _Column(records, "given_name"), _Column(records, "family_name")
    given_is_family = given.apply(looks_like_family_name).astype(bool)[given.codes]
    family_is_family = family.apply(looks_like_family_name).astype(bool)[family.codes]
    family_blank = np.array([not v for v in family.values], dtype=bool)[family.codes]
    swapped = given_is_family & ~family_is_family & ~family_blank
    frame["names_swapped"] = swapped
    for feature, function in (("key", None), ("latin", _latin), ("bare", bare_name_key)):
        given_function = function or _given_key
        family_function = function or _family_key
        frame[f"given_{feature}"] = np.where(
            swapped, family.map(given_function), given.map(given_function)
        )
        if feature != "bare":
            frame[f"family_{feature}"] = np.where(
                swapped, given.map(family_function), family.map(family_function)
            )
    # One key for a name and its equivalents (Serzh and Sergey), from the sourced data file.
    given_keys: list[str | None] = list(frame["given_key"])  # type: ignore[call-overload]
    groups = {key: given_name_group(key) for key in set(given_keys) if key}
    group_column = np.empty(len(given_keys), dtype=object)
    group_column[:] = [groups.get(key) if key else None for key in given_keys]
    frame["given_group"] = group_column
    frame["patronymic_key"] = _Column(records, "patronymic").map(
        lambda t: _or_none(patronymic_key(t))
    )
    frame["sex"] = _Column(records, "sex").map(lambda t: _SEXES.get(t[:1].lower()))

    dates = _Column(records, "birth_date")
    parsed = dates.apply(_read_date)
    unreadable = np.array([isinstance(p, str) for p in parsed], dtype=bool)[dates.codes]
    for row in np.flatnonzero(unreadable)[: FeatureWarnings.MAX_EXAMPLES]:
        warnings.note(int(row), "birth_date", dates.text(row), str(parsed[dates.codes[row]]))
    warnings.unreadable_birth_dates = int(unreadable.sum())
    parts = [p if isinstance(p, tuple) else (None, None, None) for p in parsed]
    for index, name in enumerate(("birth_year", "birth_month", "birth_day")):
        frame[name] = pd.array([p[index] for p in parts], dtype="Int16").take(dates.codes)
    iso = np.empty(len(parsed), dtype=object)
    iso[:] = [_iso(p) for p in parsed]
    frame["birth_date"] = iso[dates.codes]

    frame["origin_id"] = _Column(records, "origin").map(places.resolve)
    phones = _Column(records, "phone")
    normalised = phones.apply(_read_phone)
    bad = np.array([isinstance(p, tuple) for p in normalised], dtype=bool)
    for row in np.flatnonzero(bad[phones.codes])[: FeatureWarnings.MAX_EXAMPLES]:
        warnings.note(int(row), "phone", phones.text(row), normalised[phones.codes[row]][0])
    warnings.unreadable_phones = int(bad[phones.codes].sum())
    normalised[bad] = None
    frame["phone"] = normalised[phones.codes]
    return PreparedRecords(pd.DataFrame(frame), warnings, _households(records))


def _households(records: pd.DataFrame) -> np.ndarray:
    """A number per (source, household_ref), -1 where the household_ref is blank: a household
    is one body's, so one reference in two sources is two households."""
    if "household_ref" not in records:
        return np.full(len(records), -1, dtype=np.int64)
    reference = records["household_ref"].fillna("").astype(str).str.strip()
    source = records["source"].fillna("").astype(str).str.strip() if "source" in records else ""
    factorized, _ = pd.factorize(source + "\x1f" + reference)
    codes: np.ndarray = np.asarray(factorized, dtype=np.int64)
    codes[(reference == "").to_numpy()] = -1
    return codes


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
