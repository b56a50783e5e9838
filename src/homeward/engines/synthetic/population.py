"""A synthetic displaced population and the registrations several bodies would make of it.

People come in households (head, spouse, children, the head's parents, grandchildren) with
ages that fit their relations, common Armenian names, origins drawn by population and
locations in the host country by regional share, shelters first while they have room. Each
registering body then writes the people it reached in its own scripts, formats and with the
errors registers really hold; ``Population.truth`` says which person each record is.

With ``field_errors=True`` (``FIELD_ERRORS``) it adds what registration in the field adds and
clean generators leave out: birth dates nobody knows (missing, the year only, 1 January or
1 July, a year from a stated age), women under their maiden name with one body and their
married name with another, Russian names for Armenian ones (Сергей for Սերժ), compound
surnames written three ways. The rates are in docs/linkage.md with where each comes from;
most are assumptions, since few are published.

Everything is drawn from ``random.Random`` seeded from the caller's seed, so a seed always
gives the same output.
"""

from __future__ import annotations

import csv
import pathlib
from bisect import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import accumulate
from operator import attrgetter
from random import Random

from homeward.engines.synthetic.names_data import (
    COMPOUND_FAMILY_NAMES,
    EQUIVALENT_FORMS,
    FAMILY_NAMES,
    FEMALE_NAMES,
    FIELD_MALE_NAMES,
    MALE_NAMES,
    FamilyName,
    GivenName,
    armenian_to_latin,
    russian_to_latin,
    zipf_weights,
)

REGISTRATION_COLUMNS: tuple[str, ...] = (
    "source",
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "origin",
    "phone",
    "household_ref",
    "shelter",
    "host_site",
    "relation",
    "vulnerabilities",
    "registered_on",
)
RELATIONS: tuple[str, ...] = (
    "head",
    "spouse",
    "child",
    "parent",
    "sibling",
    "grandchild",
    "grandparent",
    "other_relative",
    "non_relative",
)
VULNERABILITIES: tuple[str, ...] = (
    "older_person",
    "disability",
    "pregnancy",
    "unaccompanied_child",
    "chronic_illness",
)

# Ages are counted on the day the first people crossed; registrations run to the year's end.
REFERENCE_DAY = date(2023, 9, 24)
LAST_REGISTRATION_DAY = date(2023, 12, 31)
_REF = REFERENCE_DAY.toordinal()
_LAST = LAST_REGISTRATION_DAY.toordinal()
_YEAR = 365.2425
# A child is born 18 to 45 years after each parent; in days, with a margin so that the
# calendar difference is inside the bounds whatever the leap years.
_MIN_GAP = 18 * 366 + 1
_MAX_GAP = 45 * 365 - 1

_SCRIPTS = ("hy", "ru", "latn")


@dataclass(frozen=True, slots=True)
class Origin:
    """A settlement people came from."""

    slug: str
    names: Mapping[str, str]  # keys among "hy", "hy-Latn", "az", "az-Latn", "ru"
    weight: float  # population; origins are drawn in proportion


@dataclass(frozen=True, slots=True)
class HostRegion:
    slug: str
    share: float  # share of the displaced living there
    sites: Sequence[str]  # host community slugs (at least one)
    shelters: Sequence[tuple[str, int]]  # (shelter code, capacity)


@dataclass(slots=True)
class Registration:
    """One record as one registering body wrote it: the import column contract."""

    source: str
    record_id: str
    given_name: str
    family_name: str
    patronymic: str
    sex: str  # "F", "M" or ""
    birth_date: str  # "YYYY-MM-DD", "YYYY-MM", "YYYY", "DD.MM.YYYY" or ""
    origin: str
    phone: str
    household_ref: str
    shelter: str
    host_site: str
    relation: str
    vulnerabilities: str
    registered_on: str


@dataclass(slots=True)
class Person:
    """The truth about one generated person, names in Armenian script."""

    person_id: str
    household_id: str
    given_name: str
    family_name: str
    father_name: str  # the father's given name, from which the patronymic is made; "" unknown
    sex: str
    birth_date: str  # YYYY-MM-DD
    origin: str  # origin slug
    relation: str  # to the household head
    phone: str  # national number, 8 digits ("97123456"), or ""
    shelter: str
    host_site: str
    vulnerabilities: str
    arrived_on: str  # YYYY-MM-DD
    maiden_name: str = ""  # a married woman's family name at birth (field errors only)
    birth_known: bool = True  # False: on no document; each body writes an estimate


@dataclass(frozen=True, slots=True)
class FieldErrors:
    """Rates of the errors registration in the field adds (per person or per record, as
    said); the sources, or that there is none and the rate is an assumption, are in
    docs/linkage.md."""

    # Per person: no document gives the birth date (more often for older people).
    undocumented: float = 0.08
    undocumented_older: float = 0.25
    # Per record of such a person, how the body writes its estimate: nothing; the year only;
    # 1 January or 1 July of the year; the day and month as remembered with a year computed
    # from the stated age (one too many before this year's birthday). The year is always
    # computed from the age at registration.
    estimates: tuple[tuple[str, float], ...] = (
        ("missing", 0.30),
        ("year", 0.25),
        ("january_first", 0.20),
        ("july_first", 0.10),
        ("from_age", 0.15),
    )
    year_slip: float = 0.01  # per record with a documented date: the year keyed one off
    maiden: float = 0.15  # per record of a woman who took her husband's name: the maiden one
    # Per record written in Russian or Latin letters of a name that has a Russian equivalent.
    equivalent_ru: float = 0.35
    equivalent_latin: float = 0.2
    compound: float = 0.02  # per household: a Ter- family name
    # Per record of a compound name: with a hyphen, a space or joined.
    compound_forms: tuple[tuple[str, float], ...] = (("-", 0.6), (" ", 0.25), ("", 0.15))


FIELD_ERRORS = FieldErrors()


