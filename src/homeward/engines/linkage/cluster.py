"""Clusters of records from scored pairs: connected components that refuse to chain.

Pairs above the threshold are joined strongest first (union-find). Two clusters are not
joined when the result would hold two records that cannot be one person:

- a reviewer said so (a cannot-link decision);
- their birth dates contradict each other: both known and neither the same date, nor the
  same date with day and month swapped, nor a 01.01 written for an unknown day, nor one slip
  of a single part (a day, a month, or the year by one);
- their given names are clearly different: different keys, and spellings less than 60%
  alike however their first sound is read (Gagik and Hayk, Anna and Ani; not Гайк and Aik,
  not Karen and Kren);
- their fathers' names (from the patronymics) are clearly different by the same rule: Lusine
  Gevorgi and Lusine Vahani of one town and year are two women;
- one registering body put them in one household (same source and ``household_ref``): a body
  does not register one person twice in one household, so two such records are siblings or
  twins, whatever their names and dates say;
- their recorded sex differs (both known).

The last two are what a reviewer would check first and what the score cannot see: twins of
one household share surname, father, origin, phone and birth date, and a one-letter
difference between their given names (Arpi, Arpa) is what a typo looks like too. Kept apart
by the guard, such a pair goes to review, with the rule that kept it apart (``REASONS``).

Why these two fields: what makes the hard negatives look alike is what a family shares
(surname, patronymic, origin, phone, often the birth date of twins), and a Fellegi-Sunter
model adds that shared evidence up as if it were independent. What tells twins apart is the
given name; a father from his son of the same name, the birth date; namesakes of one town,
both, or their fathers' names; on a small register the model cannot learn how much a
different father weighs, so that too is a rule. A model score cannot undo the double counting, so the guard states it as a rule. It
holds across sources, not only within one: a person has one birth date and one name in every
register, and a record reaching two people through a vague third (a year-only date, no
given name) is exactly the chaining the guard is for.

Confirmed pairs (must-link) are joined first and override the guard; a must-link that
contradicts a cannot-link is not applied and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from rapidfuzz import fuzz

__all__ = [
    "REASONS",
    "ClusterProfile",
    "Clustering",
    "birth_dates_conflict",
    "cluster_pairs",
    "fathers_conflict",
    "given_names_conflict",
    "guard_profiles",
]

# Given names whose romanised spellings are less alike than this (Indel ratio, 0-100) and
# whose keys differ are two names, not one name misspelt.
GIVEN_NAME_CONFLICT_BELOW = 60.0
_EMPTY: frozenset[int] = frozenset()

# Why the guard kept two clusters apart, as a short code for the review (the app and the
# pairs file translate and show them): the first rule that held.
REASONS: dict[str, str] = {
    "decision": "a reviewer decided they are different people",
    "household": "same household of one registering body (twins? siblings?)",
    "sex": "recorded sex differs",
    "birth_date": "birth dates contradict",
    "given_name": "given names clearly differ",
    "father": "fathers' names clearly differ",
}


@dataclass(frozen=True, slots=True)
class ClusterProfile:
    """What the guard looks at in one record."""

    given_key: str | None
    given_latin: str | None
    father_key: str | None
    year: int | None
    month: int | None
    day: int | None
    sex: str | None = None
    given_group: str | None = None  # one key for a name and its equivalents


# An initial h, g, k, kh or gh before a vowel or r: where Russian writes Г, Х or nothing for
# Armenian Հ (Гайк, Айк, Hayk).
_INITIAL_VELAR = re.compile(r"^(?:kh|gh|h|g|k)(?=[aeiouyr])")


def given_names_conflict(a: ClusterProfile, b: ClusterProfile) -> bool:
    """Different keys, and spellings less than 60% alike as written, without their first
    letter, and without a first velar or h.

    The first sound is where transliterations part most (Гайк, Aik and Hayk; Рипсиме and
    Hripsime; Gamlet and Hamlet), so it is given the benefit of the doubt; Anna and Ani,
    Gagik and Hayk still conflict.
    """
    if not a.given_key or not b.given_key or a.given_key == b.given_key:
        return False
    if a.given_group is not None and a.given_group == b.given_group:
        return False  # Հովհաննես and Иван: one name in two traditions
    left, right = a.given_latin or "", b.given_latin or ""
    return (
        fuzz.ratio(left, right) < GIVEN_NAME_CONFLICT_BELOW
        and fuzz.ratio(left[1:], right[1:]) < GIVEN_NAME_CONFLICT_BELOW
        and fuzz.ratio(_INITIAL_VELAR.sub("", left), _INITIAL_VELAR.sub("", right))
        < GIVEN_NAME_CONFLICT_BELOW
    )


def fathers_conflict(a: ClusterProfile, b: ClusterProfile) -> bool:
    """Both patronymics known, their father's-name keys differ and are less than 60% alike
    (with the same benefit of the doubt for the first sound as given names)."""
    if not a.father_key or not b.father_key or a.father_key == b.father_key:
        return False
    left, right = a.father_key, b.father_key
    return (
        fuzz.ratio(left, right) < GIVEN_NAME_CONFLICT_BELOW
        and fuzz.ratio(left[1:], right[1:]) < GIVEN_NAME_CONFLICT_BELOW
        and fuzz.ratio(_INITIAL_VELAR.sub("", left), _INITIAL_VELAR.sub("", right))
        < GIVEN_NAME_CONFLICT_BELOW
    )


def _placeholder(p: ClusterProfile) -> bool:
    """1 January or 1 July: what registers write for a day and month nobody knows."""
    return p.day == 1 and p.month in (1, 7)


def birth_dates_conflict(a: ClusterProfile, b: ClusterProfile) -> bool:
    year_a, year_b = a.year, b.year
    if year_a is None or year_b is None:
        return False
    # A stand-in day and month says only the year (itself perhaps computed from an age).
    if _placeholder(a):
        a = replace(a, month=None, day=None)
    if _placeholder(b):
        b = replace(b, month=None, day=None)
    if a.year != b.year:
        # One slip of the year, the rest agreeing where both know it.
        same_rest = (a.month is None or b.month is None or a.month == b.month) and (
            a.day is None or b.day is None or a.day == b.day
        )
        return not (abs(year_a - year_b) == 1 and same_rest)
    if a.month is None or b.month is None or a.day is None or b.day is None:
        return False
    if a.month == b.day and a.day == b.month:
        return False
    return a.month != b.month and a.day != b.day


def sexes_conflict(a: ClusterProfile, b: ClusterProfile) -> bool:
    return a.sex is not None and b.sex is not None and a.sex != b.sex


def profiles_conflict(a: ClusterProfile, b: ClusterProfile) -> str | None:
    """The code (``REASONS``) of the first rule by which ``a`` and ``b`` are two people."""
    if sexes_conflict(a, b):
        return "sex"
    if birth_dates_conflict(a, b):
        return "birth_date"
    if given_names_conflict(a, b):
        return "given_name"
    if fathers_conflict(a, b):
        return "father"
    return None


_PROFILE_COLUMNS = (
    "given_key",
    "given_latin",
    "patronymic_key",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "given_group",
)


def guard_profiles(features: pd.DataFrame) -> tuple[np.ndarray, list[ClusterProfile]]:
    """Each record's profile position and the distinct profiles, from the prepared features."""
    table = features[list(_PROFILE_COLUMNS)]
    codes, uniques = pd.MultiIndex.from_frame(table).factorize()
    profiles = [
        ClusterProfile(
            given_key=_text(given_key),
            given_latin=_text(given_latin),
            father_key=_text(father_key),
            year=_number(year),
            month=_number(month),
            day=_number(day),
            sex=_text(sex),
            given_group=_text(group),
        )
        for given_key, given_latin, father_key, year, month, day, sex, group in uniques
    ]
    return codes.astype(np.int64), profiles


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


