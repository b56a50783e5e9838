"""Reads about visits, scoped to the caller's organisation."""

from django.db.models import Count, Q, QuerySet

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.jobs.models import Job
from homeward.visits.models import Capacity, Convoy, Traveller, VisitRequest


def requests_visible_to(caller: Caller) -> QuerySet[VisitRequest]:
    if not caller.may(Permission.VIEW_VISITS):
        return VisitRequest.objects.none()
    return VisitRequest.objects.filter(organisation=caller.organisation).select_related(
        "household", "destination", "convoy__route"
    )


def get_request(caller: Caller, reference: str) -> VisitRequest:
    return requests_visible_to(caller).get(reference=reference.strip().upper())


def capacity_of(caller: Caller) -> Capacity | None:
    return Capacity.objects.filter(organisation=caller.organisation).first()


def capacity_values(capacity: Capacity) -> dict:
    """The capacity as the page's form and the API show it (routes as Route objects)."""
    return {
        "start": capacity.start,
        "days": capacity.days,
        "weekdays": capacity.weekdays,
        "checkpoint_people_per_day": capacity.checkpoint_people_per_day,
        "convoys_per_day": capacity.convoys_per_day,
        "seats_per_convoy": capacity.seats_per_convoy,
        "cargo_m3_per_convoy": capacity.cargo_m3_per_convoy,
        "meeting_point": capacity.meeting_point,
        "departure_time": capacity.departure_time,
        "routes": list(capacity.routes.order_by("slug")),
    }


def convoys_of(caller: Caller) -> QuerySet[Convoy]:
    """The organisation's convoys with the people and cargo they carry."""
    travelling = ~Q(requests__travellers__clearance=Traveller.Clearance.REFUSED)
    return (
        Convoy.objects.filter(organisation=caller.organisation)
        .select_related("route")
        .annotate(
            people=Count("requests__travellers", filter=travelling, distinct=True),
            households=Count("requests", distinct=True),
        )
    )


def planning_runs(caller: Caller) -> QuerySet[Job]:
    return Job.objects.filter(organisation=caller.organisation, kind="visits.plan")


def get_planning_run(caller: Caller, job_id: int) -> Job:
    return planning_runs(caller).get(pk=job_id)