@dataclass
class Population:
    registrations: dict[str, list[Registration]]  # per source, in source order
    truth: list[tuple[str, str, str]]  # (source, record_id, person_id)
    people: list[Person] = field(default_factory=list)  # in household order


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """How one registering body writes, and how often it errs (rates per record)."""

    name: str
    prefix: str  # of record ids and household refs: "UNHCR-0000123"
    coverage: float  # share of households it reaches
    member_drop: float  # share of members of a reached household it does not record
    duplicate: float  # share of households it registers a second time
    scripts: tuple[float, float, float]  # hy, ru, Latin; chosen per household
    first_form: float  # the usual Russian/Latin spelling rather than a variant
    latin_ian: float  # -yan written -ian
    latin_jan: float  # -yan written -jan
    upper: float  # Latin names in capitals (per household)
    latin_patronymic: tuple[float, float, float]  # bare father's name, -ovich, Armenian -i
    patronymic_missing: float
    date_format: str  # "dmy" (DD.MM.YYYY) or "iso" (YYYY-MM-DD)
    year_only: float  # birth date written as the year only
    year_month: float
    january_first: float  # unknown day and month written 01.01
    date_missing: float
    day_month_swap: float  # when the day could be a month
    phone_format: str
    phone_other_format: float
    phone_missing: float  # of people who have a phone
    phone_typo: float
    given_typo: float  # one-character edit
    family_typo: float
    names_swapped: float  # given and family name in each other's place
    sex_missing: float
    origin_other_script: float
    origin_azerbaijani: float
    origin_typo: float
    vulnerability_recall: float  # share of vulnerabilities other than age it records
    moved: float  # a shelter household recorded later at a host site
    delay: tuple[int, int, int]  # days after arrival: min, mode, max


_MULTI_SOURCE_PROFILES: tuple[SourceProfile, ...] = (
    SourceProfile(
        name="migration-service", prefix="MS", coverage=0.93, member_drop=0.02,
        duplicate=0.005, scripts=(0.85, 0.10, 0.05), first_form=0.85, latin_ian=0.05,
        latin_jan=0.0, upper=0.0, latin_patronymic=(0.2, 0.4, 0.4), patronymic_missing=0.05,
        date_format="dmy", year_only=0.01, year_month=0.005, january_first=0.0,
        date_missing=0.002, day_month_swap=0.01, phone_format="intl_spaced",
        phone_other_format=0.05, phone_missing=0.08, phone_typo=0.01, given_typo=0.015,
        family_typo=0.015, names_swapped=0.005, sex_missing=0.005, origin_other_script=0.03,
        origin_azerbaijani=0.01, origin_typo=0.01, vulnerability_recall=0.9, moved=0.0,
        delay=(0, 0, 6),
    ),
    SourceProfile(
        name="unhcr", prefix="UNHCR", coverage=0.65, member_drop=0.05, duplicate=0.01,
        scripts=(0.03, 0.05, 0.92), first_form=0.5, latin_ian=0.12, latin_jan=0.02,
        upper=0.3, latin_patronymic=(0.6, 0.4, 0.0), patronymic_missing=0.5,
        date_format="iso", year_only=0.02, year_month=0.02, january_first=0.0,
        date_missing=0.005, day_month_swap=0.03, phone_format="dashed",
        phone_other_format=0.1, phone_missing=0.15, phone_typo=0.01, given_typo=0.03,
        family_typo=0.03, names_swapped=0.03, sex_missing=0.02, origin_other_script=0.05,
        origin_azerbaijani=0.1, origin_typo=0.03, vulnerability_recall=0.8, moved=0.15,
        delay=(5, 20, 90),
    ),
    SourceProfile(
        name="icrc", prefix="ICRC", coverage=0.45, member_drop=0.03, duplicate=0.005,
        scripts=(0.08, 0.85, 0.07), first_form=0.75, latin_ian=0.05, latin_jan=0.05,
        upper=0.0, latin_patronymic=(0.1, 0.9, 0.0), patronymic_missing=0.05,
        date_format="dmy", year_only=0.05, year_month=0.0, january_first=0.04,
        date_missing=0.005, day_month_swap=0.015, phone_format="parenthesised",
        phone_other_format=0.1, phone_missing=0.2, phone_typo=0.01, given_typo=0.025,
        family_typo=0.025, names_swapped=0.02, sex_missing=0.05, origin_other_script=0.05,
        origin_azerbaijani=0.05, origin_typo=0.02, vulnerability_recall=0.85, moved=0.15,
        delay=(7, 30, 98),
    ),
    SourceProfile(
        name="municipality", prefix="MUN", coverage=0.5, member_drop=0.05, duplicate=0.02,
        scripts=(0.95, 0.05, 0.0), first_form=0.9, latin_ian=0.0, latin_jan=0.0, upper=0.0,
        latin_patronymic=(0.5, 0.5, 0.0), patronymic_missing=0.1, date_format="dmy",
        year_only=0.03, year_month=0.01, january_first=0.0, date_missing=0.01,
        day_month_swap=0.02, phone_format="compact_local", phone_other_format=0.1,
        phone_missing=0.1, phone_typo=0.02, given_typo=0.05, family_typo=0.05,
        names_swapped=0.01, sex_missing=0.1, origin_other_script=0.02, origin_azerbaijani=0.0,
        origin_typo=0.04, vulnerability_recall=0.6, moved=0.2, delay=(10, 25, 98),
    ),
    SourceProfile(
        name="ngo", prefix="NGO", coverage=0.35, member_drop=0.08, duplicate=0.01,
        scripts=(0.3, 0.2, 0.5), first_form=0.6, latin_ian=0.15, latin_jan=0.03, upper=0.1,
        latin_patronymic=(0.7, 0.3, 0.0), patronymic_missing=0.3, date_format="iso",
        year_only=0.02, year_month=0.03, january_first=0.0, date_missing=0.01,
        day_month_swap=0.02, phone_format="compact_intl", phone_other_format=0.1,
        phone_missing=0.1, phone_typo=0.01, given_typo=0.03, family_typo=0.03,
        names_swapped=0.02, sex_missing=0.03, origin_other_script=0.05,
        origin_azerbaijani=0.03, origin_typo=0.03, vulnerability_recall=0.7, moved=0.2,
        delay=(14, 40, 98),
    ),
)  # fmt: skip
SOURCE_PROFILES: dict[str, SourceProfile] = {p.name: p for p in _MULTI_SOURCE_PROFILES}
# With sources=k, the first k of these register.
SOURCE_NAMES: tuple[str, ...] = tuple(SOURCE_PROFILES)

