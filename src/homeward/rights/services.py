"""Every write of people's rights: requests, their decisions, and the end of retention periods.

Each runs in one transaction with its audit row. Audit rows name the field asked about and the
rule applied, never the value asked for or what the person said: the audit log cannot be
erased, so it must not hold what an erasure would have to remove.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.models import Organisation
from homeward.access.roles import Permission
from homeward.audit.models import AuditEvent
from homeward.audit.services import record_event
from homeward.people import services as people_services
from homeward.people.models import Household, Person
from homeward.people.validation import FieldProblem
from homeward.rights import retention
from homeward.rights.anonymisation import anonymise_households, anonymise_persons, is_anonymised
from homeward.rights.models import (
    HOUSEHOLD_FIELDS,
    Channel,
    CorrectableField,
    CorrectionRequest,
    ErasureRequest,
)


def _check_received(*, person: Person, caller: Caller, channel: str, received_on) -> None:
    if person.household.organisation_id != caller.organisation.pk:
        raise Person.DoesNotExist
    if is_anonymised(person):
        raise FieldProblem("person", _("has been anonymised; nothing about them is held"))
    if channel not in Channel.values:
        raise FieldProblem(
            "channel",
            _("%(value)r is not one of %(choices)s")
            % {"value": channel, "choices": ", ".join(Channel.values)},
        )
    if received_on > timezone.localdate():
        raise FieldProblem("received_on", _("is in the future"))


@transaction.atomic
def record_correction_request(
    *,
    caller: Caller,
    person: Person,
    field: str,
    value_asked: str,
    statement: str = "",
    channel: str,
    received_on: datetime.date | None = None,
) -> CorrectionRequest:
    caller.require(Permission.RECORD_RIGHTS_REQUESTS)
    received_on = received_on or timezone.localdate()
    _check_received(person=person, caller=caller, channel=channel, received_on=received_on)
    if field not in CorrectableField.values:
        raise FieldProblem(
            "field",
            _("%(value)r is not one of %(choices)s")
            % {"value": field, "choices": ", ".join(CorrectableField.values)},
        )
    request = CorrectionRequest.objects.create(
        organisation=caller.organisation,
        person=person,
        field=field,
        value_asked=value_asked.strip(),
        statement=statement.strip(),
        channel=channel,
        received_on=received_on,
        recorded_by=caller.user,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.correction.record",
        target=person,
        details={"request": request.pk, "field": field, "channel": channel},
    )
    return request


def _pending(model, caller: Caller, request):
    """The request, locked, if it is the caller's organisation's and still awaits a decision."""
    try:
        locked = model.objects.select_for_update().get(
            pk=request.pk, organisation=caller.organisation
        )
    except model.DoesNotExist:
        raise model.DoesNotExist from None
    if not locked.pending:
        raise FieldProblem("decision", _("this request was already decided"))
    return locked


@transaction.atomic
def accept_correction(
    *, caller: Caller, request: CorrectionRequest, note: str = ""
) -> CorrectionRequest:
    """Apply the value asked for through the registry's services (validated and audited there)."""
    caller.require(Permission.DECIDE_CORRECTIONS)
    request = _pending(CorrectionRequest, caller, request)
    person = Person.objects.select_related("household").get(pk=request.person_id)
    if is_anonymised(person):
        raise FieldProblem("person", _("has been anonymised; nothing about them is held"))
    why = f"correction request {request.pk}"
    if request.field in HOUSEHOLD_FIELDS:
        people_services.update_household(
            caller=caller,
            household=person.household,
            reason=why,
            **{request.field: request.value_asked},
        )
        applied = {"target_type": "people.household", "target_id": str(person.household_id)}
    else:
        people_services.update_person(
            caller=caller, person=person, reason=why, **{request.field: request.value_asked}
        )
        applied = {"target_type": "people.person", "target_id": str(person.pk)}
    request.applied_event = (
        AuditEvent.objects.filter(**applied, reason=why).order_by("-sequence").first()
    )
    request.status = CorrectionRequest.Status.ACCEPTED
    request.decided_by, request.decided_at = caller.user, timezone.now()
    request.reason = note.strip()
    request.save(update_fields=["applied_event", "status", "decided_by", "decided_at", "reason"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.correction.accept",
        target=person,
        details={"request": request.pk, "field": request.field},
        reason=request.reason,
    )
    return request


@transaction.atomic
def refuse_correction(
    *, caller: Caller, request: CorrectionRequest, reason: str
) -> CorrectionRequest:
    caller.require(Permission.DECIDE_CORRECTIONS)
    if not reason.strip():
        raise FieldProblem("reason", _("a refusal needs its reason, for the person"))
    request = _pending(CorrectionRequest, caller, request)
    request.status = CorrectionRequest.Status.REFUSED
    request.decided_by, request.decided_at = caller.user, timezone.now()
    request.reason = reason.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.correction.refuse",
        target=request.person,
        details={"request": request.pk, "field": request.field},
        reason=request.reason,
    )
    return request


