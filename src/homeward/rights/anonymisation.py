"""Anonymising a person or a household in place.

The rows stay, so that counts by settlement of origin, registration date, sex, birth year
and relation still add up, and so that every reference to them (audit rows, consents, requests)
still resolves. What could identify or locate someone is replaced or cleared. Callers write
the audit row, inside their own transaction.
"""

import datetime
from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet

from homeward.access.models import Consent
from homeward.people.models import Household, Person
from homeward.rights.models import Anonymisation, CorrectionRequest, ErasureRequest

# What an anonymised person's names become: plainly not a name, in any script.
ANONYMISED = "[anonymised]"

# Other apps' text about a person (a visit appeal's grounds, a message naming them): each app
# registers a function that clears its own, called with the ids of the persons anonymised.
ERASERS: list[Callable[[list[int]], None]] = []


def register_eraser(eraser: Callable[[list[int]], None]) -> None:
    ERASERS.append(eraser)


def not_yet_anonymised(persons: QuerySet[Person]) -> QuerySet[Person]:
    done = Anonymisation.objects.filter(person=OuterRef("pk"))
    return persons.exclude(Exists(done))


def anonymise_persons(
    persons: QuerySet[Person],
    *,
    at: datetime.datetime,
    retention_rule: str = "",
    erasure_request: ErasureRequest | None = None,
    closed_by=None,
) -> list[int]:
    """Anonymise these persons (those not already anonymised); return their ids."""
    ids = list(not_yet_anonymised(persons).order_by("id").values_list("id", flat=True))
    if not ids:
        return []
    # update(), not save(): anonymising is not activity, so updated_at must not move.
    Person.objects.filter(pk__in=ids).update(
        given_name=ANONYMISED,
        family_name=ANONYMISED,
        patronymic="",
        given_key="",
        family_key="",
        patronymic_key="",
        name_latin="",
        # The birth year stays: the age structure of the people from each settlement is what
        # planning for return needs (schools, care for older people), and a year alone, without
        # a name, phone or address, does not single out a person in published figures, which
        # are small-count suppressed. Day and month would, with the settlement: they go.
        birth_month=None,
        birth_day=None,
        vulnerabilities=[],
        # source and record_id stay: they are the registering body's own numbers, not personal
        # data here, and they stop a re-import of the same file from bringing the names back.
    )
    # An anonymised person shares nothing: any answer still in force is closed.
    Consent.objects.filter(person_id__in=ids, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawn_by=closed_by
    )
    for model in (CorrectionRequest, ErasureRequest):
        requests = model.objects.filter(person_id__in=ids, text_cleared_at__isnull=True)
        fields = {"statement": "", "text_cleared_at": at}
        if model is CorrectionRequest:
            fields["value_asked"] = ""
        requests.update(**fields)
    for eraser in ERASERS:
        eraser(ids)
    households = dict(Person.objects.filter(pk__in=ids).values_list("id", "household_id"))
    Anonymisation.objects.bulk_create(
        Anonymisation(
            household_id=households[pk],
            person_id=pk,
            at=at,
            retention_rule=retention_rule,
            erasure_request=erasure_request,
        )
        for pk in ids
    )
    return ids


def anonymise_households(
    households: QuerySet[Household],
    *,
    at: datetime.datetime,
    retention_rule: str = "",
    erasure_request: ErasureRequest | None = None,
) -> list[str]:
    """Clear the contact data and whereabouts of these households; return their references.

    The organisation, settlement of origin and registration date stay, for aggregate figures;
    the reference stays because audit rows name households by it (it means nothing outside).
    """
    done = Anonymisation.objects.filter(household=OuterRef("pk"), person__isnull=True)
    rows = list(households.exclude(Exists(done)).order_by("id").values_list("id", "reference"))
    if not rows:
        return []
    ids = [pk for pk, _reference in rows]
    Household.objects.filter(pk__in=ids).update(
        origin_written="",
        origin_address="",
        shelter=None,
        host_site=None,
        host_address="",
        phone="",
        phone_lookup="",
    )
    Anonymisation.objects.bulk_create(
        Anonymisation(
            household_id=pk, at=at, retention_rule=retention_rule, erasure_request=erasure_request
        )
        for pk in ids
    )
    return [reference for _pk, reference in rows]


def is_anonymised(person: Person) -> bool:
    return Anonymisation.objects.filter(person=person).exists()