# With a single source the migration service registers everyone once, on arrival, in the
# script each household's clerk used, without errors.
SINGLE_SOURCE_PROFILE = SourceProfile(
    name="migration-service", prefix="MS", coverage=1.0, member_drop=0.0, duplicate=0.0,
    scripts=(0.5, 0.25, 0.25), first_form=1.0, latin_ian=0.0, latin_jan=0.0, upper=0.0,
    latin_patronymic=(0.5, 0.5, 0.0), patronymic_missing=0.0, date_format="dmy",
    year_only=0.0, year_month=0.0, january_first=0.0, date_missing=0.0, day_month_swap=0.0,
    phone_format="intl_spaced", phone_other_format=0.0, phone_missing=0.0, phone_typo=0.0,
    given_typo=0.0, family_typo=0.0, names_swapped=0.0, sex_missing=0.0,
    origin_other_script=0.0, origin_azerbaijani=0.0, origin_typo=0.0,
    vulnerability_recall=1.0, moved=0.0, delay=(0, 0, 3),
)  # fmt: skip

# Arrivals per day from 24 September (the exodus was over by 4 October; a few came later).
_ARRIVAL_WEIGHTS = (3.0, 12.0, 18.0, 20.0, 17.0, 12.0, 8.0, 4.0, 2.0, 1.5, 1.3)
_LATE_ARRIVALS = 0.012

# Household types and their weights, tuned so that the people come out about 31% children,
# 18% aged 60 or more and 52% female, in households of 3.6 on average.
_HOUSEHOLD_TYPES: tuple[tuple[str, float], ...] = (
    ("single_older", 0.10),
    ("single_adult", 0.025),
    ("couple_older", 0.105),
    ("couple_young", 0.02),
    ("nuclear", 0.335),
    ("single_parent", 0.10),
    ("three_generations", 0.24),
    ("older_headed", 0.073),
    ("unaccompanied", 0.002),
)
# Children still living at home; fewer when parents are young or the eldest have left.
_CHILDREN_COUNT = ((1, 0.15), (2, 0.34), (3, 0.3), (4, 0.13), (5, 0.08))

_SHELTER_SHARE = 0.45  # households that go to a collective shelter while one has room
_SHARED_PHONE = 0.04  # households whose members all give the head's phone
_TWINS = 0.015  # births that are twins
_NAMED_AFTER_GRANDFATHER = 0.1  # first sons given the paternal grandfather's name
# Mobile operator codes; 97 (Karabakh Telecom's) most often.
_MOBILE_CODES = ("97", "97", "97", "97", "77", "91", "93", "94", "95", "96", "98", "99", "55")

_GENERATIONS = "omy"
# From November, bodies find some shelter households already in rented or host homes.
_MOVES_FROM = date(2023, 11, 1).toordinal()


@cache
def _day(ordinal: int) -> str:
    """YYYY-MM-DD; cached, so that a million people share a few thousand date strings."""
    return date.fromordinal(ordinal).isoformat()


def _generation(birth_year: int) -> str:
    return "o" if birth_year < 1970 else "m" if birth_year < 1995 else "y"


class _Names:
    """Draws names with their frequencies; given names by the generation born."""

    def __init__(self, field: FieldErrors | None = None) -> None:
        self.field = field
        self.family = FAMILY_NAMES
        self.family_cum = list(accumulate(zipf_weights(len(FAMILY_NAMES), offset=8, exponent=1.0)))
        self.given: dict[tuple[str, str], tuple[tuple[GivenName, ...], list[float]]] = {}
        for names in (FIELD_MALE_NAMES if field else MALE_NAMES, FEMALE_NAMES):
            base = zipf_weights(len(names), offset=4, exponent=0.9)
            for gen in _GENERATIONS:
                weights = [
                    w if gen in n.generations else w * 0.05
                    for w, n in zip(base, names, strict=True)
                ]
                self.given[names[0].sex, gen] = (names, list(accumulate(weights)))

    def family_name(self, rng: Random) -> FamilyName:
        if self.field is not None and rng.random() < self.field.compound:
            return COMPOUND_FAMILY_NAMES[int(rng.random() * len(COMPOUND_FAMILY_NAMES))]
        cum = self.family_cum
        return self.family[bisect(cum, rng.random() * cum[-1])]

    def given_name(self, rng: Random, sex: str, birth_year: int) -> GivenName:
        names, cum = self.given[sex, _generation(birth_year)]
        return names[bisect(cum, rng.random() * cum[-1])]


@dataclass(slots=True)
class _Draft:
    """A household member while the household is being built."""

    sex: str
    age: int  # days on the reference day
    relation: str
    family: FamilyName
    given: GivenName | None = None
    father: GivenName | None = None
    unaccompanied: bool = False
    maiden: FamilyName | None = None  # a wife's family name at birth (field errors only)


