"""Visit requests, capacity and planning in the API (/api/v1/visits)."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.jobs.services import start_job
from homeward.people import selectors as people_selectors
from homeward.people.validation import FieldProblem, resolve_origin
from homeward.places.models import Route
from homeward.visits import selectors, services
from homeward.visits.models import VisitRequest

router = Router(tags=["visits"])
MAX_ID = 2**63 - 1


class VisitRequestIn(Schema):
    travellers: list[int] = Field(description="ids of the household's persons who travel")
    purposes: list[str] = Field(description="belongings, graves, documents, other")
    earliest: datetime.date
    latest: datetime.date | None = None
    destination: str = Field("", description="settlement slug or any of its names; default origin")
    cargo_m3: Decimal = Decimal(0)
    language: str = "hy"
    clearance_consent_method: str = Field(
        "", description="verbal, written, phone, digital: each traveller consents to clearance"
    )


class TravellerOut(Schema):
    person: int
    clearance: str
    checked_out_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None


class VisitRequestOut(Schema):
    reference: str
    household: str
    destination: str
    purposes: list[str]
    cargo_m3: Decimal
    earliest: datetime.date
    latest: datetime.date | None
    priority: int
    computed_priority: int
    override_reason: str
    status: str
    convoy: str | None
    travellers: list[TravellerOut]


def request_out(visit: VisitRequest) -> dict:
    return {
        "reference": visit.reference,
        "household": visit.household.reference,
        "destination": visit.destination.slug,
        "purposes": visit.purposes,
        "cargo_m3": visit.cargo_m3,
        "earliest": visit.earliest,
        "latest": visit.latest,
        "priority": visit.priority,
        "computed_priority": visit.computed_priority,
        "override_reason": visit.override_reason,
        "status": visit.status,
        "convoy": visit.convoy.code if visit.convoy else None,
        "travellers": [
            {
                "person": t.person_id,
                "clearance": t.clearance,
                "checked_out_at": t.checked_out_at,
                "checked_in_at": t.checked_in_at,
            }
            for t in sorted(visit.travellers.all(), key=lambda traveller: traveller.pk)
        ],
    }


class PriorityIn(Schema):
    priority: int | None = Field(None, description="1, 2 or 3; null returns to the computed one")
    reason: str = ""


class SeatIn(Schema):
    date: datetime.date
    convoy: int = Field(ge=1, le=1000)


class CapacityIO(Schema):
    start: datetime.date
    days: int = Field(ge=1, le=366)
    weekdays: list[int]
    checkpoint_people_per_day: int = Field(ge=1, le=1_000_000)
    convoys_per_day: int = Field(ge=1, le=50)
    seats_per_convoy: int = Field(ge=1, le=500)
    cargo_m3_per_convoy: Decimal = Field(gt=0, le=10_000)
    meeting_point: str
    departure_time: datetime.time
    routes: list[str] = Field(description="route slugs")


class PlanningRunOut(Schema):
    id: int
    status: str
    stage: str
    progress: float
    result: dict | None
    error: str


def run_out(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "result": job.result,
        "error": job.error,
    }


@router.get("/requests", response=list[VisitRequestOut])
def list_requests(
    request, status: str = Query("", max_length=16), limit: int = Query(100, ge=1, le=1000)
):
    caller = caller_of(request, Permission.VIEW_VISITS)
    visits = (
        selectors.requests_visible_to(caller).prefetch_related("travellers").order_by("-created_at")
    )
    if status:
        visits = visits.filter(status=status)
    return [request_out(visit) for visit in visits[:limit]]


@router.post("/households/{household}/requests", response={201: VisitRequestOut})
def create_request(
    request, payload: VisitRequestIn, household: str = PathParam(..., max_length=20)
):
    caller = caller_of(request, Permission.REQUEST_VISITS)
    household = people_selectors.get_household(caller, household)
    persons = {person.pk: person for person in household.persons.all()}
    unknown = [pk for pk in payload.travellers if pk not in persons]
    if unknown:
        raise FieldProblem("travellers", f"not members of the household: {unknown}")
    destination = resolve_origin(payload.destination) if payload.destination else None
    visit = services.request_visit(
        caller=caller,
        household=household,
        travellers=[persons[pk] for pk in payload.travellers],
        purposes=payload.purposes,
        earliest=payload.earliest,
        latest=payload.latest,
        destination=destination,
        cargo_m3=payload.cargo_m3,
        language=payload.language,
        clearance_consent_method=payload.clearance_consent_method,
    )
    return Status(201, request_out(visit))


@router.get("/requests/{visit_reference}", response=VisitRequestOut)
def get_request(request, visit_reference: str = PathParam(..., max_length=20)):
    caller = caller_of(request, Permission.VIEW_VISITS)
    return request_out(selectors.get_request(caller, visit_reference))


@router.post("/requests/{visit_reference}/priority", response=VisitRequestOut)
def set_priority(
    request, payload: PriorityIn, visit_reference: str = PathParam(..., max_length=20)
):
    caller = caller_of(request, Permission.PLAN_VISITS)
    visit = selectors.get_request(caller, visit_reference)
    return request_out(
        services.override_priority(
            caller=caller, visit=visit, priority=payload.priority, reason=payload.reason
        )
    )


@router.post("/requests/{visit_reference}/seat", response={200: VisitRequestOut, 409: dict})
def confirm_seat(request, payload: SeatIn, visit_reference: str = PathParam(..., max_length=20)):
    caller = caller_of(request, Permission.PLAN_VISITS)
    visit = selectors.get_request(caller, visit_reference)
    convoy = selectors.convoys_of(caller).get(date=payload.date, number=payload.convoy)
    try:
        visit = services.confirm_seat(caller=caller, visit=visit, convoy=convoy)
    except services.SeatRefused as refusal:
        return Status(409, {"detail": str(refusal)})
    return request_out(visit)


def capacity_out(capacity) -> dict:
    values = selectors.capacity_values(capacity)
    return values | {"routes": [route.slug for route in values["routes"]]}


@router.get("/capacity", response=CapacityIO)
def get_capacity(request):
    caller = caller_of(request, Permission.PLAN_VISITS)
    capacity = selectors.capacity_of(caller)
    if capacity is None:
        raise VisitRequest.DoesNotExist("no capacity set")
    return capacity_out(capacity)


@router.put("/capacity", response=CapacityIO)
def put_capacity(request, payload: CapacityIO):
    caller = caller_of(request, Permission.PLAN_VISITS)
    routes = list(Route.objects.filter(slug__in=payload.routes))
    missing = sorted(set(payload.routes) - {route.slug for route in routes})
    if missing:
        raise FieldProblem("routes", f"unknown routes: {', '.join(missing)}")
    values = payload.dict()
    values["routes"] = routes
    return capacity_out(services.save_capacity(caller=caller, **values))


@router.post("/plans", response={202: PlanningRunOut})
def start_planning(request):
    caller = caller_of(request, Permission.PLAN_VISITS)
    job = start_job(caller=caller, kind="visits.plan", params={})
    job.refresh_from_db()
    return Status(202, run_out(job))


@router.get("/plans/{run_id}", response=PlanningRunOut)
def planning_run(request, run_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.PLAN_VISITS)
    return run_out(selectors.get_planning_run(caller, run_id))
