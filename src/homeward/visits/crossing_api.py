"""API of the crossing part of visits (added to the one NinjaAPI by homeward/api.py).

The same rules as the checkpoint page: the same services decide, a refusal answers 422 with
the reason, and another organisation's convoy, request, traveller or alert answers 404.
"""

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.visits import crossing
from homeward.visits.models import Traveller, VisitRequest

router = Router(tags=["visits"])
MAX_ID = 2**63 - 1


class TravellerOut(Schema):
    id: int
    family_name: str
    given_name: str
    patronymic: str
    birth_year: int | None
    clearance: str
    checked_out_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None
    can_check_out: bool
    can_check_in: bool
    note: str


class CheckpointOut(Schema):
    request: str
    household: str
    convoy: str | None
    convoy_id: int | None
    convoy_status: str | None
    destination: str
    problem: str = Field(description="what the officer must know first, or empty")
    travellers: list[TravellerOut]


class CrossingOut(Schema):
    id: int
    request: str
    convoy: str | None
    checked_out_at: datetime.datetime | None
    checked_in_at: datetime.datetime | None


class AlertOut(Schema):
    id: int
    organisation: str
    convoy: str
    date: datetime.date
    route: str
    request: str
    missing_on_convoy: int
    raised_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolution: str | None = Field(
        description="what happened, as typed; null like the name (monitors see the status only)"
    )
    name: str | None = Field(description="null unless the caller's organisation ran the convoy")
    household: str | None = Field(description="null like the name")


class ConvoyReturnedOut(Schema):
    convoy: str
    status: str
    returned_at: datetime.datetime
    alerts: list[AlertOut]


class ResolutionIn(Schema):
    resolution: str = Field(description="what happened to the traveller")


def _crossing_out(traveller: Traveller) -> dict:
    convoy = traveller.request.convoy
    return {
        "id": traveller.pk,
        "request": traveller.request.reference,
        "convoy": convoy.code if convoy else None,
        "checked_out_at": traveller.checked_out_at,
        "checked_in_at": traveller.checked_in_at,
    }


def _alert_out(row: crossing.AlertRow) -> dict:
    fields = dict(row.__dict__)
    fields.pop("may_resolve")
    return fields


@router.get("/checkpoint", response=CheckpointOut)
def look_up(request, code: str = Query(..., max_length=40)):
    """The request a scanned or typed code means (request or household reference)."""
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    lookup = crossing.find_at_checkpoint(caller, code)
    visit = lookup.visit
    if visit is None:
        raise VisitRequest.DoesNotExist
    return {
        "request": visit.reference,
        "household": visit.household.reference,
        "convoy": visit.convoy.code if visit.convoy else None,
        "convoy_id": visit.convoy_id,
        "convoy_status": visit.convoy.status if visit.convoy else None,
        "destination": visit.destination.slug,
        "problem": lookup.problem,
        "travellers": [
            {
                "id": row.traveller.pk,
                "family_name": row.traveller.person.family_name,
                "given_name": row.traveller.person.given_name,
                "patronymic": row.traveller.person.patronymic,
                "birth_year": row.traveller.person.birth_year,
                "clearance": row.traveller.clearance,
                "checked_out_at": row.traveller.checked_out_at,
                "checked_in_at": row.traveller.checked_in_at,
                "can_check_out": row.can_check_out,
                "can_check_in": row.can_check_in,
                "note": row.note,
            }
            for row in lookup.travellers
        ],
    }


@router.post("/travellers/{traveller_id}/check-out", response={201: CrossingOut})
def check_out(request, traveller_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    traveller = crossing.check_out(
        caller=caller, traveller=crossing.get_traveller(caller, traveller_id)
    )
    return Status(201, _crossing_out(traveller))


@router.post("/travellers/{traveller_id}/check-in", response={201: CrossingOut})
def check_in(request, traveller_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    traveller = crossing.check_in(
        caller=caller, traveller=crossing.get_traveller(caller, traveller_id)
    )
    return Status(201, _crossing_out(traveller))


def _scanned(caller, code: str) -> VisitRequest:
    visit = crossing.find_at_checkpoint(caller, code).visit
    if visit is None:
        raise VisitRequest.DoesNotExist
    return visit


@router.post("/checkpoint/{code}/check-out", response={201: list[CrossingOut]})
def check_out_everyone(request, code: str = PathParam(..., max_length=40)):
    """Check out every traveller who may leave now, of the request the code means."""
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    visit = _scanned(caller, code)
    done = crossing.check_out_everyone(caller=caller, visit=visit)
    return Status(201, [_crossing_out(t) for t in done])


@router.post("/checkpoint/{code}/check-in", response={201: list[CrossingOut]})
def check_in_everyone(request, code: str = PathParam(..., max_length=40)):
    """Check in every traveller who is out, of the request the code means."""
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    visit = _scanned(caller, code)
    done = crossing.check_in_everyone(caller=caller, visit=visit)
    return Status(201, [_crossing_out(t) for t in done])


@router.post("/convoys/{convoy_id}/returned", response={201: ConvoyReturnedOut})
def convoy_returned(request, convoy_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """The convoy is back: everyone out and not checked in raises an alert, told at once."""
    caller = caller_of(request, Permission.CROSS_CHECKPOINT)
    convoy = crossing.get_convoy(caller, convoy_id)
    alerts = crossing.mark_convoy_returned(caller=caller, convoy=convoy)
    convoy.refresh_from_db()
    rows = crossing.alert_rows(
        caller, crossing.alerts_visible_to(caller).filter(pk__in=[a.pk for a in alerts])
    )
    return Status(
        201,
        {
            "convoy": convoy.code,
            "status": convoy.status,
            "returned_at": convoy.returned_at,
            "alerts": [_alert_out(row) for row in rows],
        },
    )


@router.get("/alerts", response=list[AlertOut])
def list_alerts(request, open: bool = True, limit: int = Query(100, ge=1, le=500)):
    """Travellers not back with their convoy; names only for the organisation that ran it."""
    caller = caller_of(request, Permission.VIEW_CROSSING_ALERTS)
    alerts = crossing.alerts_visible_to(caller)
    if open:
        alerts = alerts.filter(resolved_at__isnull=True)
    return [_alert_out(row) for row in crossing.alert_rows(caller, alerts[:limit])]


@router.post("/alerts/{alert_id}/resolve", response={201: AlertOut})
def resolve_alert(request, payload: ResolutionIn, alert_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Close an alert with what happened; a late check-in closes it by itself."""
    caller = caller_of(request, Permission.VIEW_CROSSING_ALERTS)
    alert = crossing.resolve_alert(
        caller=caller, alert=crossing.get_alert(caller, alert_id), resolution=payload.resolution
    )
    (row,) = crossing.alert_rows(caller, [crossing.get_alert(caller, alert.pk)])
    return Status(201, _alert_out(row))