class _HouseholdBuilder:
    def __init__(self, rng: Random, names: _Names) -> None:
        self.rng = rng
        self.names = names
        self.type_names = [t for t, _ in _HOUSEHOLD_TYPES]
        self.type_cum = list(accumulate(w for _, w in _HOUSEHOLD_TYPES))
        self.children_counts = [n for n, _ in _CHILDREN_COUNT]
        self.children_cum = list(accumulate(w for _, w in _CHILDREN_COUNT))

    # Ages, in days on the reference day.
    def _years(self, low: float, high: float) -> int:
        return int((low + (high - low) * self.rng.random()) * _YEAR)

    def _older_age(self, start: float = 60) -> int:
        # Fewer at each decade, none over 97.
        years = 99.0
        while start + years > 97:
            years = self.rng.expovariate(1 / 10.5)
        return int((start + years) * _YEAR)

    def _spouse_age(self, husband_age: int) -> int:
        gap = min(12.0, max(-3.0, self.rng.gauss(4.0, 3.0)))
        return max(int(18 * _YEAR), husband_age - int(gap * _YEAR))

    def _parent_age(self, child_age: int) -> int:
        return min(int(97 * _YEAR), child_age + self.rng.randint(_MIN_GAP + 1400, _MAX_GAP - 1800))

    def _children_count(self) -> int:
        cum = self.children_cum
        return self.children_counts[bisect(cum, self.rng.random() * cum[-1])]

    def _child_ages(
        self, parent_ages: Sequence[int], count: int, oldest: float, youngest: float = 0
    ) -> list[int]:
        """Ages of up to count children living at home, eldest first.

        Births start when the younger parent is 19-33 and follow each other 1.3-5 years
        apart; children older than ``oldest`` have left home. Every child is born 18-45 years
        after each parent.
        """
        rng = self.rng
        low = max(int(youngest * _YEAR), max(parent_ages) - _MAX_GAP)
        high = min(int(oldest * _YEAR), min(parent_ages) - _MIN_GAP)
        age = min(min(parent_ages) - self._years(19, 33), min(parent_ages) - _MIN_GAP)
        ages: list[int] = []
        while len(ages) < count and age >= low:
            if age <= high:
                ages.append(age)
                if rng.random() < _TWINS:
                    ages.append(age)
            age -= self._years(1.3, 5)
        return ages

    def _children(
        self,
        parent_ages: Sequence[int],
        count: int,
        family: FamilyName,
        oldest: float = 30,
        youngest: float = 0,
    ) -> list[_Draft]:
        rng = self.rng
        ages = self._child_ages(parent_ages, count, oldest, youngest)
        return [
            _Draft("M" if rng.random() < 0.51 else "F", age, "child", family)
            for age in sorted(ages, reverse=True)
        ]

    def build(self) -> list[_Draft]:
        """One household, head first."""
        rng = self.rng
        kind = self.type_names[bisect(self.type_cum, rng.random() * self.type_cum[-1])]
        family = self.names.family_name(rng)
        members: list[_Draft] = []
        if kind == "single_older":
            members.append(
                _Draft("F" if rng.random() < 0.68 else "M", self._older_age(), "head", family)
            )
        elif kind == "single_adult":
            members.append(
                _Draft("M" if rng.random() < 0.55 else "F", self._years(20, 60), "head", family)
            )
        elif kind in ("couple_older", "couple_young"):
            age = self._older_age(58) if kind == "couple_older" else self._years(22, 40)
            head = _Draft("M", age, "head", family)
            members += [head, self._spouse(head)]
        elif kind == "nuclear":
            head = _Draft("M", self._years(26, 55), "head", family)
            spouse = self._spouse(head)
            members += [head, spouse]
            members += self._children([head.age, spouse.age], self._children_count(), family)
        elif kind == "single_parent":
            head = _Draft("F" if rng.random() < 0.8 else "M", self._years(24, 52), "head", family)
            members.append(head)
            members += self._children([head.age], min(3, self._children_count()), family)
        elif kind == "three_generations":
            members += self._three_generations(family)
        elif kind == "older_headed":
            members += self._older_headed(family)
        else:  # unaccompanied children: the eldest stands as head of siblings
            count = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
            ages = sorted((self._years(13, 17.9) for _ in range(count)), reverse=True)
            for i, age in enumerate(ages):
                sex = "M" if rng.random() < 0.5 else "F"
                members.append(_Draft(sex, age, "head" if i == 0 else "sibling", family))
            for m in members:
                m.unaccompanied = True
        if len(members) > 1 and kind in ("nuclear", "three_generations") and rng.random() < 0.04:
            head = members[0]
            sibling_age = max(int(18 * _YEAR), head.age + int(rng.uniform(-8, 8) * _YEAR))
            members.append(
                _Draft("M" if rng.random() < 0.5 else "F", sibling_age, "sibling", family)
            )
        if rng.random() < 0.005:
            sex = "M" if rng.random() < 0.4 else "F"
            family = self.names.family_name(rng)
            members.append(_Draft(sex, self._years(18, 80), "non_relative", family))
        self._name(members)
        return members

    def _spouse(self, head: _Draft) -> _Draft:
        # Wives mostly take the husband's family name.
        family = head.family if self.rng.random() < 0.92 else self.names.family_name(self.rng)
        wife = _Draft("F", self._spouse_age(head.age), "spouse", family)
        if family is head.family:
            wife.maiden = self._maiden(family)
        return wife

    def _maiden(self, married: FamilyName) -> FamilyName | None:
        """A wife's family name at birth, drawn only when registers are to show it."""
        if self.names.field is None:
            return None
        maiden = self.names.family_name(self.rng)
        while maiden is married:
            maiden = self.names.family_name(self.rng)
        return maiden

    def _three_generations(self, family: FamilyName) -> list[_Draft]:
        rng = self.rng
        head = _Draft("M", self._years(27, 50), "head", family)
        spouse = self._spouse(head)
        members = [head, spouse]
        count = self._children_count() if rng.random() < 0.9 else 0
        members += self._children([head.age, spouse.age], count, family, oldest=25)
        mother_age = self._parent_age(head.age)
        if rng.random() < 0.95:
            members.append(_Draft("F", mother_age, "parent", family))
        if rng.random() < 0.5:
            father_age = min(int(97 * _YEAR), mother_age + self._years(0, 6))
            if _MIN_GAP <= father_age - head.age <= _MAX_GAP:
                members.append(_Draft("M", father_age, "parent", family))
        if head.age < 33 * _YEAR and rng.random() < 0.15:
            members.append(_Draft("F", head.age + self._years(45, 60), "grandparent", family))
        return members

    def _older_headed(self, family: FamilyName) -> list[_Draft]:
        """An older couple with a married son, his wife and their children."""
        head = _Draft("M", self._years(50, 80), "head", family)
        spouse = self._spouse(head)
        members = [head, spouse]
        sons = self._children([head.age, spouse.age], 1, family, oldest=45, youngest=21)
        if not sons:
            return members
        son = sons[0]
        son.sex = "M"
        wife = _Draft("F", self._spouse_age(son.age), "other_relative", family)
        wife.maiden = self._maiden(family)
        members += [son, wife]
        grandchildren = self._children([son.age, wife.age], self._children_count(), family, 20)
        for child in grandchildren:
            child.relation = "grandchild"
        members += grandchildren
        return members

    def _name(self, members: list[_Draft]) -> None:
        """Given names by generation; fathers so that patronymics and naming customs hold."""
        rng = self.rng
        names = self.names
        head = members[0]

        def draw(member: _Draft) -> GivenName:
            year = REFERENCE_DAY.year - int(member.age / _YEAR)
            return names.given_name(rng, member.sex, year)

        def draw_father(member: _Draft) -> GivenName:
            year = REFERENCE_DAY.year - int(member.age / _YEAR) - 30
            return names.given_name(rng, "M", year)

        for m in members:
            m.given = draw(m)
        # The head's father: in the household or remembered.
        fathers = [m for m in members if m.relation == "parent" and m.sex == "M"]
        head.father = fathers[0].given if fathers else draw_father(head)
        husband = (
            head if head.sex == "M"
            else next((m for m in members if m.relation == "spouse" and m.sex == "M"), None)
        )  # fmt: skip
        children_father = husband.given if husband is not None else None
        son = next((m for m in members if m.relation == "child" and m.sex == "M"), None)
        absent_father: GivenName | None = None
        named_after_grandfather = False
        for m in members:
            if m is head:
                continue
            if m.relation == "child":
                if children_father is None:
                    absent_father = absent_father or draw_father(m)
                m.father = children_father or absent_father
                if (
                    m.sex == "M" and not named_after_grandfather
                    and head.sex == "M" and rng.random() < _NAMED_AFTER_GRANDFATHER
                ):  # fmt: skip
                    m.given = head.father
                named_after_grandfather = named_after_grandfather or m.sex == "M"
            elif m.relation == "sibling":
                m.father = head.father
            elif m.relation == "grandchild" and son is not None:
                m.father = son.given
            else:
                m.father = draw_father(m)
        # Twins (same birth day) never share a given name.
        seen: dict[tuple[int, str], GivenName | None] = {}
        for m in members:
            if m.relation in ("child", "grandchild"):
                key = (m.age, m.relation)
                while key in seen and seen[key] == m.given:
                    m.given = draw(m)
                seen[key] = m.given


