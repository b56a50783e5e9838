"""Telling households their visit: date, convoy, meeting point, departure time, reference.

A request is told once per convoy: `notified_convoy` records the convoy the household last
heard of, so a run sends only to those never told and to those a replanning moved. A failed
message (no phone, gateway down) leaves the request untold, so the next run tries again and
the planner's page lists who could not be reached.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language_override

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.jobs.registry import JobKind, Report, register
from homeward.jobs.services import caller_of_job
from homeward.people.validation import FieldProblem
from homeward.visits.messaging import send_message
from homeward.visits.models import Capacity, Convoy, OutboundMessage, Traveller, VisitRequest


@dataclass(frozen=True)
class NotificationRun:
    sent: int
    failed: int
    moved: int  # of those sent or tried, requests told of a new convoy after a replanning


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
        .exclude(notified_convoy=F("convoy"))
        .select_related("convoy", "household")
        .order_by("convoy__date", "convoy__number", "reference")
    )


def unreached(caller: Caller) -> QuerySet[OutboundMessage]:
    """The last failed message of each request still untold, for the planner to follow up."""
    if not caller.may(Permission.PLAN_VISITS):
        return OutboundMessage.objects.none()
    return OutboundMessage.objects.filter(
        organisation=caller.organisation,
        status=OutboundMessage.Status.FAILED,
        request__in=requests_to_notify(caller).values("pk"),
    ).select_related("request__convoy")


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
    """Send each household not yet told of its current convoy its date and meeting point.

    One transaction per request: a message sent is recorded with the request it told, and
    a crash halfway leaves the rest for the next run instead of undoing what was sent.
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
            is_move = previous is not None
            message = send_message(
                organisation=caller.organisation,
                recipient=visit.household.phone,
                body=visit_message(visit, capacity, moved=is_move),
                language=visit.language,
                request=visit,
            )
            if message.status == OutboundMessage.Status.SENT:
                visit.notified_convoy = visit.convoy
                visit.save(update_fields=["notified_convoy"])
                sent += 1
            else:
                failed += 1
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
                    "error": message.error,
                },
            )
    return NotificationRun(sent=sent, failed=failed, moved=moved)


def run_notifications(job, report: Report) -> dict:
    """The job: one message per household, each possibly a call to an SMS gateway."""
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
