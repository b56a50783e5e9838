"""The crossing: manifests and slips to print, check-out and check-in, and who is not back.

Reads are scoped like every other: a convoy, request or alert of another organisation is
answered as one that does not exist. The one exception is a monitoring mission, whose
monitors see every organisation's alerts, but without names. Every write runs in one
transaction with its audit row; a traveller who left and is not back when the convoy
returns stays an open alert until they check in or someone records what happened.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.access.caller import Caller
from homeward.access.models import Organisation
from homeward.access.roles import Permission, Role
from homeward.audit.services import record_event
from homeward.messaging import selectors as outbox
from homeward.messaging.models import Message
from homeward.messaging.services import queue_message
from homeward.people.validation import FieldProblem
from homeward.visits.models import (
    Capacity,
    Convoy,
    MissingTravellerAlert,
    Traveller,
    VisitRequest,
)

ALERT_TOPIC = "visits.alert"


class CrossingRefused(FieldProblem):
    """The checkpoint cannot do this, and the message says why (shown to the officer as is)."""

    def __init__(self, message: str, field: str = "crossing"):
        super().__init__(field, message)


def _time(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _full_name(person) -> str:
    return " ".join(p for p in (person.family_name, person.given_name, person.patronymic) if p)


# ---------------------------------------------------------------------------------------------
# References as typed or scanned


# Crockford's base 32 has no I, L, O or U: what looks like one is the digit it resembles.
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def reference_candidates(code: str) -> list[str]:
    """The references a typed or scanned code may mean, most likely first.

    Case, spaces and dashes do not matter, nor Crockford's confusions (O for 0, I or L for 1);
    the eight characters alone may mean a request or a household.
    """
    key = re.sub(r"[^0-9A-Z]", "", code.upper())
    if len(key) == 10 and key[:2] in ("VR", "HW"):
        prefix, body = key[:2], key[2:]
    elif len(key) == 8:
        prefix, body = "", key
    else:
        return []
    body = body.translate(_CONFUSIONS)
    prefixes = [prefix] if prefix else ["VR", "HW"]
    return [f"{p}-{body[:4]}-{body[4:]}" for p in prefixes]


# ---------------------------------------------------------------------------------------------
# Selectors


def convoys_visible_to(caller: Caller) -> QuerySet[Convoy]:
    if not (caller.may(Permission.PRINT_MANIFESTS) or caller.may(Permission.CROSS_CHECKPOINT)):
        return Convoy.objects.none()
    return Convoy.objects.filter(organisation=caller.organisation)


def convoy_list(caller: Caller) -> QuerySet[Convoy]:
    """The organisation's convoys by date, with how many travel and how many are out or missing."""
    return (
        convoys_visible_to(caller)
        .select_related("route")
        .annotate(
            people=Count(
                "requests__travellers",
                filter=~Q(requests__travellers__clearance=Traveller.Clearance.REFUSED),
                distinct=True,
            ),
            households=Count("requests", distinct=True),
            open_alerts=Count("alerts", filter=Q(alerts__resolved_at__isnull=True), distinct=True),
        )
        .order_by("-date", "number")
    )


def get_convoy(caller: Caller, convoy_id: int) -> Convoy:
    return convoys_visible_to(caller).select_related("route", "organisation").get(pk=convoy_id)


@dataclass(frozen=True)
class Manifest:
    convoy: Convoy
    capacity: Capacity | None
    travellers: list[Traveller]
    households: int
    people: int  # who can still travel: anyone refused for good stays behind
    cleared: int
    cargo_m3: Decimal