@dataclass(slots=True)
class _Household:
    household_id: str
    members: list[Person]
    origin: Origin
    region: int
    arrival: int  # day ordinal
    shelter: str = ""
    host_site: str = ""


def generate_population(
    *,
    people: int,
    seed: int,
    origins: Sequence[Origin],
    regions: Sequence[HostRegion],
    sources: int = 1,
    field_errors: bool | FieldErrors = False,
) -> Population:
    """``people`` people in households and their registrations by ``sources`` bodies.

    ``field_errors``: True (``FIELD_ERRORS``) or other rates to add the errors of
    registration in the field; without them the output is as it always was for a seed.
    """
    if people < 0:
        raise ValueError("people must not be negative")
    if not 1 <= sources <= len(SOURCE_NAMES):
        raise ValueError(f"sources must be between 1 and {len(SOURCE_NAMES)}")
    if not origins or sum(o.weight for o in origins) <= 0:
        raise ValueError("at least one origin with a positive weight is needed")
    if not regions or sum(r.share for r in regions) <= 0:
        raise ValueError("at least one host region with a positive share is needed")
    for region in regions:
        if not region.sites:
            raise ValueError(f"host region {region.slug!r} has no host site")

    field = (
        field_errors
        if isinstance(field_errors, FieldErrors)
        else (FIELD_ERRORS if field_errors else None)
    )
    households = _households(Random(f"{seed}:people"), people, origins, regions, field)
    if sources == 1:
        profiles: Sequence[SourceProfile] = [SINGLE_SOURCE_PROFILE]
    else:
        profiles = _MULTI_SOURCE_PROFILES[:sources]
    registrations, truth = _register(seed, households, regions, profiles, field)
    return Population(
        registrations=registrations,
        truth=truth,
        people=[p for h in households for p in h.members],
    )


def _households(
    rng: Random,
    people: int,
    origins: Sequence[Origin],
    regions: Sequence[HostRegion],
    field: FieldErrors | None = None,
) -> list[_Household]:
    names = _Names(field)
    builder = _HouseholdBuilder(rng, names)
    origin_cum = list(accumulate(max(0.0, o.weight) for o in origins))
    region_cum = list(accumulate(max(0.0, r.share) for r in regions))
    arrival_cum = list(accumulate(_ARRIVAL_WEIGHTS))
    late_days = _LAST - (_REF + len(_ARRIVAL_WEIGHTS)) + 1
    phones: set[str] = set()
    households: list[_Household] = []
    count = 0
    while count < people:
        drafts = builder.build()[: people - count]
        household_id = f"H{len(households) + 1:07d}"
        origin = origins[bisect(origin_cum, rng.random() * origin_cum[-1])]
        region = bisect(region_cum, rng.random() * region_cum[-1])
        if rng.random() < _LATE_ARRIVALS:
            arrival = _REF + len(_ARRIVAL_WEIGHTS) + int(rng.random() * late_days)
        else:
            arrival = _REF + bisect(arrival_cum, rng.random() * arrival_cum[-1])
        arrived_on = _day(arrival)
        members = [
            Person(
                person_id=f"P{count + i + 1:07d}",
                household_id=household_id,
                given_name=d.given.hy if d.given else "",
                family_name=d.family.hy,
                father_name=d.father.hy if d.father else "",
                sex=d.sex,
                birth_date=_day(_REF - d.age),
                origin=origin.slug,
                relation=d.relation,
                phone="",
                shelter="",
                host_site="",
                vulnerabilities=_vulnerabilities(rng, d),
                arrived_on=arrived_on,
                maiden_name=d.maiden.hy if d.maiden else "",
            )
            for i, d in enumerate(drafts)
        ]
        if field is not None:
            for m in members:
                older = "older_person" in m.vulnerabilities
                rate = field.undocumented_older if older else field.undocumented
                m.birth_known = rng.random() >= rate
        _give_phones(rng, drafts, members, phones)
        households.append(_Household(household_id, members, origin, region, arrival))
        count += len(members)
    _place(rng, households, regions)
    return households


