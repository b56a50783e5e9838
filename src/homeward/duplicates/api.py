import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja import Path as PathParam

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.duplicates import selectors, services
from homeward.duplicates.models import CandidatePair, DeduplicationRun, Merge, PairDecision

router = Router(tags=["duplicates"])
MAX_ID = 2**63 - 1


class RunOut(Schema):
    id: int
    status: str = Field(description="queued, running, done or failed")
    stage: str
    progress: float
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    records: int
    merges_made: int
    pairs_to_review: int
    held_back: int

    @staticmethod
    def of(run: DeduplicationRun) -> dict:
        job = run.job
        return {
            "id": run.pk,
            "status": job.status if job else "queued",
            "stage": job.stage if job else "",
            "progress": job.progress if job else 0.0,
            "error": job.error if job else "",
            "created_at": run.created_at,
            "finished_at": run.finished_at,
            "records": run.records,
            "merges_made": run.merges_made,
            "pairs_to_review": run.pairs_to_review,
            "held_back": run.held_back,
        }


class RecordOut(Schema):
    person: int
    household: str
    source: str
    record_id: str
    given_name: str
    family_name: str
    patronymic: str
    sex: str
    birth_date: str
    origin: str | None
    origin_written: str

    @staticmethod
    def of(person) -> dict:
        household = person.household
        return {
            "person": person.pk,
            "household": household.reference,
            "source": person.source,
            "record_id": person.record_id,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "patronymic": person.patronymic,
            "sex": person.sex,
            "birth_date": person.birth_date_display,
            "origin": household.origin_settlement.slug if household.origin_settlement else None,
            "origin_written": household.origin_written,
        }


class PairOut(Schema):
    id: int
    run: int
    probability: float
    match_weight: float
    why: str
    agreements: dict[str, str] = Field(description="compared field -> level the pair reached")
    agreed: list[str]
    disagreed: list[str]
    a: RecordOut
    b: RecordOut

    @staticmethod
    def of(pair: CandidatePair) -> dict:
        return {
            "id": pair.pk,
            "run": pair.run_id,
            "probability": pair.probability,
            "match_weight": pair.match_weight,
            "why": pair.why,
            "agreements": pair.agreements,
            "agreed": pair.agreed,
            "disagreed": pair.disagreed,
            "a": RecordOut.of(pair.person_a),
            "b": RecordOut.of(pair.person_b),
        }


class DecisionIn(Schema):
    decision: str = Field(description="same or different")
    reason: str = Field("", max_length=500)


class DecisionOut(Schema):
    id: int
    pair: int
    decision: str
    merge: int | None = Field(description="the merge a confirmation made")


class MergeOut(Schema):
    id: int
    state: str = Field(description="active, replaced or undone")
    method: str
    persons: list[int]
    created_at: datetime.datetime
    undone_at: datetime.datetime | None

    @staticmethod
    def of(merge: Merge) -> dict:
        return {
            "id": merge.pk,
            "state": merge.state,
            "method": merge.method,
            "persons": sorted(m.person_id for m in merge.members.all()),
            "created_at": merge.created_at,
            "undone_at": merge.undone_at,
        }


class UndoIn(Schema):
    different: bool = Field(False, description="they are different people: keep them apart")
    reason: str = Field("", max_length=500)


class GiveBackIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID, description="the record that is someone else")
    reason: str = Field("", max_length=500)


class Problem(Schema):
    detail: str


@router.post("/runs", response={201: RunOut, 409: Problem})
def start_run(request):
    """Start a deduplication run over the organisation's registry (a background job)."""
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    try:
        run = services.start_deduplication(caller=caller)
    except services.DuplicatesConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    return Status(201, RunOut.of(selectors.get_run(caller, run.pk)))


@router.get("/runs/{dedupe_run_id}", response=RunOut)
def get_run(request, dedupe_run_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    return RunOut.of(selectors.get_run(caller, dedupe_run_id))


@router.get("/pairs", response=list[PairOut])
def list_pairs(
    request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_ID)
):
    """The review queue: undecided pairs of the latest finished run, most likely first."""
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    return [PairOut.of(p) for p in selectors.open_pairs(caller)[offset : offset + limit]]


@router.post("/pairs/{pair_id}/decision", response={201: DecisionOut, 409: Problem, 422: Problem})
def decide_pair(request, payload: DecisionIn, pair_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """ "same" merges the two records; "different" keeps them apart in every later run."""
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    pair = selectors.get_pair(caller, pair_id)
    if payload.decision not in PairDecision.Decision.values:
        return Status(422, {"detail": "decision must be 'same' or 'different'"})
    try:
        decided = services.decide_pair(
            caller=caller, pair=pair, decision=payload.decision, reason=payload.reason
        )
    except services.DuplicatesConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    return Status(
        201,
        {
            "id": decided.pk,
            "pair": pair.pk,
            "decision": decided.decision,
            "merge": decided.merge_id,
        },
    )


@router.get("/merges/{merge_id}", response=MergeOut)
def get_merge(request, merge_id: int = PathParam(..., ge=1, le=MAX_ID)):
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    return MergeOut.of(selectors.get_merge(caller, merge_id))


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, 409: Problem})
def undo_merge(request, payload: UndoIn, merge_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Take a merge apart; with "different", later runs keep its records apart."""
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    merge = selectors.get_merge(caller, merge_id)
    try:
        services.undo_merge(
            caller=caller, merge=merge, different=payload.different, reason=payload.reason
        )
    except services.DuplicatesConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    return MergeOut.of(selectors.get_merge(caller, merge_id))


@router.post("/merges/{merge_id}/give-back", response={200: MergeOut, 409: Problem})
def give_back(request, payload: GiveBackIn, merge_id: int = PathParam(..., ge=1, le=MAX_ID)):
    """Take one record out of a merge of three or more; the others stay merged in the merge
    returned (this one is closed, as history). The record is recorded as a different person."""
    caller = caller_of(request, Permission.REVIEW_DUPLICATES)
    merge = selectors.get_merge(caller, merge_id)
    person = next((m.person for m in merge.members.all() if m.person_id == payload.person), None)
    if person is None:
        return Status(409, {"detail": "this record is not in this merge"})
    try:
        continued = services.give_back(
            caller=caller, merge=merge, person=person, reason=payload.reason
        )
    except services.DuplicatesConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    return MergeOut.of(selectors.get_merge(caller, continued.pk))
