"""Every write to the registry. Each runs in one transaction with its audit row."""

import datetime
import secrets
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.people.models import Household, Person
from homeward.people.validation import FieldProblem, clean_person, clean_phone, clean_text
from homeward.places.models import HostSite, Settlement, Shelter

# Crockford's base32 without I, L, O, U: references are read aloud and typed at a checkpoint.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_household_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"HW-{body[:4]}-{body[4:]}"


def _household_changes(
    *,
    origin_settlement: Settlement | None,
    origin_written: str,
    origin_address: str,
    shelter: Shelter | None,
    host_site: HostSite | None,
    host_address: str,
    phone: str,
    registered_on: datetime.date | None,
) -> dict:
    phone_written, phone_lookup = clean_phone(phone)
    if registered_on and registered_on > timezone.localdate():
        raise FieldProblem("registered_on", "is in the future")
    if shelter is not None and host_site is not None and shelter.site_id != host_site.pk:
        raise FieldProblem("host_site", "differs from the community of the shelter")
    return {
        "origin_settlement": origin_settlement,
        "origin_written": clean_text(
            "origin",
            origin_written or (origin_settlement.name_hy_latn if origin_settlement else ""),
            max_length=Household._meta.get_field("origin_written").max_length,
        ),
        "origin_address": clean_text(
            "origin_address",
            origin_address,
            max_length=Household._meta.get_field("origin_address").max_length,
        ),
        "shelter": shelter,
        "host_site": host_site if host_site is not None else (shelter.site if shelter else None),
        "host_address": clean_text(
            "host_address",
            host_address,
            max_length=Household._meta.get_field("host_address").max_length,
        ),
        "phone": phone_written,
        "phone_lookup": phone_lookup,
        "registered_on": registered_on or timezone.localdate(),
    }


@transaction.atomic
def register_household(
    *,
    caller: Caller,
    origin_settlement: Settlement | None = None,
    origin_written: str = "",
    origin_address: str = "",
    shelter: Shelter | None = None,
    host_site: HostSite | None = None,
    host_address: str = "",
    phone: str = "",
    registered_on: datetime.date | None = None,
) -> Household:
    caller.require(Permission.EDIT_HOUSEHOLDS)
    values = _household_changes(
        origin_settlement=origin_settlement,
        origin_written=origin_written,
        origin_address=origin_address,
        shelter=shelter,
        host_site=host_site,
        host_address=host_address,
        phone=phone,
        registered_on=registered_on,
    )
    household = Household.objects.create(
        reference=new_household_reference(), organisation=caller.organisation, **values
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="people.household.register",
        target=household,
        details={"reference": household.reference},
    )
    return household


@transaction.atomic
def update_household(
    *, caller: Caller, household: Household, reason: str = "", **fields
) -> Household:
    caller.require(Permission.EDIT_HOUSEHOLDS)
    if household.organisation_id != caller.organisation.pk:
        raise Household.DoesNotExist
    current = household.editable_values()
    unknown = set(fields) - set(current)
    if unknown:
        raise TypeError(f"unknown household fields: {', '.join(sorted(unknown))}")
    # A new settlement replaces what was written; re-saving the same one keeps it as written.
    if (
        "origin_written" not in fields
        and fields.get("origin_settlement", household.origin_settlement)
        != household.origin_settlement
    ):
        fields["origin_written"] = ""
    values = _household_changes(**{**current, **fields})
    # Field names only: the audit log must not become a second copy of personal data.
    changed = sorted(
        name
        for name, value in values.items()
        if getattr(household, name) != value and name != "phone_lookup"
    )
    for name, value in values.items():
        setattr(household, name, value)
    household.save()
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="people.household.update",
        target=household,
        details={"changed": changed},
        reason=reason,
    )
    return household


@transaction.atomic
def add_person(*, caller: Caller, household: Household, **written) -> Person:
    caller.require(Permission.EDIT_HOUSEHOLDS)
    if household.organisation_id != caller.organisation.pk:
        raise Household.DoesNotExist
    values = clean_person(**written)
    person = Person.objects.create(
        household=household,
        source=f"homeward:{caller.organisation.slug}",
        record_id=secrets.token_hex(8),
        **asdict(values),
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="people.person.add",
        target=person,
        details={"household": household.reference},
    )
    return person


@transaction.atomic
def update_person(*, caller: Caller, person: Person, reason: str = "", **written) -> Person:
    caller.require(Permission.EDIT_HOUSEHOLDS)
    if person.household.organisation_id != caller.organisation.pk:
        raise Person.DoesNotExist
    current = person.editable_values()
    unknown = set(written) - set(current)
    if unknown:
        raise TypeError(f"unknown person fields: {', '.join(sorted(unknown))}")
    values = asdict(clean_person(**{**current, **written}))
    changed = sorted(
        name
        for name, value in values.items()
        if getattr(person, name) != value and not name.endswith("_key") and name != "name_latin"
    )
    for name, value in values.items():
        setattr(person, name, value)
    person.save()
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="people.person.update",
        target=person,
        details={"changed": changed},
        reason=reason,
    )
    return person


def record_sensitive_read(*, caller: Caller, households: list[Household], channel: str) -> None:
    """Log that phones or vulnerabilities of these households were shown to this caller.

    Only callers who may see them are shown them, so only their reads are logged.
    """
    if not households or not caller.may(Permission.VIEW_SENSITIVE):
        return
    with transaction.atomic():
        record_event(
            actor=caller.user,
            organisation=caller.organisation,
            action="people.sensitive.read",
            target=households[0] if len(households) == 1 else None,
            details={"households": [h.reference for h in households], "channel": channel},
        )
