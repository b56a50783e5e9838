"""API of the clearance part of visits (added to the one NinjaAPI by homeward/api.py)."""

import datetime

from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.visits import clearance, notifications
from homeward.visits.models import Traveller

router = Router(tags=["visits"])
MAX_ID = 2**63 - 1


class DestinationOut(Schema):
    slug: str
    name: str = Field(description="in the language of the request")
    other_names: list[str]


class ClearanceTravellerOut(Schema):
    """The manifest minimum: nothing else about the traveller leaves their organisation."""

    id: int = Field(description="the entry's id, for the decision")
    given_name: str
    family_name: str
    birth_year: int | None
    destination: DestinationOut
    clearance: str = Field(description="pending, cleared, refused or appealed")
    refusal_reason: str
    note: str
    appeal_grounds: str
    final: bool = Field(description="true once the clearance can no longer change")


class ClearanceConvoyOut(Schema):
    id: int
    provider: str
    date: datetime.date
    number: int
    route: str
    route_name: str
    travellers: list[ClearanceTravellerOut]


class DecisionIn(Schema):
    decision: str = Field(description="clear or refuse")
    reason: str = Field(
        "", description="for a refusal: " + ", ".join(clearance.RefusalReason.values)
    )
    note: str = Field("", description="required when the reason is 'other'")


class RefusalOut(Schema):
    id: int = Field(description="the traveller's id")
    request: str
    person: int
    given_name: str
    family_name: str
    convoy: str | None
    clearance: str
    refusal_reason: str
    note: str
    appeal_grounds: str
    final: bool


class AppealIn(Schema):
    grounds: str


class NotificationRunOut(Schema):
    sent: int
    failed: int
    moved: int


def _destination(settlement) -> dict:
    language = get_language()
    return {
        "slug": settlement.slug,
        "name": settlement.display_name(language),
        "other_names": settlement.other_names(language),
    }


def _traveller_out(entry: clearance.ManifestEntry) -> dict:
    return {
        "id": entry.traveller_id,
        "given_name": entry.given_name,
        "family_name": entry.family_name,
        "birth_year": entry.birth_year,
        "destination": _destination(entry.destination),
        "clearance": entry.clearance,
        "refusal_reason": entry.refusal_reason,
        "note": entry.clearance_note,
        "appeal_grounds": entry.appeal_grounds,
        "final": entry.final,
    }


def _refusal_out(traveller: Traveller) -> dict:
    convoy = traveller.request.convoy
    return {
        "id": traveller.pk,
        "request": traveller.request.reference,
        "person": traveller.person_id,
        "given_name": traveller.person.given_name,
        "family_name": traveller.person.family_name,
        "convoy": convoy.code if convoy else None,
        "clearance": traveller.clearance,
        "refusal_reason": traveller.refusal_reason,
        "note": traveller.clearance_note,
        "appeal_grounds": traveller.appeal_grounds,
        "final": clearance.is_final(traveller),
    }


@router.get("/clearance/convoys", response=list[ClearanceConvoyOut])
def clearance_convoys(request):
    """Convoys shared with the caller's authority for clearance, with consenting travellers."""
    caller = caller_of(request, Permission.CLEAR_VISITS)
    return [
        {
            "id": manifest.convoy.pk,
            "provider": manifest.provider.slug,
            "date": manifest.convoy.date,
            "number": manifest.convoy.number,
            "route": manifest.convoy.route.slug,
            "route_name": manifest.convoy.route.display_name(),
            "travellers": [_traveller_out(entry) for entry in manifest.entries],
        }
        for manifest in clearance.clearance_manifests(caller)
    ]


@router.post("/clearance/entries/{entry_id}/decision", response={201: ClearanceTravellerOut})
def clearance_decision(request, body: DecisionIn, entry_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Clear or refuse a traveller (entry_id: the `id` of a manifest entry); a refusal is told
    to the household and can be appealed once."""
    caller = caller_of(request, Permission.CLEAR_VISITS)
    traveller = clearance.decide_clearance(
        caller=caller,
        traveller_id=entry_id,
        decision=body.decision,
        reason=body.reason,
        note=body.note,
    )
    return Status(201, _traveller_out(clearance.manifest_entry(caller, traveller)))


@router.get("/clearance/refusals", response=list[RefusalOut])
def refusals(request):
    """The caller's organisation's travellers refused or under appeal."""
    caller = caller_of(request, Permission.REQUEST_VISITS)
    return [_refusal_out(traveller) for traveller in clearance.refusals_of(caller)]


@router.post("/clearance/refusals/{refusal_id}/appeal", response={201: RefusalOut})
def appeal(request, body: AppealIn, refusal_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Appeal a first refusal (refusal_id is the traveller's id); the authority decides again."""
    caller = caller_of(request, Permission.REQUEST_VISITS)
    clearance.lodge_appeal(caller=caller, traveller_id=refusal_id, grounds=body.grounds)
    return Status(201, _refusal_out(clearance.get_refusal(caller, refusal_id)))


@router.post("/notifications", response={201: NotificationRunOut})
def notify(request):
    """Tell every household not yet told of its current convoy its date and meeting point."""
    caller = caller_of(request, Permission.PLAN_VISITS)
    run = notifications.notify_households(caller)
    return Status(201, {"sent": run.sent, "failed": run.failed, "moved": run.moved})
