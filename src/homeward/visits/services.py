"""Every write about visits. Each runs in one transaction with its audit row."""

import datetime
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.models import Consent
from homeward.access.models import Purpose as SharingPurpose
from homeward.access.roles import Permission
from homeward.access.sharing import record_consent
from homeward.audit.services import record_event
from homeward.engines.planning import visit_priority
from homeward.people.models import Household, Person
from homeward.people.services import REFERENCE_ALPHABET
from homeward.people.validation import FieldProblem
from homeward.places.models import Route, Settlement
from homeward.visits.models import Capacity, Convoy, Purpose, Traveller, VisitRequest

MAX_CARGO_M3 = Decimal("50")
# Visits and capacity are planned for the coming months: a date years away is a typing error
# (and 9999-12-31 has no next day for the planner to step to).
PLANNING_YEARS = 3


def _check_planning_date(field: str, value: datetime.date) -> None:
    today = timezone.localdate()
    bound = datetime.timedelta(days=365 * PLANNING_YEARS)
    if not today - bound <= value <= today + bound:
        raise FieldProblem(
            field,
            _("%(date)s is more than %(years)s years from today")
            % {"date": value.isoformat(), "years": PLANNING_YEARS},
        )


def new_visit_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"VR-{body[:4]}-{body[4:]}"


def _age_on(person: Person, day: datetime.date) -> int | None:
    if person.birth_year is None:
        return None
    return (
        day.year
        - person.birth_year
        - (1 if (person.birth_month or 1, person.birth_day or 1) > (day.month, day.day) else 0)
    )


def computed_priority(
    purposes: Iterable[str], travellers: Iterable[Person], day: datetime.date
) -> int:
    travellers = list(travellers)
    return visit_priority(
        purposes=purposes,
        traveller_ages=[_age_on(person, day) for person in travellers],
        traveller_vulnerabilities=[person.vulnerabilities or [] for person in travellers],
    )


def _clean_cargo(value) -> Decimal:
    try:
        cargo = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise FieldProblem("cargo_m3", "is not a number") from None
    if cargo < 0:
        raise FieldProblem("cargo_m3", "cannot be negative")
    if cargo > MAX_CARGO_M3:
        raise FieldProblem(
            "cargo_m3", f"is more than {MAX_CARGO_M3} m³: more than a convoy carries"
        )
    return cargo.quantize(Decimal("0.01"))


@transaction.atomic
def request_visit(
    *,
    caller: Caller,
    household: Household,
    travellers: Sequence[Person],
    purposes: Sequence[str],
    earliest: datetime.date,
    latest: datetime.date | None = None,
    destination: Settlement | None = None,
    cargo_m3=0,
    language: str = VisitRequest.Language.ARMENIAN,
    clearance_consent_method: str = "",
) -> VisitRequest:
    """Record a household's request to visit home.

    With a consent method, every traveller has agreed that the authorities of the area of
    return see their name, birth year, destination and convoy for clearance: that consent is
    recorded for each of them (it can be withdrawn later like any other). Without it the
    request is kept, but nobody on it can be cleared until they consent.
    """
    caller.require(Permission.REQUEST_VISITS)
    if household.organisation_id != caller.organisation.pk:
        raise Household.DoesNotExist
    if not travellers:
        raise FieldProblem("travellers", "choose at least one member of the household")
    if any(person.household_id != household.pk for person in travellers):
        raise FieldProblem("travellers", "a traveller is not a member of this household")
    if len({person.pk for person in travellers}) != len(travellers):
        raise FieldProblem("travellers", "a traveller is listed twice")
    unknown = sorted(set(purposes) - set(Purpose.values))
    if not purposes or unknown:
        raise FieldProblem(
            "purposes",
            f"choose among {', '.join(Purpose.values)}"
            + (f" (not {', '.join(unknown)})" if unknown else ""),
        )
    _check_planning_date("earliest", earliest)
    if latest is not None:
        _check_planning_date("latest", latest)
    if latest is not None and latest < earliest:
        raise FieldProblem("latest", "is before the earliest date")
    if latest is not None and latest < timezone.localdate():
        raise FieldProblem("latest", "is in the past")
    destination = destination or household.origin_settlement
    if destination is None:
        raise FieldProblem(
            "destination", "is required: the household's origin is not a known settlement"
        )
    if language not in VisitRequest.Language.values:
        raise FieldProblem("language", f"choose among {', '.join(VisitRequest.Language.values)}")
    if clearance_consent_method and clearance_consent_method not in Consent.Method.values:
        raise FieldProblem(
            "clearance_consent_method", f"choose among {', '.join(Consent.Method.values)}"
        )
    visit = VisitRequest.objects.create(
        reference=new_visit_reference(),
        organisation=caller.organisation,
        household=household,
        destination=destination,
        purposes=sorted(set(purposes)),
        cargo_m3=_clean_cargo(cargo_m3),
        earliest=earliest,
        latest=latest,
        computed_priority=computed_priority(purposes, travellers, earliest),
        language=language,
        created_by=caller.user if getattr(caller.user, "pk", None) else None,
    )
    Traveller.objects.bulk_create(
        [Traveller(request=visit, person=person) for person in travellers]
    )
    if clearance_consent_method:
        for person in travellers:
            record_consent(
                caller=caller,
                person=person,
                purpose=SharingPurpose.VISIT_CLEARANCE,
                given=True,
                method=clearance_consent_method,
            )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.request",
        target=visit,
        details={
            "household": household.reference,
            "travellers": [person.pk for person in travellers],
            "destination": destination.slug,
            "purposes": visit.purposes,
            "priority": visit.computed_priority,
        },
    )
    return visit