def manifest(caller: Caller, convoy_id: int) -> Manifest:
    caller.require(Permission.PRINT_MANIFESTS)
    convoy = get_convoy(caller, convoy_id)
    travellers = list(
        Traveller.objects.filter(request__convoy=convoy)
        .exclude(request__status=VisitRequest.Status.CANCELLED)
        .select_related("person", "request__household", "request__destination")
        .order_by("request__reference", "person__family_name", "person__given_name", "pk")
    )
    requests = VisitRequest.objects.filter(convoy=convoy).exclude(
        status=VisitRequest.Status.CANCELLED
    )
    return Manifest(
        convoy=convoy,
        capacity=Capacity.objects.filter(organisation=convoy.organisation).first(),
        travellers=travellers,
        households=requests.count(),
        people=sum(1 for t in travellers if t.clearance != Traveller.Clearance.REFUSED),
        cleared=sum(1 for t in travellers if t.clearance == Traveller.Clearance.CLEARED),
        cargo_m3=Decimal(requests.aggregate(total=Sum("cargo_m3"))["total"] or 0).quantize(
            Decimal("0.01")
        ),
    )


def get_request_for_slip(caller: Caller, reference: str) -> VisitRequest:
    caller.require(Permission.REQUEST_VISITS)
    return (
        VisitRequest.objects.filter(organisation=caller.organisation)
        .select_related("convoy__route", "destination", "household")
        .get(reference=reference.strip().upper())
    )


def slip_capacity(visit: VisitRequest) -> Capacity | None:
    return Capacity.objects.filter(organisation_id=visit.organisation_id).first()


def _requests_at_checkpoint(caller: Caller) -> QuerySet[VisitRequest]:
    if not caller.may(Permission.CROSS_CHECKPOINT):
        return VisitRequest.objects.none()
    return VisitRequest.objects.filter(organisation=caller.organisation).select_related(
        "convoy__route", "destination", "household"
    )


@dataclass(frozen=True)
class TravellerAtCheckpoint:
    traveller: Traveller
    can_check_out: bool
    can_check_in: bool
    note: str  # why neither, or what happened already


@dataclass
class CheckpointLookup:
    """What the officer sees after typing or scanning a code."""

    code: str
    visit: VisitRequest | None = None
    problem: str = ""  # the one thing the officer must know first, or ""
    travellers: list[TravellerAtCheckpoint] = field(default_factory=list)

    @property
    def any_to_check_out(self) -> bool:
        return any(t.can_check_out for t in self.travellers)

    @property
    def any_to_check_in(self) -> bool:
        return any(t.can_check_in for t in self.travellers)


def _check_out_refusal(traveller: Traveller, today: datetime.date) -> str:
    """Why this traveller cannot leave now, or "" if they can; the services ask the same."""
    visit = traveller.request
    convoy = visit.convoy
    if traveller.checked_out_at is not None:
        return _("%(name)s already checked out at %(time)s.") % {
            "name": _full_name(traveller.person),
            "time": _time(traveller.checked_out_at),
        }
    if visit.status == VisitRequest.Status.CANCELLED:
        return _("Request %(reference)s was cancelled.") % {"reference": visit.reference}
    if convoy is None:
        return _("Request %(reference)s is not on a convoy.") % {"reference": visit.reference}
    if convoy.date != today:
        return _("Wrong day: request %(reference)s travels on %(date)s (convoy %(convoy)s).") % {
            "reference": visit.reference,
            "date": convoy.date.isoformat(),
            "convoy": convoy.code,
        }
    if convoy.status == Convoy.Status.RETURNED:
        return _("Convoy %(convoy)s has already returned.") % {"convoy": convoy.code}
    if traveller.clearance != Traveller.Clearance.CLEARED:
        return _("%(name)s is not cleared (%(status)s) and cannot cross.") % {
            "name": _full_name(traveller.person),
            "status": traveller.get_clearance_display(),
        }
    return ""


def _check_in_refusal(traveller: Traveller) -> str:
    if traveller.checked_out_at is None:
        return _("%(name)s has not checked out: nobody checks in without having left.") % {
            "name": _full_name(traveller.person)
        }
    if traveller.checked_in_at is not None:
        return _("%(name)s already checked in at %(time)s.") % {
            "name": _full_name(traveller.person),
            "time": _time(traveller.checked_in_at),
        }
    return ""


