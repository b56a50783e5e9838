"""Every read of the registry, scoped in the query to what the caller may see.

A household of another organisation is answered exactly like one that does not exist.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from rapidfuzz import fuzz

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.encryption import lookup_hash
from homeward.engines.linkage import (
    PhoneError,
    family_name_key,
    name_key,
    normalise_phone,
    romanize,
)
from homeward.engines.linkage.equivalents import equivalent_keys
from homeward.people.models import Household, Person
from homeward.places.selectors import find_settlements

SEARCH_LIMIT = 50


def households_visible_to(caller: Caller) -> QuerySet[Household]:
    if not caller.may(Permission.VIEW_HOUSEHOLDS):
        return Household.objects.none()
    return Household.objects.filter(organisation=caller.organisation)


def persons_visible_to(caller: Caller) -> QuerySet[Person]:
    if not caller.may(Permission.VIEW_HOUSEHOLDS):
        return Person.objects.none()
    return Person.objects.filter(household__organisation=caller.organisation)


def get_household(caller: Caller, reference: str) -> Household:
    """The household with this reference, if the caller may see it; DoesNotExist otherwise."""
    return (
        households_visible_to(caller)
        .select_related(
            "origin_settlement", "shelter__site__region", "host_site__region", "organisation"
        )
        .prefetch_related(Prefetch("persons", queryset=Person.objects.order_by("id")))
        .get(reference=reference.strip().upper())
    )


def get_person(caller: Caller, person_id: int) -> Person:
    return persons_visible_to(caller).select_related("household").get(pk=person_id)


@dataclass(frozen=True)
class SearchResult:
    person: Person
    score: float


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    total: int  # every match, of which `results` are the closest
    household: Household | None = None  # the text typed was this household's reference

    @property
    def truncated(self) -> bool:
        return self.total > len(self.results)


# Candidates ranked per search, best first in the database: enough to put the closest
# spellings first among common names.
CANDIDATE_LIMIT = 2000
# How much each kind of agreement is worth when ranking (per word, averaged over the words
# typed), and the birth year's part: a year ranks, it does not exclude, because registers
# estimate it (one off from a stated age, or missing).
_EXACT, _EQUIVALENT, _PREFIX, _ONE_EDIT = 100, 95, 85, 75
_SAME_YEAR, _YEAR_ONE_OFF, _YEAR_UNKNOWN = 20, 12, 6
# Words shorter than this are not forgiven a letter: "Ani" one letter off is half the registry.
_FORGIVE_FROM = 4


def _household_reference(word: str) -> str:
    """HW-XXXX-XXXX as typed in any case, with or without its dashes; "" for anything else.
    (Not "has a digit": one reference in twenty has none.)"""
    compact = word.replace("-", "").upper()
    if re.fullmatch(r"HW[0-9A-Z]{8}", compact):
        return f"HW-{compact[2:6]}-{compact[6:]}"
    return ""


def search_persons(
    caller: Caller,
    text: str,
    *,
    birth_year: int | None = None,
    origin: str = "",
    limit: int = SEARCH_LIMIT,
) -> SearchPage:
    """Persons whose names match every word typed, in any script, best first.

    A word matches a given, family or patronymic key exactly; a given name of its group of
    equivalents (Serzh and Sergey, Hripsime and Рипсиме; ``engines.linkage.equivalents``);
    the start of a key when long enough to be a deliberate prefix; or, from four letters, a
    key one letter wrong, missing, added or transposed away. A birth year ranks (the same
    year first, one off close behind, unknown years kept) and does not exclude; an origin
    narrows.
    """
    words = text.split()
    if not words and not origin.strip():
        return SearchPage(results=[], total=0)
    reference = _household_reference(words[0]) if len(words) == 1 else ""
    if reference:
        # A household reference typed in the search box opens it (the answer is the same
        # "nothing" for another organisation's reference as for one that does not exist).
        household = households_visible_to(caller).filter(reference=reference).first()
        if household is not None:
            return SearchPage(results=[], total=0, household=household)
    persons = persons_visible_to(caller)
    phone = _phone_lookup(text) if caller.may(Permission.VIEW_SENSITIVE) else ""
    if phone:
        # A phone number: everyone in the households registered with it (exact, by keyed hash).
        persons = persons.filter(household__phone_lookup=phone)
        words = []
    relevance: list[Case] = []
    for word in words:
        match = _WordMatch.of(word)
        persons = persons.filter(match.any)
        relevance.append(match.relevance)
    if birth_year:
        relevance.append(
            Case(
                When(birth_year=birth_year, then=Value(_SAME_YEAR * len(words or [1]))),
                When(
                    birth_year__in=(birth_year - 1, birth_year + 1),
                    then=Value(_YEAR_ONE_OFF * len(words or [1])),
                ),
                When(birth_year__isnull=True, then=Value(_YEAR_UNKNOWN * len(words or [1]))),
                default=Value(0),
            )
        )
    if origin.strip():
        persons = persons.filter(household__origin_settlement__in=find_settlements(origin))
    ranked = persons.annotate(relevance=sum(relevance[1:], relevance[0]) if relevance else Value(0))
    candidates = list(
        ranked.select_related("household__origin_settlement").order_by("-relevance", "id")[
            :CANDIDATE_LIMIT
        ]
    )
    total = len(candidates) if len(candidates) < CANDIDATE_LIMIT else persons.count()
    typed = romanize(text).split()
    results = [
        (p.relevance, SearchResult(person=p, score=_closeness(typed, p))) for p in candidates
    ]
    results.sort(key=lambda r: (-r[0], -r[1].score, r[1].person.name_latin, r[1].person.pk))
    return SearchPage(results=[r for _, r in results[:limit]], total=total)


def _closeness(typed: list[str], person: Person) -> float:
    """How close the words typed are to the person's names as written (0 to 100)."""
    if not typed:
        return 0.0
    parts = person.name_latin.split() + romanize(person.patronymic).split()
    return sum(max(fuzz.ratio(word, part) for part in parts) for word in typed) / len(typed)


