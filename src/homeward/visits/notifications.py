"""Telling households their visit: date, convoy, meeting point, departure time, reference.

A request is told once per convoy: `notified_convoy` records the convoy the household was
last sent a message about, so a run writes only to those never told and to those a
replanning moved. Messages go through the outbox (homeward.messaging) and leave after the
run's transaction commits; one that ends "not delivered" (no phone, gateway down through
every retry) puts its request back among those to notify, so the next run tries again, and
the planner's page lists the household with the reason.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language_override

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.jobs.registry import JobKind, Report, register
from homeward.jobs.services import caller_of_job
from homeward.messaging import selectors as outbox
from homeward.messaging.models import Message
from homeward.messaging.services import queue_message
from homeward.people.validation import FieldProblem
from homeward.visits.clearance import TOPIC as CLEARANCE_TOPIC
from homeward.visits.models import Capacity, Convoy, Traveller, VisitRequest

TOPIC = "visits.notify"


@dataclass(frozen=True)
class NotificationRun:
    sent: int  # messages written to the outbox, to leave once the run's transaction commits
    failed: int  # households with nowhere to send to (no phone): "not delivered" at once
    moved: int  # of those sent or tried, requests told of a new convoy after a replanning


def _last_notice(field: str) -> Subquery:
    """The latest notice of a request (visits.notify message about it): its `field`."""
    notices = Message.objects.filter(
        topic=TOPIC,
        about_type=outbox.about_type(VisitRequest),
        about_id=OuterRef("pk"),
    ).order_by("-pk")
    return Subquery(notices.values(field)[:1])


def requests_to_notify(caller: Caller) -> QuerySet[VisitRequest]:
    """Planned requests of the caller's organisation whose household has not heard of its
    current convoy, leaving out those with nobody left to travel."""
    if not caller.may(Permission.PLAN_VISITS):
        return VisitRequest.objects.none()
    travelling = Traveller.objects.filter(request=OuterRef("pk")).exclude(
        clearance=Traveller.Clearance.REFUSED
    )
    return (
        VisitRequest.objects.filter(
            organisation=caller.organisation,
            status=VisitRequest.Status.PLANNED,
            convoy__status=Convoy.Status.PLANNED,
        )
        .filter(Exists(travelling))
        .annotate(last_notice_status=_last_notice("status"))
        .filter(
            Q(notified_convoy__isnull=True)
            | ~Q(notified_convoy=F("convoy"))
            | Q(last_notice_status=Message.Status.NOT_DELIVERED)
        )
        .select_related("convoy", "household")
        .order_by("convoy__date", "convoy__number", "reference")
    )


@dataclass(frozen=True)
class Unreached:
    """A household not reached about its visit, for the planner to follow up."""

    name: str
    household: str
    request: str
    convoy: Convoy
    reason: str
    attempts: int
    at: datetime.datetime  # when the last attempt was made


def unreached(caller: Caller, *, limit: int = 200) -> list[Unreached]:
    """Households still untold whose last message was not delivered, with the reason."""
    last_notices = requests_to_notify(caller).filter(
        last_notice_status=Message.Status.NOT_DELIVERED
    )
    messages = outbox.messages_of(caller, permission=Permission.PLAN_VISITS, topic=TOPIC).filter(
        pk__in=last_notices.annotate(last_notice=_last_notice("pk")).values("last_notice")
    )
    rows = outbox.not_reached(messages, limit=limit)
    requests = VisitRequest.objects.select_related("convoy").in_bulk([row.about_id for row in rows])
    return [
        Unreached(
            name=row.name,
            household=row.reference,
            request=requests[row.about_id].reference,
            convoy=requests[row.about_id].convoy,
            reason=row.reason,
            attempts=row.attempts,
            at=row.at,
        )
        for row in rows
    ]


def on_the_way(caller: Caller) -> int:
    """Messages about visits written to the outbox and not yet delivered nor given up."""
    return outbox.waiting(
        outbox.messages_of(caller, permission=Permission.PLAN_VISITS, topic=TOPIC)
    )


def clearance_not_told(caller: Caller) -> list[outbox.NotReached]:
    """Households of the caller's organisation not reached with a clearance decision, for
    their caseworkers (the list of refusals)."""
    messages = outbox.messages_of(
        caller, permission=Permission.REQUEST_VISITS, topic=CLEARANCE_TOPIC
    )
    return outbox.not_reached(messages, limit=100)


def visit_message(visit: VisitRequest, capacity: Capacity, *, moved: bool) -> str:
    convoy = visit.convoy
    with language_override(visit.language):
        values = {
            "date": formats.date_format(convoy.date, "l, j E Y"),
            "convoy": convoy.number,
            "meeting_point": capacity.meeting_point,
            "time": formats.time_format(capacity.departure_time, "H:i"),
            "reference": visit.reference,
        }
        if moved:
            return (
                _(
                    "Homeward: your visit home has moved. New date: %(date)s, convoy "
                    "%(convoy)s. Meeting point: %(meeting_point)s, departure at %(time)s. "
                    "Request %(reference)s."
                )
                % values
            )
        return (
            _(
                "Homeward: your visit home is on %(date)s, convoy %(convoy)s. Meeting point: "
                "%(meeting_point)s, departure at %(time)s. Request %(reference)s."
            )
            % values
        )


def notify_households(
    caller: Caller, *, limit: int | None = None, report: Report | None = None
) -> NotificationRun:
    """Write to each household not yet told of its current convoy its date and meeting point.

    One transaction per request: the message is written with the request it tells, and
    leaves when that transaction commits; a crash halfway leaves the rest for the next run
    instead of undoing what was already on its way.
    """
    caller.require(Permission.PLAN_VISITS)
    capacity = Capacity.objects.filter(organisation=caller.organisation).first()
    pending = list(requests_to_notify(caller).values_list("pk", flat=True)[:limit])
    if pending and capacity is None:
        raise FieldProblem(
            "capacity", "set the visits capacity first: it holds the meeting point and time"
        )
    sent = failed = moved = 0
    for done, pk in enumerate(pending):
        if report is not None:
            report(_("Sending the messages"), done / len(pending))
        with transaction.atomic():
            visit = requests_to_notify(caller).select_for_update(of=("self",)).filter(pk=pk).first()
            if visit is None:  # planned again or told by a concurrent run meanwhile
                continue
            previous = visit.notified_convoy_id
            # Written again to the same convoy after a message not delivered is no move.
            is_move = previous is not None and previous != visit.convoy_id
            message = queue_message(
                organisation=caller.organisation,
                household=visit.household,
                text=visit_message(visit, capacity, moved=is_move),
                language=visit.language,
                topic=TOPIC,
                about=visit,
            )
            if message.status == Message.Status.NOT_DELIVERED:  # nowhere to send it
                failed += 1
            else:
                # Told, as far as planning goes (a replanning keeps the household in place):
                # the next run writes again only if this message ends "not delivered"
                # (requests_to_notify looks at the last one).
                visit.notified_convoy = visit.convoy
                visit.save(update_fields=["notified_convoy"])
                sent += 1
            moved += is_move
            # No message body in the log: it names the household's date and meeting point,
            # and the log cannot be erased. The message row keeps it.
            record_event(
                actor=caller.user,
                organisation=caller.organisation,
                action="visits.notify",
                target=visit,
                details={
                    "convoy": visit.convoy.code,
                    "previous_convoy": previous,
                    "message": message.pk,
                    "status": message.status,
                },
            )
    return NotificationRun(sent=sent, failed=failed, moved=moved)


def run_notifications(job, report: Report) -> dict:
    """The job: one message per household, written to the outbox (delivered by other tasks)."""
    run = notify_households(caller_of_job(job), report=report)
    return {"sent": run.sent, "failed": run.failed, "moved": run.moved}


register(
    JobKind(
        name="visits.notify",
        label=gettext_lazy("Notifying households"),
        permission=Permission.PLAN_VISITS,
        run=run_notifications,
    )
)