def _pick_request(requests: list[VisitRequest], today: datetime.date) -> VisitRequest | None:
    """Of a household's requests, the one the checkpoint most likely means today."""

    def rank(visit: VisitRequest):
        away = any(t.checked_out_at and not t.checked_in_at for t in visit.travellers.all())
        on_today = visit.convoy is not None and visit.convoy.date == today
        upcoming = visit.convoy is not None and visit.convoy.date > today
        cancelled = visit.status == VisitRequest.Status.CANCELLED
        distance = abs((visit.convoy.date - today).days) if visit.convoy else 10**6
        return (not on_today, not away, not upcoming, cancelled, distance)

    return min(requests, key=rank) if requests else None


def find_at_checkpoint(
    caller: Caller, code: str, *, today: datetime.date | None = None
) -> CheckpointLookup:
    """The request a typed or scanned code means, with what each traveller may do now."""
    caller.require(Permission.CROSS_CHECKPOINT)
    today = today or timezone.localdate()
    lookup = CheckpointLookup(code=code.strip())
    requests = _requests_at_checkpoint(caller).prefetch_related("travellers__person")
    found: list[VisitRequest] = []
    for reference in reference_candidates(code):
        if reference.startswith("VR-"):
            found = list(requests.filter(reference=reference))
        else:
            found = list(requests.filter(household__reference=reference))
        if found:
            break
    visit = _pick_request(found, today)
    if visit is None:
        lookup.problem = _("No request or household with the reference “%(code)s”.") % {
            "code": lookup.code
        }
        return lookup
    lookup.visit = visit
    for traveller in visit.travellers.all():
        traveller.request = visit  # the prefetch already holds it: no query per traveller
        refusal_out = _check_out_refusal(traveller, today)
        refusal_in = _check_in_refusal(traveller)
        if not refusal_out:
            note = ""
        elif traveller.checked_out_at and not traveller.checked_in_at:
            note = _("Out since %(time)s.") % {"time": _time(traveller.checked_out_at)}
        elif traveller.checked_in_at:
            note = _("Back at %(time)s.") % {"time": _time(traveller.checked_in_at)}
        else:
            note = refusal_out
        lookup.travellers.append(
            TravellerAtCheckpoint(
                traveller=traveller,
                can_check_out=not refusal_out,
                can_check_in=not refusal_in,
                note=note,
            )
        )
    convoy = visit.convoy
    if visit.status == VisitRequest.Status.CANCELLED:
        lookup.problem = _("Request %(reference)s was cancelled.") % {"reference": visit.reference}
    elif convoy is None:
        lookup.problem = _("Not on a convoy: request %(reference)s has no seat yet.") % {
            "reference": visit.reference
        }
    elif convoy.date != today and not lookup.any_to_check_in:
        lookup.problem = _(
            "Wrong day: request %(reference)s travels on %(date)s (convoy %(convoy)s)."
        ) % {"reference": visit.reference, "date": convoy.date.isoformat(), "convoy": convoy.code}
    elif not lookup.any_to_check_out and not lookup.any_to_check_in:
        if all(t.traveller.clearance != Traveller.Clearance.CLEARED for t in lookup.travellers):
            lookup.problem = _("Nobody on request %(reference)s is cleared to cross.") % {
                "reference": visit.reference
            }
    return lookup