@dataclass
class Clustering:
    labels: np.ndarray  # cluster number per record, 0..n_clusters-1, in order of first record
    refused: list[tuple[int, int]] = field(default_factory=list)  # pairs above threshold kept apart
    refused_why: list[str] = field(default_factory=list)  # per refused pair, a REASONS code
    ignored_must_links: list[tuple[int, int]] = field(default_factory=list)


def cluster_pairs(
    count: int,
    pairs: Iterable[tuple[int, int]],
    profile_of: Sequence[int] | np.ndarray,
    profiles: Sequence[ClusterProfile],
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    household_of: Sequence[int] | np.ndarray | None = None,
) -> Clustering:
    """Cluster ``count`` records from ``pairs`` of record positions, strongest pair first.

    ``profiles`` holds each distinct profile once; ``profile_of[record]`` is its position there.
    ``household_of[record]``: a number per (source, household) of the record, -1 for none;
    two records of one household are never joined by ``pairs``.
    """
    parent = list(range(count))
    # Per root: the distinct profiles of its records (one person's records mostly share one),
    # and, when there are cannot-link decisions, its records.
    members: dict[int, set[int]] = {}
    records_of: dict[int, list[int]] = {}
    verdicts: dict[tuple[int, int], str | None] = {}
    households: dict[int, set[int]] = {}
    forbidden: dict[int, set[int]] = {}
    for a, b in cannot_link:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def profiles_in(root: int) -> set[int]:
        found = members.get(root)
        if found is None:
            found = members[root] = {int(profile_of[root])}
        return found

    def households_in(root: int) -> set[int]:
        found = households.get(root)
        if found is None:
            assert household_of is not None
            code = int(household_of[root])
            found = households[root] = {code} if code >= 0 else set()
        return found

    def records(root: int) -> list[int]:
        return records_of.get(root) or [root]

    def forbidden_between(ra: int, rb: int) -> bool:
        if not forbidden:
            return False
        left, right = records(ra), records(rb)
        if len(left) > len(right):
            left, right = right, left
        right_set = set(right)
        return any(not forbidden.get(x, _EMPTY).isdisjoint(right_set) for x in left)

    def conflicting(ra: int, rb: int) -> str | None:
        if household_of is not None and not households_in(ra).isdisjoint(households_in(rb)):
            return "household"
        for p in profiles_in(ra):
            for q in profiles_in(rb):
                if p == q:
                    continue
                key = (p, q) if p < q else (q, p)
                verdict = verdicts.get(key)
                if key not in verdicts:
                    verdicts[key] = profiles_conflict(profiles[p], profiles[q])
                verdict = verdicts[key]
                if verdict:
                    return verdict
        return None

    def join(ra: int, rb: int) -> None:
        if len(profiles_in(ra)) < len(profiles_in(rb)):
            ra, rb = rb, ra
        parent[rb] = ra
        profiles_in(ra).update(profiles_in(rb))
        members.pop(rb, None)
        if household_of is not None:
            households_in(ra).update(households_in(rb))
            households.pop(rb, None)
        if forbidden:
            records_of[ra] = records(ra) + records(rb)
            records_of.pop(rb, None)

    result = Clustering(labels=np.empty(0, dtype=np.int64))
    for a, b in must_link:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if forbidden_between(ra, rb):
            result.ignored_must_links.append((a, b))
            continue
        join(ra, rb)

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        why = "decision" if forbidden_between(ra, rb) else conflicting(ra, rb)
        if why:
            result.refused.append((a, b))
            result.refused_why.append(why)
            continue
        join(ra, rb)

    roots = np.fromiter((find(x) for x in range(count)), dtype=np.int64, count=count)
    # Clusters numbered in order of their first record.
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    result.labels = rank[inverse]
    return result
