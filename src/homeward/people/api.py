import datetime

from django.db import transaction
from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.people import selectors, services
from homeward.people.models import Household, Person
from homeward.people.validation import resolve_host_site, resolve_origin, resolve_shelter

router = Router(tags=["registry"])
# Identifiers beyond a 64-bit integer are refused as invalid input rather than sent to the database.
MAX_ID = 2**63 - 1


class PersonIn(Schema):
    given_name: str
    family_name: str
    patronymic: str = ""
    sex: str = Field("", description="F, M or empty")
    birth_date: str = Field("", description="YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY or empty")
    relation: str = "unknown"
    vulnerabilities: list[str] = []


class PersonPatch(Schema):
    given_name: str | None = None
    family_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    relation: str | None = None
    vulnerabilities: list[str] | None = None
    reason: str = ""


class PersonOut(Schema):
    id: int
    household: str
    given_name: str
    family_name: str
    patronymic: str
    sex: str
    birth_date: str
    birth_precision: str
    relation: str
    vulnerabilities: list[str] | None = Field(description="null for roles that may not see them")

    @staticmethod
    def from_person(person: Person, reference: str, *, sensitive: bool) -> dict:
        return {
            "id": person.pk,
            "household": reference,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "patronymic": person.patronymic,
            "sex": person.sex,
            "birth_date": person.birth_date_display,
            "birth_precision": person.birth_precision,
            "relation": person.relation,
            "vulnerabilities": person.vulnerabilities if sensitive else None,
        }


class HouseholdIn(Schema):
    origin: str = Field("", description="settlement of origin: slug or any of its names")
    origin_address: str = ""
    shelter: str = Field("", description="collective shelter code")
    host_site: str = Field("", description="host community slug")
    host_address: str = ""
    phone: str = ""
    registered_on: datetime.date | None = None
    persons: list[PersonIn] = []


class HouseholdPatch(Schema):
    origin: str | None = None
    origin_address: str | None = None
    shelter: str | None = None
    host_site: str | None = None
    host_address: str | None = None
    phone: str | None = None
    registered_on: datetime.date | None = None
    reason: str = ""


class HouseholdOut(Schema):
    reference: str
    organisation: str
    origin: str | None
    origin_written: str
    origin_address: str
    shelter: str | None
    host_site: str | None
    host_address: str
    phone: str | None = Field(description="null for roles that may not see it")
    registered_on: datetime.date
    persons: list[PersonOut]


class SearchHit(Schema):
    score: float
    person: PersonOut


def household_out(household: Household, caller) -> dict:
    sensitive = caller.may(Permission.VIEW_SENSITIVE)
    return {
        "reference": household.reference,
        "organisation": household.organisation.slug,
        "origin": household.origin_settlement.slug if household.origin_settlement else None,
        "origin_written": household.origin_written,
        "origin_address": household.origin_address,
        "shelter": household.shelter.code if household.shelter else None,
        "host_site": household.host_site.slug if household.host_site else None,
        "host_address": household.host_address,
        "phone": household.phone if sensitive else None,
        "registered_on": household.registered_on,
        "persons": [
            PersonOut.from_person(p, household.reference, sensitive=sensitive)
            for p in household.persons.all()
        ],
    }


def _place_fields(data: dict) -> dict:
    """API place fields (slugs, codes, spellings) resolved to gazetteer records."""
    fields = dict(data)
    if "origin" in fields:
        origin = fields.pop("origin")
        fields["origin_settlement"] = resolve_origin(origin)
        fields["origin_written"] = origin.strip()
    if "shelter" in fields:
        fields["shelter"] = resolve_shelter(fields["shelter"])
    if "host_site" in fields:
        fields["host_site"] = resolve_host_site(fields["host_site"])
    return fields


@router.get("/households", response=list[HouseholdOut])
def list_households(
    request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_ID)
):
    caller = caller_of(request, Permission.VIEW_HOUSEHOLDS)
    households = (
        selectors.households_visible_to(caller)
        .select_related("organisation", "origin_settlement", "shelter", "host_site")
        .prefetch_related("persons")
        .order_by("-registered_on", "reference")[offset : offset + limit]
    )
    households = list(households)
    services.record_sensitive_read(caller=caller, households=households, channel="api")
    return [household_out(h, caller) for h in households]