@dataclass(frozen=True)
class _WordMatch:
    """What one typed word matches, and how much each kind of match is worth."""

    exact: Q
    equivalent: Q
    prefix: Q
    one_edit: Q

    @classmethod
    def of(cls, word: str) -> "_WordMatch":
        family, given = family_name_key(word), name_key(word)
        nothing = Q(pk__in=[])
        if not family and not given:
            return cls(nothing, nothing, nothing, nothing)
        exact = Q(family_key=family) | Q(given_key=given) | Q(patronymic_key=given)
        others = sorted(equivalent_keys(given) - {given})
        equivalent = Q(given_key__in=others) | Q(patronymic_key__in=others) if others else nothing
        prefix = one_edit = nothing
        latin = romanize(word)
        if len(latin) >= _FORGIVE_FROM:
            prefix = Q(family_key__startswith=given) | Q(given_key__startswith=given)
            families, givens = _one_edit_keys(latin.replace(" ", ""))
            one_edit = Q(family_key__in=sorted(families - {family})) | Q(
                given_key__in=sorted(givens - {given})
            )
        return cls(exact, equivalent, prefix, one_edit)

    @property
    def any(self) -> Q:
        return self.exact | self.equivalent | self.prefix | self.one_edit

    @property
    def relevance(self) -> Case:
        return Case(
            When(self.exact, then=Value(_EXACT)),
            When(self.equivalent, then=Value(_EQUIVALENT)),
            When(self.prefix, then=Value(_PREFIX)),
            default=Value(_ONE_EDIT),
        )


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)
def _one_edit_keys(latin: str) -> tuple[frozenset[str], frozenset[str]]:
    """Family and given keys of every spelling one edit from ``latin`` (romanised): a letter
    replaced, dropped, added, or two neighbours swapped ("Гарнт" for "Грант",
    "Khacharyan" for "Khachatryan"). The keys fold many spellings into one, so the hundreds
    of spellings give some dozens of keys, matched on the indexed key columns."""
    spellings = {latin[:i] + latin[i + 1 :] for i in range(len(latin))}
    spellings |= {
        latin[:i] + latin[i + 1] + latin[i] + latin[i + 2 :] for i in range(len(latin) - 1)
    }
    for i in range(len(latin) + 1):
        for letter in _LETTERS:
            spellings.add(latin[:i] + letter + latin[i:])
            if i < len(latin):
                spellings.add(latin[:i] + letter + latin[i + 1 :])
    spellings.discard(latin)
    families = {family_name_key(s) for s in spellings}
    givens = {name_key(s) for s in spellings}
    return frozenset(families - {""}), frozenset(givens - {""})


def _phone_lookup(text: str) -> str:
    """The keyed hash of text that is a phone number, or "" when it is not one."""
    if not any(c.isdigit() for c in text) or any(c.isalpha() for c in text):
        return ""
    try:
        return lookup_hash(normalise_phone(text))
    except PhoneError:
        return ""