def _vulnerabilities(rng: Random, d: _Draft) -> str:
    years = d.age / _YEAR
    codes: list[str] = []
    older = years >= 60
    if older:
        codes.append("older_person")
    if rng.random() < (0.12 if older else 0.04 if years >= 18 else 0.02):
        codes.append("disability")
    if d.sex == "F" and 18 <= years < 45 and rng.random() < 0.04:
        codes.append("pregnancy")
    if d.unaccompanied:
        codes.append("unaccompanied_child")
    if rng.random() < (0.3 if older else 0.07 if years >= 18 else 0.02):
        codes.append("chronic_illness")
    return ";".join(codes)


def _new_phone(rng: Random, phones: set[str]) -> str:
    while True:
        phone = (
            _MOBILE_CODES[int(rng.random() * len(_MOBILE_CODES))] + f"{rng.randrange(10**6):06d}"
        )
        if phone not in phones:
            phones.add(phone)
            return phone


def _give_phones(
    rng: Random, drafts: list[_Draft], members: list[Person], phones: set[str]
) -> None:
    if rng.random() < _SHARED_PHONE:
        phone = _new_phone(rng, phones)
        for m in members:
            m.phone = phone
        return
    for d, m in zip(drafts, members, strict=True):
        years = d.age / _YEAR
        if years >= 14 and rng.random() < (0.6 if years >= 75 else 0.88):
            m.phone = _new_phone(rng, phones)


def _place(rng: Random, households: list[_Household], regions: Sequence[HostRegion]) -> None:
    """Shelters take arrivals in order while they have room; the others go to host communities."""
    room = [[capacity for _, capacity in r.shelters] for r in regions]
    for h in sorted(households, key=attrgetter("arrival")):
        region = regions[h.region]
        size = len(h.members)
        shelter = ""
        if rng.random() < _SHELTER_SHARE:
            free = room[h.region]
            fits = [i for i, f in enumerate(free) if f >= size]
            if fits:
                # Weighted by room left, so that shelters fill together.
                cum = list(accumulate(free[i] for i in fits))
                i = fits[bisect(cum, rng.random() * cum[-1])]
                free[i] -= size
                shelter = region.shelters[i][0]
        if shelter:
            h.shelter = shelter
        else:
            h.host_site = region.sites[int(rng.random() * len(region.sites))]
        for m in h.members:
            m.shelter = h.shelter
            m.host_site = h.host_site


# ---- Registration -------------------------------------------------------------------------

_MALE_BY_HY = {n.hy: n for n in FIELD_MALE_NAMES}
_FEMALE_BY_HY = {n.hy: n for n in FEMALE_NAMES}
_FAMILY_BY_HY = {n.hy: n for n in (*FAMILY_NAMES, *COMPOUND_FAMILY_NAMES)}
# Patronymics in Latin letters, per father's name: (-ovich, -ovna, Armenian genitive).
_LATIN_PATRONYMICS = {
    n.hy: (
        russian_to_latin(n.patronymic_ru_m),
        russian_to_latin(n.patronymic_ru_f),
        armenian_to_latin(n.genitive_hy),
    )
    for n in FIELD_MALE_NAMES
}

_ALPHABETS = {
    "hy": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "ru": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "latn": "abcdefghijklmnopqrstuvwxyz",
}


def _script_of(text: str) -> str:
    for ch in text:
        if "\u0530" <= ch <= "\u058f":
            return "hy"
        if "\u0400" <= ch <= "\u04ff":
            return "ru"
    return "latn"


def _typo(rng: Random, text: str) -> str:
    """One keying error: a letter replaced, dropped, added, or two swapped; never the first."""
    n = len(text)
    if n < 3:
        return text
    alphabet = _ALPHABETS[_script_of(text)]
    upper = text.isupper()
    i = 1 + int(rng.random() * (n - 1))
    letter = alphabet[int(rng.random() * len(alphabet))]
    if upper:
        letter = letter.upper()
    kind = rng.random()
    if kind < 0.25 and text[i - 1] != text[i]:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    if kind < 0.5:
        return text[:i] + text[i + 1 :]
    if kind < 0.75:
        return text[:i] + letter + text[i:]
    if letter == text[i]:
        letter = alphabet[(alphabet.index(letter.lower()) + 1) % len(alphabet)]
        letter = letter.upper() if upper else letter
    return text[:i] + letter + text[i + 1 :]


def _format_phone(style: str, phone: str) -> str:
    code, rest = phone[:2], phone[2:]
    if style == "intl_spaced":
        return f"+374 {code} {rest}"
    if style == "dashed":
        return f"0{code}-{rest[:2]}-{rest[2:4]}-{rest[4:]}"
    if style == "parenthesised":
        return f"(0{code}) {rest[:2]}-{rest[2:4]}-{rest[4:]}"
    if style == "compact_local":
        return f"0{code}{rest}"
    return f"+374{code}{rest}"


_PHONE_STYLES = ("intl_spaced", "dashed", "parenthesised", "compact_local", "compact_intl")