def todays_convoys(caller: Caller, *, today: datetime.date | None = None) -> QuerySet[Convoy]:
    """Today's convoys at the checkpoint, with how many are out and how many are back."""
    today = today or timezone.localdate()
    travellers = "requests__travellers"
    return (
        convoys_visible_to(caller)
        .filter(Q(date=today) | Q(status=Convoy.Status.DEPARTED))
        .select_related("route")
        .annotate(
            people=Count(
                travellers,
                filter=Q(**{f"{travellers}__clearance": Traveller.Clearance.CLEARED}),
                distinct=True,
            ),
            out=Count(
                travellers,
                filter=Q(**{f"{travellers}__checked_out_at__isnull": False}),
                distinct=True,
            ),
            back=Count(
                travellers,
                filter=Q(**{f"{travellers}__checked_in_at__isnull": False}),
                distinct=True,
            ),
        )
        .order_by("date", "number")
    )


def get_traveller(caller: Caller, traveller_id: int) -> Traveller:
    caller.require(Permission.CROSS_CHECKPOINT)
    return (
        Traveller.objects.filter(request__organisation=caller.organisation)
        .select_related("person", "request__convoy")
        .get(pk=traveller_id)
    )


def get_request_at_checkpoint(caller: Caller, reference: str) -> VisitRequest:
    return _requests_at_checkpoint(caller).get(reference=reference.strip().upper())


def alerts_visible_to(caller: Caller) -> QuerySet[MissingTravellerAlert]:
    """The organisation's own alerts; a monitoring mission's monitors see every organisation's."""
    if not caller.may(Permission.VIEW_CROSSING_ALERTS):
        return MissingTravellerAlert.objects.none()
    alerts = MissingTravellerAlert.objects.select_related(
        "convoy__route",
        "convoy__organisation",
        "traveller__person__household",
        "traveller__request",
    )
    if caller.organisation.kind == Organisation.Kind.MONITORING:
        return alerts
    return alerts.filter(convoy__organisation=caller.organisation)


def get_alert(caller: Caller, alert_id: int) -> MissingTravellerAlert:
    return alerts_visible_to(caller).get(pk=alert_id)


def sees_names(caller: Caller, alert: MissingTravellerAlert) -> bool:
    """Names, and what was typed about the traveller, go to those who ran the convoy and print
    its manifest (case roles); monitors get counts, times and status."""
    return alert.convoy.organisation_id == caller.organisation.pk and caller.may(
        Permission.PRINT_MANIFESTS
    )


@dataclass(frozen=True)
class AlertRow:
    """An alert as one caller may see it: no name, household or resolution text unless
    `sees_names` (the text was typed about a person: "stayed with his aunt at 12 Tumanyan
    Street, phone ..."). Monitors see whether and when it was closed."""

    id: int
    organisation: str
    convoy: str
    date: datetime.date
    route: str
    request: str
    missing_on_convoy: int
    raised_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolution: str | None
    name: str | None
    household: str | None
    may_resolve: bool


def alert_rows(caller: Caller, alerts) -> list[AlertRow]:
    alerts = list(alerts)
    open_by_convoy = dict(
        MissingTravellerAlert.objects.filter(
            convoy__in={a.convoy_id for a in alerts}, resolved_at__isnull=True
        )
        .values_list("convoy")
        .annotate(n=Count("pk"))
    )
    rows = []
    for alert in alerts:
        named = sees_names(caller, alert)
        rows.append(
            AlertRow(
                id=alert.pk,
                organisation=alert.convoy.organisation.name,
                convoy=alert.convoy.code,
                date=alert.convoy.date,
                route=alert.convoy.route.display_name(),
                request=alert.traveller.request.reference,
                missing_on_convoy=open_by_convoy.get(alert.convoy_id, 0),
                raised_at=alert.raised_at,
                resolved_at=alert.resolved_at,
                resolution=alert.resolution if named else None,
                name=_full_name(alert.traveller.person) if named else None,
                household=alert.traveller.person.household.reference if named else None,
                may_resolve=alert.resolved_at is None and may_resolve(caller, alert),
            )
        )
    return rows


def may_resolve(caller: Caller, alert: MissingTravellerAlert) -> bool:
    """Those who ran the convoy close its alerts; a monitoring mission watches them."""
    return caller.may(Permission.VIEW_CROSSING_ALERTS) and (
        alert.convoy.organisation_id == caller.organisation.pk
    )


