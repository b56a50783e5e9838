import datetime

from ninja import Field, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.people.api import MAX_ID
from homeward.people.selectors import get_person
from homeward.rights import selectors, services
from homeward.rights.models import CorrectionRequest, ErasureRequest

router = Router(tags=["people's rights"])


class RequestIn(Schema):
    statement: str = Field("", description="what the person said, as noted")
    channel: str = Field(description="in_person, phone, written, message or representative")
    received_on: datetime.date | None = Field(None, description="today when omitted")


class CorrectionIn(RequestIn):
    field: str = Field(
        description="given_name, family_name, patronymic, sex, birth_date, relation, "
        "vulnerabilities (codes separated by ;), phone, origin_address or host_address"
    )
    value_asked: str


class CorrectionDecisionIn(Schema):
    accept: bool
    reason: str = Field("", description="required when refusing; a note when accepting")


class ErasureDecisionIn(Schema):
    erase: bool
    retention_rule: str = Field(
        "", description="when keeping: the key of the retention rule that keeps the data"
    )
    note: str = ""


class RequestOut(Schema):
    id: int
    person: int
    household: str
    statement: str
    channel: str
    received_on: datetime.date
    recorded_by: str
    recorded_at: datetime.datetime
    status: str
    decided_by: str | None
    decided_at: datetime.datetime | None
    reason: str


class CorrectionOut(RequestOut):
    field: str
    value_asked: str
    applied_audit_row: int | None = Field(description="sequence of the registry's audit row")


class ErasureOut(RequestOut):
    retention_rule: str


def _request_out(request) -> dict:
    return {
        "id": request.pk,
        "person": request.person_id,
        "household": request.person.household.reference,
        "statement": request.statement,
        "channel": request.channel,
        "received_on": request.received_on,
        "recorded_by": request.recorded_by.get_username() if request.recorded_by else "",
        "recorded_at": request.recorded_at,
        "status": request.status,
        "decided_by": request.decided_by.get_username() if request.decided_by else None,
        "decided_at": request.decided_at,
        "reason": request.reason,
    }


def correction_out(request: CorrectionRequest) -> dict:
    return {
        **_request_out(request),
        "field": request.field,
        "value_asked": request.value_asked,
        "applied_audit_row": request.applied_event.sequence if request.applied_event else None,
    }


def erasure_out(request: ErasureRequest) -> dict:
    return {**_request_out(request), "retention_rule": request.retention_rule}


@router.get("/corrections", response=list[CorrectionOut])
def list_corrections(request):
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    return [
        correction_out(r)
        for r in selectors.correction_requests_visible_to(caller).select_related("applied_event")
    ]


@router.post("/persons/{person_id}/corrections", response={201: CorrectionOut})
def record_correction(
    request, payload: CorrectionIn, person_id: int = PathParam(..., ge=1, le=MAX_ID)
):
    """Record that a person asked to correct one field of their record."""
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    person = get_person(caller, person_id)
    created = services.record_correction_request(caller=caller, person=person, **payload.dict())
    return Status(201, correction_out(selectors.get_correction_request(caller, created.pk)))


@router.get("/corrections/{correction_id}", response=CorrectionOut)
def get_correction(request, correction_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    return correction_out(selectors.get_correction_request(caller, correction_id))


@router.post("/corrections/{correction_id}/decision", response={201: CorrectionOut})
def decide_correction(
    request, payload: CorrectionDecisionIn, correction_id: int = PathParam(..., ge=1, le=MAX_ID)
):
    """Accept (the record is corrected through the registry) or refuse with a reason."""
    caller = caller_of(request, Permission.DECIDE_CORRECTIONS)
    correction = selectors.get_correction_request(caller, correction_id)
    if payload.accept:
        services.accept_correction(caller=caller, request=correction, note=payload.reason)
    else:
        services.refuse_correction(caller=caller, request=correction, reason=payload.reason)
    return Status(201, correction_out(selectors.get_correction_request(caller, correction_id)))


@router.get("/erasures", response=list[ErasureOut])
def list_erasures(request):
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    return [erasure_out(r) for r in selectors.erasure_requests_visible_to(caller)]


@router.post("/persons/{person_id}/erasures", response={201: ErasureOut})
def record_erasure(request, payload: RequestIn, person_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Record that a person asked for their data to be erased."""
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    person = get_person(caller, person_id)
    created = services.record_erasure_request(caller=caller, person=person, **payload.dict())
    return Status(201, erasure_out(selectors.get_erasure_request(caller, created.pk)))


@router.get("/erasures/{erasure_id}", response=ErasureOut)
def get_erasure(request, erasure_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.RECORD_RIGHTS_REQUESTS)
    return erasure_out(selectors.get_erasure_request(caller, erasure_id))


@router.post("/erasures/{erasure_id}/decision", response={201: ErasureOut})
def decide_erasure(
    request, payload: ErasureDecisionIn, erasure_id: int = PathParam(..., ge=1, le=MAX_ID)
):
    """Erase (anonymise) the person's data now, or keep it under a named retention rule."""
    caller = caller_of(request, Permission.DECIDE_ERASURES)
    erasure = selectors.get_erasure_request(caller, erasure_id)
    if payload.erase:
        services.erase_on_request(caller=caller, request=erasure, note=payload.note)
    else:
        services.keep_on_request(
            caller=caller,
            request=erasure,
            retention_rule=payload.retention_rule,
            note=payload.note,
        )
    return Status(201, erasure_out(selectors.get_erasure_request(caller, erasure_id)))