class _Writer:
    """Writes people the way one registering body does."""

    def __init__(
        self,
        rng: Random,
        profile: SourceProfile,
        regions: Sequence[HostRegion],
        field: FieldErrors | None = None,
    ) -> None:
        self.rng = rng
        self.p = profile
        self.field = field
        if field is not None:
            self.estimate_cum = list(accumulate(w for _, w in field.estimates))
            self.compound_cum = list(accumulate(w for _, w in field.compound_forms))
        self.regions = regions
        self.script_cum = list(accumulate(profile.scripts))
        self.latin_patronymic_cum = list(accumulate(profile.latin_patronymic))
        self.records = 0
        self.households = 0
        self.dmy: dict[str, str] = {}  # shared date strings
        self.out: list[Registration] = []
        self.truth: list[tuple[str, str, str]] = []

    def _variant(self, forms: tuple[str, ...]) -> str:
        if len(forms) == 1 or self.rng.random() < self.p.first_form:
            return forms[0]
        return forms[1 + int(self.rng.random() * (len(forms) - 1))]

    def _latin(self, forms: tuple[str, ...], upper: bool) -> str:
        text = self._variant(forms)
        if text.endswith("yan"):
            u = self.rng.random()
            if u < self.p.latin_ian:
                text = text[:-3] + "ian"
            elif u < self.p.latin_ian + self.p.latin_jan:
                text = text[:-3] + "jan"
        return text.upper() if upper else text

    def _name(self, name: GivenName | FamilyName, script: str, upper: bool) -> str:
        if script == "hy":
            return name.hy
        if script == "ru":
            return self._variant(name.ru)
        return self._latin(name.latin, upper)

    def _patronymic(self, person: Person, script: str, upper: bool) -> str:
        if not person.father_name or self.rng.random() < self.p.patronymic_missing:
            return ""
        father = _MALE_BY_HY[person.father_name]
        female = person.sex == "F"
        if script == "hy":
            return father.genitive_hy
        if script == "ru":
            return father.patronymic_ru_f if female else father.patronymic_ru_m
        cum = self.latin_patronymic_cum
        style = bisect(cum, self.rng.random() * cum[-1])
        if style == 0:
            return self._latin(father.latin, upper)
        text = _LATIN_PATRONYMICS[father.hy][(1 if female else 0) if style == 1 else 2]
        return text.upper() if upper else text

    def _birth_date(self, iso: str, older: bool) -> str:
        p = self.p
        u = self.rng.random() / (2.0 if older else 1.0)  # older people's dates are less known
        dmy = p.date_format == "dmy"
        if u < p.date_missing:
            return ""
        u -= p.date_missing
        if u < p.year_only:
            return iso[:4]
        u -= p.year_only
        if u < p.year_month:
            return iso[:7]
        u -= p.year_month
        if u < p.january_first:
            return f"01.01.{iso[:4]}" if dmy else f"{iso[:4]}-01-01"
        day, month = iso[8:10], iso[5:7]
        if day <= "12" and day != month and self.rng.random() < p.day_month_swap:
            return f"{month}.{day}.{iso[:4]}" if dmy else f"{iso[:4]}-{day}-{month}"
        if not dmy:
            return iso
        written = self.dmy.get(iso)
        if written is None:
            written = self.dmy[iso] = f"{day}.{month}.{iso[:4]}"
        return written

    def _field_birth_date(self, person: Person, day: int, older: bool) -> str:
        """The birth date as a body writes it in the field: an estimate from the stated age
        when no document gives it; otherwise, now and then, the year keyed one off."""
        field = self.field
        assert field is not None
        rng = self.rng
        iso = person.birth_date
        dmy = self.p.date_format == "dmy"
        if not person.birth_known:
            registered = date.fromordinal(day)
            born = date.fromisoformat(iso)
            age = (
                registered.year
                - born.year
                - ((registered.month, registered.day) < (born.month, born.day))
            )
            year = registered.year - age  # the year a clerk computes from the stated age
            form = field.estimates[bisect(self.estimate_cum, rng.random() * self.estimate_cum[-1])][
                0
            ]
            if form == "missing":
                return ""
            if form == "year":
                return str(year)
            if form == "january_first":
                return f"01.01.{year}" if dmy else f"{year}-01-01"
            if form == "july_first":
                return f"01.07.{year}" if dmy else f"{year}-07-01"
            iso = _shift_year(iso, year)
        elif rng.random() < field.year_slip:
            iso = _shift_year(iso, int(iso[:4]) + (1 if rng.random() < 0.5 else -1))
        return self._birth_date(iso, older)

    def _field_given(self, given: GivenName, written: str, script: str, upper: bool) -> str:
        """Now and then the name's Russian equivalent instead of a spelling of it."""
        field = self.field
        equivalents = EQUIVALENT_FORMS.get(given.hy) if field is not None else None
        if field is None or equivalents is None or script == "hy":
            return written
        ru, latin = equivalents
        if script == "ru":
            return self._variant(ru) if self.rng.random() < field.equivalent_ru else written
        if self.rng.random() < field.equivalent_latin:
            text = self._variant(latin)
            return text.upper() if upper else text
        return written

    def _compound(self, family: str) -> str:
        """A compound family name with a hyphen, a space or joined (Ter-Poghosyan)."""
        if self.field is None or "-" not in family:
            return family
        cum = self.compound_cum
        joint = self.field.compound_forms[bisect(cum, self.rng.random() * cum[-1])][0]
        if joint == "":
            head, _, tail = family.partition("-")
            return head + (tail.lower() if not family.isupper() else tail)
        return family.replace("-", joint)

    def _origin(self, origin: Origin, script: str) -> str:
        rng = self.rng
        names = origin.names
        if rng.random() < self.p.origin_azerbaijani:
            text = names.get("az") if rng.random() < 0.5 else names.get("az-Latn")
            text = text or names.get("az") or names.get("az-Latn") or ""
        else:
            text = ""
        if not text:
            if rng.random() < self.p.origin_other_script:
                script = _SCRIPTS[(_SCRIPTS.index(script) + 1 + (rng.random() < 0.5)) % 3]
            if script == "ru":
                text = names.get("ru") or names.get("hy-Latn") or ""
            elif script == "latn":
                text = names.get("hy-Latn") or names.get("az-Latn") or ""
            text = text or names["hy"]
        if rng.random() < self.p.origin_typo:
            text = _typo(rng, text)
        return text

    def _phone(self, phone: str) -> str:
        p = self.p
        rng = self.rng
        if not phone or rng.random() < p.phone_missing:
            return ""
        if rng.random() < p.phone_typo:
            i = 2 + int(rng.random() * 6)
            phone = (
                phone[:i] + str((int(phone[i]) + 1 + int(rng.random() * 9)) % 10) + phone[i + 1 :]
            )
        style = p.phone_format
        if rng.random() < p.phone_other_format:
            style = _PHONE_STYLES[int(rng.random() * len(_PHONE_STYLES))]
        return _format_phone(style, phone)

    def _vulnerabilities(self, codes: str) -> str:
        if not codes or self.p.vulnerability_recall >= 1:
            return codes
        rng = self.rng
        recall = self.p.vulnerability_recall
        return ";".join(c for c in codes.split(";") if c == "older_person" or rng.random() < recall)

    def register(self, household: _Household, members: Sequence[Person], day: int) -> None:
        """Write the members of one household registered together on one day."""
        rng = self.rng
        p = self.p
        cum = self.script_cum
        script = _SCRIPTS[bisect(cum, rng.random() * cum[-1])]
        upper = script == "latn" and rng.random() < p.upper
        self.households += 1
        household_ref = f"{p.prefix}-H{self.households:07d}"
        registered_on = _day(day)
        shelter, host_site = household.shelter, household.host_site
        if shelter and day >= _MOVES_FROM and rng.random() < p.moved:
            sites = self.regions[household.region].sites
            shelter, host_site = "", sites[int(rng.random() * len(sites))]
        # One clerk writes one household's family name one way.
        families: dict[str, str] = {}
        field = self.field
        for person in members:
            family_hy = person.family_name
            if field is not None and person.maiden_name and rng.random() < field.maiden:
                family_hy = person.maiden_name
            family = families.get(family_hy)
            if family is None:
                family = self._name(_FAMILY_BY_HY[family_hy], script, upper)
                families[family_hy] = family
            family = self._compound(family)
            female = person.sex == "F"
            given_name = (_FEMALE_BY_HY if female else _MALE_BY_HY)[person.given_name]
            given = self._name(given_name, script, upper)
            given = self._field_given(given_name, given, script, upper)
            if rng.random() < p.given_typo:
                given = _typo(rng, given)
            if rng.random() < p.family_typo:
                family = _typo(rng, family)
            if rng.random() < p.names_swapped:
                given, family = family, given
            older = "older_person" in person.vulnerabilities
            self.records += 1
            record_id = f"{p.prefix}-{self.records:07d}"
            self.out.append(
                Registration(
                    source=p.name,
                    record_id=record_id,
                    given_name=given,
                    family_name=family,
                    patronymic=self._patronymic(person, script, upper),
                    sex="" if rng.random() < p.sex_missing else person.sex,
                    birth_date=(
                        self._field_birth_date(person, day, older)
                        if field is not None
                        else self._birth_date(person.birth_date, older)
                    ),
                    origin=self._origin(household.origin, script),
                    phone=self._phone(person.phone),
                    household_ref=household_ref,
                    shelter=shelter,
                    host_site=host_site,
                    relation=person.relation,
                    vulnerabilities=self._vulnerabilities(person.vulnerabilities),
                    registered_on=registered_on,
                )
            )
            self.truth.append((p.name, record_id, person.person_id))