@transaction.atomic
def override_priority(
    *, caller: Caller, visit: VisitRequest, priority: int | None, reason: str
) -> VisitRequest:
    """Set a priority other than the computed one (None goes back to it), with the reason."""
    caller.require(Permission.PLAN_VISITS)
    if visit.organisation_id != caller.organisation.pk:
        raise VisitRequest.DoesNotExist
    if priority is not None and priority not in (1, 2, 3):
        raise FieldProblem("priority", "must be 1, 2 or 3")
    reason = reason.strip()
    if priority is not None and not reason:
        raise FieldProblem("reason", "say why the computed priority does not fit")
    before = visit.priority
    visit.priority_override = priority
    visit.override_reason = reason if priority is not None else ""
    visit.save(update_fields=["priority_override", "override_reason"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.priority.override",
        target=visit,
        details={"from": before, "to": visit.priority, "computed": visit.computed_priority},
        reason=reason,
    )
    return visit


@transaction.atomic
def cancel_request(*, caller: Caller, visit: VisitRequest, reason: str) -> VisitRequest:
    if not (caller.may(Permission.REQUEST_VISITS) or caller.may(Permission.PLAN_VISITS)):
        caller.require(Permission.REQUEST_VISITS)
    if visit.organisation_id != caller.organisation.pk:
        raise VisitRequest.DoesNotExist
    if visit.travellers.filter(checked_out_at__isnull=False).exists():
        raise FieldProblem("status", "someone on this request has crossed: it cannot be cancelled")
    visit.status = VisitRequest.Status.CANCELLED
    visit.convoy = None
    visit.save(update_fields=["status", "convoy"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.request.cancel",
        target=visit,
        reason=reason,
    )
    return visit


@transaction.atomic
def save_capacity(
    *,
    caller: Caller,
    start: datetime.date,
    days: int,
    weekdays: Sequence[int],
    checkpoint_people_per_day: int,
    convoys_per_day: int,
    seats_per_convoy: int,
    cargo_m3_per_convoy,
    meeting_point: str,
    departure_time: datetime.time,
    routes: Sequence[Route],
) -> Capacity:
    caller.require(Permission.PLAN_VISITS)
    _check_planning_date("start", start)
    if not 1 <= days <= 366:
        raise FieldProblem("days", "must be between 1 and 366")
    if not weekdays or any(day not in range(1, 8) for day in weekdays):
        raise FieldProblem("weekdays", "choose at least one day, 1 (Monday) to 7 (Sunday)")
    for field, value in (
        ("checkpoint_people_per_day", checkpoint_people_per_day),
        ("convoys_per_day", convoys_per_day),
        ("seats_per_convoy", seats_per_convoy),
    ):
        if value < 1:
            raise FieldProblem(field, "must be at least 1")
    try:
        cargo = Decimal(str(cargo_m3_per_convoy)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise FieldProblem("cargo_m3_per_convoy", "is not a number") from None
    if cargo <= 0:
        raise FieldProblem("cargo_m3_per_convoy", "must be more than 0")
    if not routes:
        raise FieldProblem("routes", "choose at least one route")
    empty = [route.slug for route in routes if not route.stops.exists()]
    if empty:
        raise FieldProblem("routes", f"route {', '.join(empty)} serves no settlement")
    capacity, _created = Capacity.objects.update_or_create(
        organisation=caller.organisation,
        defaults={
            "start": start,
            "days": days,
            "weekdays": sorted(set(weekdays)),
            "checkpoint_people_per_day": checkpoint_people_per_day,
            "convoys_per_day": convoys_per_day,
            "seats_per_convoy": seats_per_convoy,
            "cargo_m3_per_convoy": cargo,
            "meeting_point": meeting_point.strip(),
            "departure_time": departure_time,
        },
    )
    capacity.routes.set(routes)
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.capacity.save",
        target=capacity,
        details={
            "start": start.isoformat(),
            "days": days,
            "weekdays": capacity.weekdays,
            "checkpoint_people_per_day": checkpoint_people_per_day,
            "convoys_per_day": convoys_per_day,
            "seats_per_convoy": seats_per_convoy,
            "cargo_m3_per_convoy": str(cargo),
            "routes": sorted(route.slug for route in routes),
        },
    )
    return capacity


def travelling_people(**request_filter) -> int:
    """Travellers who can still go on the requests matched: anyone refused stays behind.

    One count, however many requests: it runs while the day's convoys are locked.
    """
    return (
        Traveller.objects.filter(**{f"request__{k}": v for k, v in request_filter.items()})
        .exclude(clearance=Traveller.Clearance.REFUSED)
        .count()
    )


class SeatRefused(Exception):
    """A seat cannot be given: the convoy, the day or the window does not allow it."""


@transaction.atomic
def confirm_seat(*, caller: Caller, visit: VisitRequest, convoy: Convoy) -> VisitRequest:
    """Put a request on a convoy by hand, never beyond its seats, cargo or the day's crossing.

    Every convoy of that day is locked first, in one order, so that concurrent confirmations
    queue instead of each seeing the same free seat.
    """
    caller.require(Permission.PLAN_VISITS)
    if (
        visit.organisation_id != caller.organisation.pk
        or convoy.organisation_id != caller.organisation.pk
    ):
        raise VisitRequest.DoesNotExist
    capacity = Capacity.objects.get(organisation=caller.organisation)
    day_convoys = list(
        Convoy.objects.select_for_update()
        .filter(organisation=caller.organisation, date=convoy.date)
        .order_by("pk")
    )
    convoy = next(c for c in day_convoys if c.pk == convoy.pk)
    visit = VisitRequest.objects.select_for_update().get(pk=visit.pk)
    if convoy.status != Convoy.Status.PLANNED:
        raise SeatRefused("the convoy has already left")
    if visit.status in (VisitRequest.Status.CANCELLED, VisitRequest.Status.TRAVELLED):
        raise SeatRefused("the request is closed")
    if not convoy.route.stops.filter(settlement=visit.destination).exists():
        raise SeatRefused("the convoy's route does not serve the destination")
    if convoy.date < visit.earliest or (visit.latest and convoy.date > visit.latest):
        raise SeatRefused("the convoy's date is outside the request's window")
    people = travelling_people(pk=visit.pk)
    others = VisitRequest.objects.filter(convoy=convoy).exclude(pk=visit.pk)
    seated = travelling_people(pk__in=others.values("pk"))
    if seated + people > capacity.seats_per_convoy:
        raise SeatRefused("the convoy is full")
    cargo = others.aggregate(total=Sum("cargo_m3"))["total"] or Decimal(0)
    if cargo + visit.cargo_m3 > capacity.cargo_m3_per_convoy:
        raise SeatRefused("the convoy has no room for the cargo")
    crossing = travelling_people(
        pk__in=VisitRequest.objects.filter(convoy__in=day_convoys).exclude(pk=visit.pk).values("pk")
    )
    if crossing + people > capacity.checkpoint_people_per_day:
        raise SeatRefused("the checkpoint cannot process more people that day")
    previous = visit.convoy
    visit.convoy = convoy
    visit.status = VisitRequest.Status.PLANNED
    visit.save(update_fields=["convoy", "status"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="visits.seat.confirm",
        target=visit,
        details={"convoy": convoy.code, "previous": previous.code if previous else None},
    )
    return visit
