"""Sharing between organisations: writes (agreements, approvals, consent) and the one read.

Data passes only under an agreement approved by both sides' data protection officers, within
its dates, for its purpose and fields, and only for people whose consent for that purpose is in
force. Withdrawal takes effect at once: the read below checks consent on every call.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.models import (
    AGREEMENT_MAX_YEARS,
    PURPOSE_FIELD_LIMITS,
    SHAREABLE_FIELDS,
    Consent,
    Organisation,
    Purpose,
    SharingAgreement,
)
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.people.validation import FieldProblem


@transaction.atomic
def propose_agreement(
    *,
    caller: Caller,
    recipient: Organisation,
    purpose: str,
    fields: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> SharingAgreement:
    """The provider's DPO proposes; the proposal counts as the provider side's approval."""
    caller.require(Permission.MANAGE_SHARING)
    if recipient.pk == caller.organisation.pk:
        raise FieldProblem("recipient", "is your own organisation")
    if purpose not in Purpose.values:
        raise FieldProblem("purpose", f"{purpose!r} is not one of {', '.join(Purpose.values)}")
    unknown = sorted(set(fields) - set(SHAREABLE_FIELDS))
    if not fields or unknown:
        raise FieldProblem(
            "fields",
            f"choose among {', '.join(SHAREABLE_FIELDS)}" + (f"; not {unknown}" if unknown else ""),
        )
    _check_terms(purpose=purpose, fields=fields, starts_on=starts_on, ends_on=ends_on)
    now = timezone.now()
    agreement = SharingAgreement.objects.create(
        provider=caller.organisation,
        recipient=recipient,
        purpose=purpose,
        fields=sorted(set(fields)),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=caller.user,
        provider_approved_by=caller.user,
        provider_approved_at=now,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="sharing.agreement.propose",
        target=agreement,
        details={"recipient": recipient.slug, "purpose": purpose, "fields": agreement.fields},
    )
    return agreement


def latest_end(starts_on: datetime.date, today: datetime.date) -> datetime.date:
    """The last day an agreement starting on `starts_on`, proposed `today`, may run to: ten
    years from its start, and never more than ten years from the day it is agreed."""

    def years_after(day: datetime.date) -> datetime.date:
        year = day.year + AGREEMENT_MAX_YEARS
        if year > datetime.MAXYEAR:
            return datetime.date.max
        # 29 February ten years on is 28 February when that year has no 29th.
        return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))

    return min(years_after(starts_on), years_after(today))


def _check_terms(
    *,
    purpose: str,
    fields: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date | None = None,
) -> None:
    """What every agreement must keep to, proposed or approved: its purpose's field limit and
    at most ten years."""
    allowed = PURPOSE_FIELD_LIMITS.get(purpose)
    extra = sorted(set(fields) - allowed) if allowed is not None else []
    if extra:
        raise FieldProblem(
            "fields",
            _(
                "for clearance of visits only the manifest minimum passes (given name, family "
                "name, birth year, destination, convoy; the settlement of origin counts as the "
                "destination); remove: %(fields)s"
            )
            % {"fields": ", ".join(_field_label(name) for name in extra)},
        )
    if ends_on < starts_on:
        raise FieldProblem("ends_on", _("is before the start"))
    last = latest_end(starts_on, today or timezone.localdate())
    if ends_on > last:
        raise FieldProblem(
            "ends_on",
            _("an agreement lasts at most %(years)s years: end it by %(date)s")
            % {"years": AGREEMENT_MAX_YEARS, "date": last.isoformat()},
        )


def _field_label(name: str) -> str:
    label = str(SHAREABLE_FIELDS.get(name, name))
    return label if label == name else f"{label} ({name})"


@transaction.atomic
def approve_agreement(*, caller: Caller, agreement: SharingAgreement) -> SharingAgreement:
    """The recipient's DPO approves their side (the provider's side was approved by proposing)."""
    caller.require(Permission.MANAGE_SHARING)
    if agreement.recipient_id != caller.organisation.pk:
        raise PermissionDenied("only the recipient's data protection officer approves this side")
    # An agreement stored before a rule held is held to it now, before it can apply.
    _check_terms(
        purpose=agreement.purpose,
        fields=agreement.fields,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        today=timezone.localdate(agreement.created_at) if agreement.created_at else None,
    )
    agreement.recipient_approved_by, agreement.recipient_approved_at = caller.user, timezone.now()
    agreement.save(update_fields=["recipient_approved_by", "recipient_approved_at"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="sharing.agreement.approve",
        target=agreement,
    )
    return agreement


@transaction.atomic
def end_agreement(*, caller: Caller, agreement: SharingAgreement) -> SharingAgreement:
    """Either side's DPO ends an agreement today: nothing passes under it from then on."""
    caller.require(Permission.MANAGE_SHARING)
    if caller.organisation.pk not in (agreement.provider_id, agreement.recipient_id):
        raise SharingAgreement.DoesNotExist
    agreement.ends_on = max(agreement.starts_on, timezone.localdate() - datetime.timedelta(days=1))
    agreement.save(update_fields=["ends_on"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="sharing.agreement.end",
        target=agreement,
    )
    return agreement


@transaction.atomic
def record_consent(*, caller: Caller, person, purpose: str, given: bool, method: str) -> Consent:
    caller.require(Permission.RECORD_CONSENT)
    if person.household.organisation_id != caller.organisation.pk:
        raise type(person).DoesNotExist
    if purpose not in Purpose.values:
        raise FieldProblem("purpose", f"{purpose!r} is not one of {', '.join(Purpose.values)}")
    if method not in Consent.Method.values:
        raise FieldProblem("method", f"{method!r} is not one of {', '.join(Consent.Method.values)}")
    now = timezone.now()
    Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=caller.user
    )
    consent = Consent.objects.create(
        person=person, purpose=purpose, given=given, method=method, recorded_by=caller.user
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="sharing.consent.record",
        target=person,
        details={"purpose": purpose, "given": given, "method": method},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, caller: Caller, person, purpose: str) -> int:
    caller.require(Permission.RECORD_CONSENT)
    if person.household.organisation_id != caller.organisation.pk:
        raise type(person).DoesNotExist
    closed = Consent.objects.filter(
        person=person, purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now(), withdrawn_by=caller.user)
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="sharing.consent.withdraw",
        target=person,
        details={"purpose": purpose},
    )
    return closed


