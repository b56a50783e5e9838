"""The organisation's requests and capacity as a planning instance, and a plan adopted back.

The engine (engines/planning) knows nothing of the database: this module hands it what can
still be planned — convoys from tomorrow on; today's and earlier ones have gone or are going
— and writes the plan it returns into convoys, in one transaction with its audit row.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.engines import planning as engine
from homeward.jobs.registry import JobFailed, JobKind, Report, WhileRunning, register
from homeward.places.models import Route
from homeward.visits.models import Capacity, Convoy, Traveller, VisitRequest

# The engine's stage names, as the job page shows them (translated there: the worker stores
# them as the engine says them).
ENGINE_STAGES = (
    gettext_noop("Lower bound (HiGHS)"),
    gettext_noop("First plan"),
    gettext_noop("Improving"),
    gettext_noop("Checking"),
)
# Seconds the planner may take in the app; the command line lets an operator give it longer.
PLANNING_SECONDS = 30.0


@dataclass
class AppInstance:
    instance: engine.PlanningInstance
    replanning: engine.Replanning | None
    # Requests left out of this plan, by reason (window passed, no route to the destination…).
    left_out: dict[str, list[str]] = field(default_factory=dict)
    first_day: datetime.date | None = None


def planning_horizon(capacity: Capacity, today: datetime.date) -> tuple[datetime.date, int]:
    """The part of the horizon still open to planning: from tomorrow at the earliest."""
    first = max(capacity.start, today + datetime.timedelta(days=1))
    last = capacity.start + datetime.timedelta(days=capacity.days - 1)
    return first, (last - first).days + 1


def build_instance(organisation, *, today: datetime.date | None = None) -> AppInstance:
    today = today or timezone.localdate()
    try:
        capacity = Capacity.objects.get(organisation=organisation)
    except Capacity.DoesNotExist:
        raise JobFailed("Set the capacity first: the horizon, days, convoys and routes.") from None
    first, days = planning_horizon(capacity, today)
    if days < 1:
        raise JobFailed("The capacity's horizon has ended: set a new one.")
    routes = {
        route.slug: tuple(stop.settlement.slug for stop in route.stops.select_related("settlement"))
        for route in capacity.routes.all()
    }
    engine_capacity = engine.Capacity(
        start=first,
        days=days,
        weekdays=frozenset(capacity.weekdays),
        checkpoint_people_per_day=capacity.checkpoint_people_per_day,
        convoys_per_day=capacity.convoys_per_day,
        seats_per_convoy=capacity.seats_per_convoy,
        cargo_m3_per_convoy=float(capacity.cargo_m3_per_convoy),
        routes=routes,
    )
    served_places = {slug for stops in routes.values() for slug in stops}
    left_out: dict[str, list[str]] = {}
    requests: list[engine.VisitRequest] = []
    placements: dict[str, engine.Placement] = {}
    convoy_routes: dict[engine.Placement, str] = {}
    pinned: set[str] = set()
    open_requests = (
        VisitRequest.objects.filter(
            organisation=organisation,
            status__in=[VisitRequest.Status.WAITING, VisitRequest.Status.PLANNED],
        )
        .exclude(convoy__date__lt=first)
        .select_related("household", "destination", "convoy__route", "notified_convoy")
        .order_by("pk")
    )
    travelling = {
        row["request"]: row["count"]
        for row in Traveller.objects.filter(request__in=open_requests)
        .exclude(clearance=Traveller.Clearance.REFUSED)
        .values("request")
        .annotate(count=Count("id"))
    }
    cleared = set(
        Traveller.objects.filter(
            request__in=open_requests, clearance=Traveller.Clearance.CLEARED
        ).values_list("request", flat=True)
    )
    for visit in open_requests:
        people = travelling.get(visit.pk, 0)
        latest = min(visit.latest or engine_capacity.end, engine_capacity.end)
        earliest = max(visit.earliest, first)
        if people == 0:
            left_out.setdefault("everyone refused", []).append(visit.reference)
            continue
        if latest < first:
            left_out.setdefault("window passed", []).append(visit.reference)
            continue
        if earliest > engine_capacity.end:
            left_out.setdefault("after the horizon", []).append(visit.reference)
            continue
        if visit.destination.slug not in served_places:
            left_out.setdefault("no route serves the destination", []).append(visit.reference)
            continue
        requests.append(
            engine.VisitRequest(
                request_id=visit.reference,
                household_id=visit.household.reference,
                people=people,
                destination=visit.destination.slug,
                cargo_m3=float(visit.cargo_m3),
                earliest=earliest,
                latest=latest,
                priority=visit.priority,
            )
        )
        if visit.convoy is not None:
            placement = engine.Placement(visit.convoy.date, visit.convoy.number)
            placements[visit.reference] = placement
            convoy_routes[placement] = visit.convoy.route.slug
            # Cleared or told their date: keep them where they are while it stays feasible.
            if visit.pk in cleared or visit.notified_convoy_id == visit.convoy_id:
                pinned.add(visit.reference)
    replanning = (
        engine.Replanning(
            previous=engine.Plan(placements=placements, convoy_routes=convoy_routes),
            pinned=frozenset(pinned),
        )
        if placements
        else None
    )
    return AppInstance(
        instance=engine.PlanningInstance(capacity=engine_capacity, requests=tuple(requests)),
        replanning=replanning,
        left_out=left_out,
        first_day=first,
    )


@transaction.atomic
def adopt_plan(
    *,
    organisation,
    app_instance: AppInstance,
    outcome: engine.PlanOutcome,
    caller: Caller | None = None,
) -> dict:
    """Write the plan into convoys: requests on their convoy, the others back to waiting."""
    plan = outcome.plan
    first = app_instance.first_day
    planned = {request.request_id for request in app_instance.instance.requests}
    routes = {route.slug: route.pk for route in Route.objects.all()}
    existing = {
        (convoy.date, convoy.number): convoy
        for convoy in Convoy.objects.select_for_update().filter(
            organisation=organisation, date__gte=first
        )
    }
    new_convoys, rerouted = [], []
    for placement, route_slug in plan.convoy_routes.items():
        convoy = existing.get((placement.date, placement.convoy))
        if convoy is None:
            new_convoys.append(
                Convoy(
                    organisation=organisation,
                    date=placement.date,
                    number=placement.convoy,
                    route_id=routes[route_slug],
                )
            )
        elif convoy.route_id != routes[route_slug]:
            convoy.route_id = routes[route_slug]
            rerouted.append(convoy)
    Convoy.objects.bulk_create(new_convoys, batch_size=500)
    Convoy.objects.bulk_update(rerouted, ["route"], batch_size=500)
    convoy_ids = dict(
        ((date, number), pk)
        for pk, date, number in Convoy.objects.filter(
            organisation=organisation, date__gte=first
        ).values_list("pk", "date", "number")
    )
    # One UPDATE per convoy rather than one per request: 30,000 requests take about 1,300.
    moving: dict[int | None, list[int]] = {}
    for pk, reference, convoy_id, status in (
        VisitRequest.objects.select_for_update()
        .filter(organisation=organisation)
        .filter(status__in=[VisitRequest.Status.WAITING, VisitRequest.Status.PLANNED])
        .values_list("pk", "reference", "convoy_id", "status")
    ):
        if reference not in planned:
            continue
        placement = plan.placements.get(reference)
        target = convoy_ids[(placement.date, placement.convoy)] if placement else None
        unchanged = convoy_id == target and (status == VisitRequest.Status.PLANNED) == bool(target)
        if not unchanged:
            moving.setdefault(target, []).append(pk)
    for target, ids in moving.items():
        status = VisitRequest.Status.PLANNED if target else VisitRequest.Status.WAITING
        for chunk in range(0, len(ids), 500):  # SQLite's limit on query parameters
            VisitRequest.objects.filter(pk__in=ids[chunk : chunk + 500]).update(
                convoy_id=target, status=status
            )
    # Convoys of the open horizon that no longer carry anyone are called off.
    emptied = Convoy.objects.filter(
        organisation=organisation,
        date__gte=first,
        status=Convoy.Status.PLANNED,
        requests__isnull=True,
    )
    called_off = emptied.count()
    emptied.delete()
    summary = {
        "cost": outcome.cost,
        "bound": round(outcome.bound, 1),
        "gap": round(outcome.gap, 4) if outcome.gap != float("inf") else None,
        "bound_method": outcome.bound_method,
        "served_requests": outcome.served_requests,
        "served_people": outcome.served_people,
        "unserved_requests": outcome.unserved_requests,
        "unserved_people": outcome.unserved_people,
        "unservable": dict(outcome.unservable),
        "moved_requests": outcome.moved_requests,
        "moved_people": outcome.moved_people,
        "pinned_moved": list(outcome.pinned_moved),
        "left_out": app_instance.left_out,
        "convoys": len(plan.convoy_routes),
        "convoys_called_off": called_off,
        "seconds": round(outcome.seconds, 1),
        "stopped_by_time_limit": outcome.stopped_by_time_limit,
        "first_day": first.isoformat() if first else None,
    }
    record_event(
        actor=caller.user if caller else None,
        organisation=organisation,
        action="visits.plan.adopt",
        details={k: v for k, v in summary.items() if k not in ("unservable", "left_out")},
    )
    return summary


def overall_progress(stage: str, done: float) -> float:
    """The engine reports each stage from 0 to 1; the page shows the whole run."""
    stages = engine.solver.STAGES
    index = stages.index(stage) if stage in stages else 0
    return (index + done) / len(stages)


def run_planning(job, report: Report) -> dict:
    """The job: plan the organisation's open requests and adopt the plan."""
    app_instance = build_instance(job.organisation)
    if not app_instance.instance.requests:
        raise JobFailed("No request can be planned in the open horizon.")
    outcome = engine.plan_visits(
        app_instance.instance,
        time_limit=float(job.params.get("seconds", PLANNING_SECONDS)),
        replanning=app_instance.replanning,
        progress=lambda stage, done: report(stage, overall_progress(stage, done)),
    )
    return adopt_plan(organisation=job.organisation, app_instance=app_instance, outcome=outcome)


register(
    JobKind(
        name="visits.plan",
        label=_("Convoy planning"),
        permission=Permission.PLAN_VISITS,
        run=run_planning,
        # One plan at a time: two would each adopt a plan over the other's. Starting one while
        # a plan is under way answers that plan (its page), without a second.
        while_running=WhileRunning.JOIN,
    )
)