# ---------------------------------------------------------------------------------------------
# Services


def _lock_traveller(caller: Caller, traveller: Traveller) -> Traveller:
    """The traveller's row, locked so that two officers scanning at once cannot both succeed."""
    locked = (
        Traveller.objects.select_for_update(of=("self",))
        .select_related("person__household", "request__convoy")
        .filter(request__organisation=caller.organisation)
        .get(pk=traveller.pk)
    )
    return locked


@transaction.atomic
def check_out(
    *, caller: Caller, traveller: Traveller, today: datetime.date | None = None
) -> Traveller:
    """Record a traveller leaving with today's convoy; the convoy is then on its way."""
    caller.require(Permission.CROSS_CHECKPOINT)
    traveller = _lock_traveller(caller, traveller)
    # The convoy's row too, and read afresh: "convoy is back" locks it while it lists who is
    # still out, so a check-out is either on that list or refused as too late, never between.
    if traveller.request.convoy_id is not None:
        traveller.request.convoy = Convoy.objects.select_for_update().get(
            pk=traveller.request.convoy_id
        )
    refusal = _check_out_refusal(traveller, today or timezone.localdate())
    if refusal:
        raise CrossingRefused(refusal)
    traveller.checked_out_at = timezone.now()
    traveller.save(update_fields=["checked_out_at"])
    convoy = traveller.request.convoy
    if convoy.status == Convoy.Status.PLANNED:
        Convoy.objects.filter(pk=convoy.pk, status=Convoy.Status.PLANNED).update(
            status=Convoy.Status.DEPARTED
        )
        convoy.status = Convoy.Status.DEPARTED
    if traveller.request.status != VisitRequest.Status.TRAVELLED:
        VisitRequest.objects.filter(pk=traveller.request_id).update(
            status=VisitRequest.Status.TRAVELLED
        )
        traveller.request.status = VisitRequest.Status.TRAVELLED
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.crossing.out",
        target=traveller,
        details={
            "request": traveller.request.reference,
            "person": traveller.person_id,
            "convoy": convoy.code,
        },
    )
    return traveller


@transaction.atomic
def check_in(*, caller: Caller, traveller: Traveller) -> Traveller:
    """Record a traveller back; if their convoy had returned without them, close the alert."""
    caller.require(Permission.CROSS_CHECKPOINT)
    traveller = _lock_traveller(caller, traveller)
    refusal = _check_in_refusal(traveller)
    if refusal:
        raise CrossingRefused(refusal)
    traveller.checked_in_at = timezone.now()
    traveller.save(update_fields=["checked_in_at"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.crossing.in",
        target=traveller,
        details={
            "request": traveller.request.reference,
            "person": traveller.person_id,
            "convoy": traveller.request.convoy.code if traveller.request.convoy else None,
        },
    )
    alert = (
        MissingTravellerAlert.objects.select_for_update()
        .filter(traveller=traveller, resolved_at__isnull=True)
        .select_related("convoy__route", "convoy__organisation")
        .first()
    )
    if alert is not None:
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Checked in late at the checkpoint on %(date)s at %(time)s.") % {
                "date": timezone.localdate(traveller.checked_in_at).isoformat(),
                "time": _time(traveller.checked_in_at),
            }
        _close_alert(caller=caller, alert=alert, resolution=note, automatic=True)
        _tell_staff(
            convoy=alert.convoy,
            body=lambda: (
                _(
                    "Homeward: a traveller of convoy %(convoy)s (request %(reference)s) "
                    "is back: checked in late at %(time)s."
                )
                % {
                    "convoy": alert.convoy.code,
                    "reference": traveller.request.reference,
                    "time": _time(traveller.checked_in_at),
                }
            ),
        )
    return traveller