@transaction.atomic
def record_erasure_request(
    *,
    caller: Caller,
    person: Person,
    statement: str = "",
    channel: str,
    received_on: datetime.date | None = None,
) -> ErasureRequest:
    caller.require(Permission.RECORD_RIGHTS_REQUESTS)
    received_on = received_on or timezone.localdate()
    _check_received(person=person, caller=caller, channel=channel, received_on=received_on)
    request = ErasureRequest.objects.create(
        organisation=caller.organisation,
        person=person,
        statement=statement.strip(),
        channel=channel,
        received_on=received_on,
        recorded_by=caller.user,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.erasure.record",
        target=person,
        details={"request": request.pk, "channel": channel},
    )
    return request


@transaction.atomic
def erase_on_request(*, caller: Caller, request: ErasureRequest, note: str = "") -> ErasureRequest:
    """Anonymise the person now, unless a retention rule keeps them (then nothing is changed).

    The household's contact data go too once no one in it is left with data: they are the
    household's, shared with the others who have not asked.
    """
    caller.require(Permission.DECIDE_ERASURES)
    request = _pending(ErasureRequest, caller, request)
    now = timezone.now()
    person = Person.objects.select_related("household").get(pk=request.person_id)
    holding = retention.rules_holding(person, now)
    if holding:
        raise FieldProblem(
            "decision",
            _("kept under the retention rule %(rule)s: %(record)s, %(kept)s")
            % {"rule": holding[0].key, "record": holding[0].record, "kept": holding[0].kept},
        )
    anonymise_persons(
        Person.objects.filter(pk=person.pk), at=now, erasure_request=request, closed_by=caller.user
    )
    household = person.household
    others_with_data = (
        Person.objects.filter(household=household)
        .exclude(pk__in=_anonymised_ids(household))
        .exists()
    )
    household_cleared = []
    if not others_with_data:
        household_cleared = anonymise_households(
            Household.objects.filter(pk=household.pk), at=now, erasure_request=request
        )
    request.refresh_from_db()  # the anonymisation cleared what the person said
    request.status = ErasureRequest.Status.ERASED
    request.decided_by, request.decided_at = caller.user, now
    request.reason = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.erasure.erase",
        target=person,
        details={
            "request": request.pk,
            "household": household.reference,
            "household_contact_data_cleared": bool(household_cleared),
        },
        reason=request.reason,
    )
    return request


def _anonymised_ids(household) -> list[int]:
    from homeward.rights.models import Anonymisation

    return list(
        Anonymisation.objects.filter(household=household, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


@transaction.atomic
def keep_on_request(
    *, caller: Caller, request: ErasureRequest, retention_rule: str, note: str = ""
) -> ErasureRequest:
    """Refuse the erasure, naming the retention rule that keeps the data (the person is told)."""
    caller.require(Permission.DECIDE_ERASURES)
    request = _pending(ErasureRequest, caller, request)
    now = timezone.now()
    allowed = {rule.key for rule in retention.rules_to_keep(request.person, now)}
    if retention_rule not in allowed:
        raise FieldProblem(
            "retention_rule",
            _("%(value)r does not keep this person's data; one of %(choices)s")
            % {"value": retention_rule, "choices": ", ".join(sorted(allowed))},
        )
    request.status = ErasureRequest.Status.KEPT
    request.retention_rule = retention_rule
    request.decided_by, request.decided_at = caller.user, now
    request.reason = note.strip()
    request.save(update_fields=["status", "retention_rule", "decided_by", "decided_at", "reason"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="rights.erasure.keep",
        target=request.person,
        details={"request": request.pk, "retention_rule": retention_rule},
        reason=request.reason,
    )
    return request


def anonymise_expired(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """End every retention period that has run out: how many records each rule ended.

    All or nothing, in one transaction; one audit row per rule that ended something (per
    organisation for the registry, so that each DPO's export shows theirs). A second run finds
    nothing left and writes nothing.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        for rule in retention.RULES:
            if rule.expired is None or rule.end is None:
                continue
            expired = rule.expired(now)
            counts[rule.key] = expired.count()
            if dry_run or not counts[rule.key]:
                continue
            model = getattr(expired, "model", None)
            if model is not None and any(f.name == "organisation" for f in model._meta.fields):
                for organisation_id in sorted(
                    set(expired.values_list("organisation_id", flat=True))
                ):
                    details = rule.end(expired.filter(organisation_id=organisation_id), now)
                    _audit_expiry(rule, details, Organisation.objects.get(pk=organisation_id))
            else:
                _audit_expiry(rule, rule.end(expired, now), None)
    return counts


def _audit_expiry(rule: retention.RetentionRule, details: dict, organisation) -> None:
    record_event(
        actor=None,
        organisation=organisation,
        action="rights.retention.end",
        details={"rule": rule.key, **details},
    )