@router.post("/households", response={201: HouseholdOut})
def register_household(request, payload: HouseholdIn):
    caller = caller_of(request, Permission.EDIT_HOUSEHOLDS)
    data = payload.dict(exclude={"persons"})
    with transaction.atomic():
        household = services.register_household(caller=caller, **_place_fields(data))
        for person in payload.persons:
            services.add_person(caller=caller, household=household, **person.dict())
    return Status(201, household_out(selectors.get_household(caller, household.reference), caller))


@router.get("/households/{reference}", response=HouseholdOut)
def get_household(request, reference: str):
    caller = caller_of(request, Permission.VIEW_HOUSEHOLDS)
    household = selectors.get_household(caller, reference)
    services.record_sensitive_read(caller=caller, households=[household], channel="api")
    return household_out(household, caller)


@router.patch("/households/{reference}", response=HouseholdOut)
def update_household(request, reference: str, payload: HouseholdPatch):
    caller = caller_of(request, Permission.EDIT_HOUSEHOLDS)
    household = selectors.get_household(caller, reference)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    if data.get("registered_on", 0) is None:
        del data["registered_on"]
    data = {k: "" if v is None else v for k, v in data.items()}
    services.update_household(
        caller=caller, household=household, reason=reason, **_place_fields(data)
    )
    return household_out(selectors.get_household(caller, reference), caller)


@router.post("/households/{reference}/persons", response={201: PersonOut})
def add_person(request, reference: str, payload: PersonIn):
    caller = caller_of(request, Permission.EDIT_HOUSEHOLDS)
    household = selectors.get_household(caller, reference)
    person = services.add_person(caller=caller, household=household, **payload.dict())
    return Status(
        201,
        PersonOut.from_person(
            person, household.reference, sensitive=caller.may(Permission.VIEW_SENSITIVE)
        ),
    )


@router.get("/persons/search", response=list[SearchHit])
def search_persons(
    request,
    q: str = Query(..., max_length=200),
    birth_year: int | None = Query(None, ge=1900, le=2100),
    origin: str = Query("", max_length=100),
):
    """Find persons by name in any script; birth year and origin narrow the result."""
    caller = caller_of(request, Permission.VIEW_HOUSEHOLDS)
    page = selectors.search_persons(caller, q, birth_year=birth_year, origin=origin)
    sensitive = caller.may(Permission.VIEW_SENSITIVE)
    services.record_sensitive_read(
        caller=caller,
        households=list({r.person.household_id: r.person.household for r in page.results}.values()),
        channel="api",
    )
    return [
        {
            "score": r.score,
            "person": PersonOut.from_person(
                r.person, r.person.household.reference, sensitive=sensitive
            ),
        }
        for r in page.results
    ]


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request, person_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.VIEW_HOUSEHOLDS)
    person = selectors.get_person(caller, person_id)
    services.record_sensitive_read(caller=caller, households=[person.household], channel="api")
    return PersonOut.from_person(
        person, person.household.reference, sensitive=caller.may(Permission.VIEW_SENSITIVE)
    )


@router.patch("/persons/{person_id}", response=PersonOut)
def update_person(request, payload: PersonPatch, person_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.EDIT_HOUSEHOLDS)
    person = selectors.get_person(caller, person_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    person = services.update_person(
        caller=caller,
        person=person,
        reason=reason,
        **{k: v for k, v in data.items() if v is not None},
    )
    return PersonOut.from_person(
        person, person.household.reference, sensitive=caller.may(Permission.VIEW_SENSITIVE)
    )


@router.get("/persons/{person_id}/everything", response=dict)
def subject_access(request, person_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Everything held about a person and with whom it was shared (a data subject's access request)."""
    from homeward.people.rights import subject_access_export

    caller = caller_of(request, Permission.ANSWER_ACCESS_REQUESTS)
    return subject_access_export(caller=caller, person=selectors.get_person(caller, person_id))