def _present(visit: VisitRequest, can) -> list[Traveller]:
    return [t for t in visit.travellers.select_related("person", "request__convoy") if can(t)]


@transaction.atomic
def check_out_everyone(
    *, caller: Caller, visit: VisitRequest, today: datetime.date | None = None
) -> list[Traveller]:
    """Check out every traveller of the request who may leave now; the others stay as they are."""
    caller.require(Permission.CROSS_CHECKPOINT)
    if visit.organisation_id != caller.organisation.pk:
        raise VisitRequest.DoesNotExist
    today = today or timezone.localdate()
    ready = _present(visit, lambda t: not _check_out_refusal(t, today))
    if not ready:
        raise CrossingRefused(
            _("Nobody on request %(reference)s can check out now.") % {"reference": visit.reference}
        )
    return [check_out(caller=caller, traveller=t, today=today) for t in ready]


@transaction.atomic
def check_in_everyone(*, caller: Caller, visit: VisitRequest) -> list[Traveller]:
    caller.require(Permission.CROSS_CHECKPOINT)
    if visit.organisation_id != caller.organisation.pk:
        raise VisitRequest.DoesNotExist
    away = _present(visit, lambda t: not _check_in_refusal(t))
    if not away:
        raise CrossingRefused(
            _("Nobody on request %(reference)s is out to check in.")
            % {"reference": visit.reference}
        )
    return [check_in(caller=caller, traveller=t) for t in away]


def alert_recipients(organisation: Organisation) -> list:
    """Who is told at once: the organisation's planners and monitors, and every monitoring
    mission's monitors."""
    users = get_user_model().objects.filter(is_active=True, membership__isnull=False)
    return list(
        users.filter(
            Q(membership__organisation=organisation, membership__role=Role.PLANNER)
            | Q(
                membership__role=Role.MONITOR,
                membership__organisation__kind=Organisation.Kind.MONITORING,
            )
            | Q(membership__organisation=organisation, membership__role=Role.MONITOR)
        )
        .distinct()
        .order_by("pk")
    )


def _tell_staff(*, convoy: Convoy, body) -> list[Message]:
    # Messages leave the building (SMS, e-mail): they carry references and counts, never names.
    # Written to the outbox inside the transaction, which holds the convoy's row and the
    # audit chain's lock: they leave once it commits, so a slow gateway holds neither.
    with translation.override(settings.LANGUAGE_CODE):
        text = body()
    return [
        queue_message(
            organisation=convoy.organisation,
            user=user,
            text=text,
            language=settings.LANGUAGE_CODE,
            topic=ALERT_TOPIC,
            about=convoy,
        )
        for user in alert_recipients(convoy.organisation)
    ]


def staff_not_reached(caller: Caller, *, limit: int = 50) -> list[outbox.NotReached]:
    """Alert messages to the caller's organisation's staff that were not delivered: those who
    close alerts see who never heard of one."""
    if not caller.may(Permission.PRINT_MANIFESTS):
        return []
    messages = outbox.messages_of(
        caller, permission=Permission.VIEW_CROSSING_ALERTS, topic=ALERT_TOPIC
    )
    return outbox.not_reached(messages, limit=limit)