def consents_in_force(person) -> dict[str, Consent]:
    return {c.purpose: c for c in Consent.objects.filter(person=person, withdrawn_at__isnull=True)}


def agreements_of(caller: Caller):
    if not caller.may(Permission.MANAGE_SHARING):
        return SharingAgreement.objects.none()
    from django.db.models import Q

    return SharingAgreement.objects.filter(
        Q(provider=caller.organisation) | Q(recipient=caller.organisation)
    ).select_related("provider", "recipient")


def read_permission(purpose: str) -> str:
    """What a role needs to read what was shared for a purpose. For clearance it is the
    clearance itself: only those who clear read what was shared to clear, never a caseworker
    or planner of the recipient."""
    if purpose == Purpose.VISIT_CLEARANCE:
        return Permission.CLEAR_VISITS
    return Permission.VIEW_SHARED


def readable_purposes(caller: Caller) -> list[str]:
    return [p for p in Purpose.values if caller.may(read_permission(p))]


def shared_with(caller: Caller, purpose: str, *, today: datetime.date | None = None) -> list[dict]:
    """People shared with the caller's organisation for a purpose, with only the agreed fields.

    For visit clearance, the manifest minimum of travellers whose convoy has not yet returned,
    whatever the agreement lists (visits/clearance.py).
    """
    if purpose not in Purpose.values or not caller.may(read_permission(purpose)):
        return []
    today = today or timezone.localdate()
    if purpose == Purpose.VISIT_CLEARANCE:
        # Imported here: the travellers and convoys are the visits app's, built on this one.
        from homeward.visits.clearance import shared_for_clearance

        rows, shared_ids = shared_for_clearance(caller, today=today)
    else:
        rows, shared_ids = _shared_under_agreements(caller, purpose, today)
    if shared_ids:
        # Who received whom, for what: the record a person's access request answers from.
        with transaction.atomic():
            record_event(
                actor=caller.user,
                organisation=caller.organisation,
                action="sharing.read",
                details={"purpose": purpose, "persons_by_provider": shared_ids},
            )
    return rows


def _shared_under_agreements(
    caller: Caller, purpose: str, today: datetime.date
) -> tuple[list[dict], dict[str, list[int]]]:
    from homeward.people.models import Person

    agreements = SharingAgreement.objects.filter(
        recipient=caller.organisation,
        purpose=purpose,
        starts_on__lte=today,
        ends_on__gte=today,
        provider_approved_at__isnull=False,
        recipient_approved_at__isnull=False,
    )
    rows: list[dict] = []
    shared_ids: dict[str, list[int]] = {}
    for agreement in agreements.select_related("provider"):
        consenting = Consent.objects.filter(
            person=OuterRef("pk"), purpose=purpose, given=True, withdrawn_at__isnull=True
        )
        persons = (
            Person.objects.filter(household__organisation_id=agreement.provider_id)
            .filter(Exists(consenting))
            .select_related("household__origin_settlement")
            .order_by("id")
        )
        for person in persons:
            rows.append(
                {
                    "provider": agreement.provider.slug,
                    **{f: _field(person, f) for f in agreement.fields},
                }
            )
            shared_ids.setdefault(agreement.provider.slug, []).append(person.pk)
    return rows, shared_ids


def _field(person, name: str):
    household = person.household
    return {
        "household": lambda: household.reference,
        "given_name": lambda: person.given_name,
        "family_name": lambda: person.family_name,
        "patronymic": lambda: person.patronymic,
        "sex": lambda: person.sex,
        "birth_year": lambda: person.birth_year,
        "birth_date": lambda: person.birth_date_display,
        "origin": lambda: (
            household.origin_settlement.slug
            if household.origin_settlement
            else household.origin_written
        ),
        "relation": lambda: person.relation,
        "phone": lambda: household.phone,
        "vulnerabilities": lambda: person.vulnerabilities,
    }[name]()
