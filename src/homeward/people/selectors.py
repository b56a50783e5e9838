"""Every read of the registry, scoped in the query to what the caller may see.

A household of another organisation is answered exactly like one that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
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

    @property
    def truncated(self) -> bool:
        return self.total > len(self.results)


# Candidates ranked per search: enough to put the closest spellings first among common names.
CANDIDATE_LIMIT = 2000


def search_persons(
    caller: Caller,
    text: str,
    *,
    birth_year: int | None = None,
    origin: str = "",
    limit: int = SEARCH_LIMIT,
) -> SearchPage:
    """Persons whose names match every word typed, in any script, closest spelling first.

    Each word must match a given, family or patronymic key exactly, or begin one when the
    word is long enough to be a deliberate prefix. Birth year and origin narrow the result.
    """
    words = text.split()
    if not words and not origin.strip():
        return SearchPage(results=[], total=0)
    persons = persons_visible_to(caller)
    phone = _phone_lookup(text) if caller.may(Permission.VIEW_SENSITIVE) else ""
    if phone:
        # A phone number: everyone in the households registered with it (exact, by keyed hash).
        persons = persons.filter(household__phone_lookup=phone)
        words = []
    for word in words:
        persons = persons.filter(_word_matches(word))
    if birth_year:
        persons = persons.filter(birth_year=birth_year)
    if origin.strip():
        persons = persons.filter(household__origin_settlement__in=find_settlements(origin))
    candidates = list(
        persons.select_related("household__origin_settlement").order_by("id")[:CANDIDATE_LIMIT]
    )
    total = len(candidates) if len(candidates) < CANDIDATE_LIMIT else persons.count()
    typed = romanize(text).split()
    results = [SearchResult(person=p, score=_closeness(typed, p)) for p in candidates]
    results.sort(key=lambda r: (-r.score, r.person.name_latin, r.person.pk))
    return SearchPage(results=results[:limit], total=total)


def _closeness(typed: list[str], person: Person) -> float:
    """How close the words typed are to the person's names as written (0 to 100)."""
    if not typed:
        return 0.0
    parts = person.name_latin.split() + romanize(person.patronymic).split()
    return sum(max(fuzz.ratio(word, part) for part in parts) for word in typed) / len(typed)


def _word_matches(word: str) -> Q:
    family, given = family_name_key(word), name_key(word)
    if not family and not given:
        return Q(pk__in=[])
    matches = Q(family_key=family) | Q(given_key=given) | Q(patronymic_key=given)
    if len(romanize(word)) >= 4:
        matches |= Q(family_key__startswith=given) | Q(given_key__startswith=given)
    return matches


def _phone_lookup(text: str) -> str:
    """The keyed hash of text that is a phone number, or "" when it is not one."""
    if not any(c.isdigit() for c in text) or any(c.isalpha() for c in text):
        return ""
    try:
        return lookup_hash(normalise_phone(text))
    except PhoneError:
        return ""