@transaction.atomic
def mark_convoy_returned(*, caller: Caller, convoy: Convoy) -> list[MissingTravellerAlert]:
    """The convoy is back: everyone who left with it and has not checked in raises an alert."""
    caller.require(Permission.CROSS_CHECKPOINT)
    convoy = (
        Convoy.objects.select_for_update(of=("self",))
        .select_related("route", "organisation")
        .filter(organisation=caller.organisation)
        .get(pk=convoy.pk)
    )
    if convoy.status == Convoy.Status.RETURNED:
        raise CrossingRefused(
            _("Convoy %(convoy)s was already marked returned at %(time)s.")
            % {"convoy": convoy.code, "time": _time(convoy.returned_at)}
            if convoy.returned_at
            else _("Convoy %(convoy)s was already marked returned.") % {"convoy": convoy.code}
        )
    if convoy.status == Convoy.Status.PLANNED:
        raise CrossingRefused(
            _("Nobody has checked out with convoy %(convoy)s: it has not left.")
            % {"convoy": convoy.code}
        )
    convoy.status = Convoy.Status.RETURNED
    convoy.returned_at = timezone.now()
    convoy.save(update_fields=["status", "returned_at"])
    missing = list(
        Traveller.objects.select_for_update(of=("self",))
        .filter(request__convoy=convoy, checked_out_at__isnull=False, checked_in_at__isnull=True)
        .select_related("request")
        .order_by("pk")
    )
    alerts = [
        MissingTravellerAlert.objects.get_or_create(traveller=t, defaults={"convoy": convoy})[0]
        for t in missing
    ]
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.convoy.returned",
        target=convoy,
        details={
            "convoy": convoy.code,
            "missing": [t.pk for t in missing],
            "requests": sorted({t.request.reference for t in missing}),
        },
    )
    for alert in alerts:
        record_event(
            actor=caller.user,
            organisation=caller.organisation,
            action="visits.alert.raise",
            target=alert,
            details={"convoy": convoy.code, "request": alert.traveller.request.reference},
        )
    if missing:
        references = sorted({t.request.reference for t in missing})
        _tell_staff(
            convoy=convoy,
            body=lambda: (
                ngettext(
                    "Homeward ALERT: convoy %(convoy)s (%(route)s) returned at %(time)s with "
                    "%(count)d traveller not back: request %(references)s. See the alerts page.",
                    "Homeward ALERT: convoy %(convoy)s (%(route)s) returned at %(time)s with "
                    "%(count)d travellers not back: requests %(references)s. See the alerts page.",
                    len(missing),
                )
                % {
                    "convoy": convoy.code,
                    "route": convoy.route.display_name(),
                    "time": _time(convoy.returned_at),
                    "count": len(missing),
                    "references": ", ".join(references),
                }
            ),
        )
    return alerts


def _close_alert(
    *, caller: Caller, alert: MissingTravellerAlert, resolution: str, automatic: bool
) -> MissingTravellerAlert:
    alert.resolved_at = timezone.now()
    alert.resolution = resolution
    alert.resolved_by = caller.user if getattr(caller.user, "pk", None) else None
    alert.save(update_fields=["resolved_at", "resolution", "resolved_by"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.alert.resolve",
        target=alert,
        details={"convoy": alert.convoy.code, "automatic": automatic},
        # What happened to the traveller stays on the alert, where erasure reaches it.
    )
    return alert


@transaction.atomic
def resolve_alert(
    *, caller: Caller, alert: MissingTravellerAlert, resolution: str
) -> MissingTravellerAlert:
    """Close an alert with what happened to the traveller; nobody closes one without saying."""
    caller.require(Permission.VIEW_CROSSING_ALERTS)
    alert = (
        alerts_visible_to(caller)
        .select_for_update(of=("self",))
        .select_related("convoy__organisation")
        .get(pk=alert.pk)
    )
    if not may_resolve(caller, alert):
        raise PermissionDenied("only the organisation that ran the convoy closes its alerts")
    resolution = (resolution or "").strip()
    if not resolution:
        raise FieldProblem("resolution", _("say what happened to the traveller"))
    if alert.resolved_at is not None:
        closed_on = timezone.localdate(alert.resolved_at).isoformat()
        if not sees_names(caller, alert):  # the organisation's own monitor: no typed text
            raise FieldProblem("alert", _("was already closed on %(date)s") % {"date": closed_on})
        raise FieldProblem(
            "alert",
            _("was already closed on %(date)s: %(resolution)s")
            % {"date": closed_on, "resolution": alert.resolution},
        )
    return _close_alert(caller=caller, alert=alert, resolution=resolution[:300], automatic=False)