def _shift_year(iso: str, year: int) -> str:
    """``iso`` with another year; 29 February becomes 28 February outside leap years."""
    month_day = iso[5:]
    if month_day == "02-29" and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        month_day = "02-28"
    return f"{year:04d}-{month_day}"


def _delay(rng: Random, low: int, mode: int, high: int) -> int:
    return int(rng.triangular(low, high + 1, mode)) if high > low else low


def _register(
    seed: int,
    households: list[_Household],
    regions: Sequence[HostRegion],
    profiles: Sequence[SourceProfile],
    field: FieldErrors | None = None,
) -> tuple[dict[str, list[Registration]], list[tuple[str, str, str]]]:
    # Who each body reaches: whole households at its coverage, less some members.
    reached: list[list[list[Person] | None]] = []
    rng = Random(f"{seed}:coverage")
    for p in profiles:
        per_household: list[list[Person] | None] = []
        for h in households:
            if rng.random() >= p.coverage:
                per_household.append(None)
                continue
            per_household.append(
                [m for i, m in enumerate(h.members) if i == 0 or rng.random() >= p.member_drop]
            )
        reached.append(per_household)
    # Everyone is registered somewhere: people no body reached go to one that reached their
    # household, or else to a body drawn by its coverage.
    coverage_cum = list(accumulate(p.coverage for p in profiles))
    for index, h in enumerate(households):
        lists = [r[index] for r in reached]
        registered = {id(m) for lst in lists if lst is not None for m in lst}
        missed = [m for m in h.members if id(m) not in registered]
        if not missed:
            continue
        holders = [i for i, lst in enumerate(lists) if lst is not None]
        target = holders[0] if holders else bisect(coverage_cum, rng.random() * coverage_cum[-1])
        chosen = {id(m) for m in lists[target] or ()} | {id(m) for m in missed}
        reached[target][index] = [m for m in h.members if id(m) in chosen]

    registrations: dict[str, list[Registration]] = {}
    truth: list[tuple[str, str, str]] = []
    for p, per_household in zip(profiles, reached, strict=True):
        rng = Random(f"{seed}:{p.name}")
        visits: list[tuple[int, int, list[Person]]] = []
        for index, (h, members) in enumerate(zip(households, per_household, strict=True)):
            if not members:
                continue
            day = min(_LAST, h.arrival + _delay(rng, *p.delay))
            visits.append((day, 2 * index, members))
            if rng.random() < p.duplicate:
                again = min(_LAST, day + rng.randint(3, 30))
                visits.append((again, 2 * index + 1, members))
        visits.sort(key=lambda v: (v[0], v[1]))
        writer = _Writer(rng, p, regions, field)
        for day, key, members in visits:
            writer.register(households[key // 2], members, day)
        registrations[p.name] = writer.out
        truth += writer.truth
    return registrations, truth


_row = attrgetter(*REGISTRATION_COLUMNS)


def write_registrations_csv(path: pathlib.Path, registrations: Iterable[Registration]) -> None:
    """The import column contract: a header in REGISTRATION_COLUMNS order, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(REGISTRATION_COLUMNS)
        writer.writerows(_row(r) for r in registrations)


def write_truth_csv(path: pathlib.Path, truth: Iterable[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("source", "record_id", "person_id"))
        writer.writerows(truth)
