"""Every read of people's requests, scoped in the query to the caller's organisation.

A request of another organisation is answered exactly like one that does not exist.
"""

from django.db.models import QuerySet

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.rights.models import CorrectionRequest, ErasureRequest


def correction_requests_visible_to(caller: Caller) -> QuerySet[CorrectionRequest]:
    if not caller.may(Permission.RECORD_RIGHTS_REQUESTS):
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(organisation=caller.organisation).select_related(
        "person__household", "recorded_by", "decided_by"
    )


def erasure_requests_visible_to(caller: Caller) -> QuerySet[ErasureRequest]:
    if not caller.may(Permission.RECORD_RIGHTS_REQUESTS):
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(organisation=caller.organisation).select_related(
        "person__household", "recorded_by", "decided_by"
    )


def get_correction_request(caller: Caller, request_id: int) -> CorrectionRequest:
    return correction_requests_visible_to(caller).get(pk=request_id)


def get_erasure_request(caller: Caller, request_id: int) -> ErasureRequest:
    return erasure_requests_visible_to(caller).get(pk=request_id)
