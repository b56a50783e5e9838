import datetime

from ninja import Field, Router, Schema, Status

from homeward.access import sharing
from homeward.access.models import Organisation, SharingAgreement
from homeward.access.roles import Permission
from homeward.api import caller_of

router = Router(tags=["sharing"])


class AgreementIn(Schema):
    recipient: str = Field(description="slug of the receiving organisation")
    purpose: str
    fields: list[str]
    starts_on: datetime.date
    ends_on: datetime.date


class AgreementOut(Schema):
    id: int
    provider: str
    recipient: str
    purpose: str
    fields: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    approved: bool


class ConsentIn(Schema):
    purpose: str
    given: bool
    method: str = Field(description="verbal, written, phone or digital")


def agreement_out(agreement: SharingAgreement) -> dict:
    return {
        "id": agreement.pk,
        "provider": agreement.provider.slug,
        "recipient": agreement.recipient.slug,
        "purpose": agreement.purpose,
        "fields": agreement.fields,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "approved": agreement.approved,
    }


@router.get("/agreements", response=list[AgreementOut])
def list_agreements(request):
    caller = caller_of(request, Permission.MANAGE_SHARING)
    return [agreement_out(a) for a in sharing.agreements_of(caller)]


@router.post("/agreements", response={201: AgreementOut})
def propose_agreement(request, payload: AgreementIn):
    caller = caller_of(request, Permission.MANAGE_SHARING)
    recipient = Organisation.objects.get(slug=payload.recipient)
    agreement = sharing.propose_agreement(
        caller=caller,
        recipient=recipient,
        purpose=payload.purpose,
        fields=payload.fields,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, agreement_out(agreement))


@router.post("/agreements/{agreement_id}/approve", response=AgreementOut)
def approve_agreement(request, agreement_id: int):
    caller = caller_of(request, Permission.MANAGE_SHARING)
    agreement = sharing.agreements_of(caller).get(pk=agreement_id, recipient=caller.organisation)
    return agreement_out(sharing.approve_agreement(caller=caller, agreement=agreement))


@router.get("/received", response=list[dict])
def received(request, purpose: str):
    """People shared with your organisation for this purpose, with the agreed fields only.

    For `visit_clearance` (clearance officers only): the manifest minimum (given_name,
    family_name, birth_year, destination, convoy) of consenting travellers whose convoy has
    not returned, whatever the agreement lists.
    """
    return sharing.shared_with(caller_of(request, sharing.read_permission(purpose)), purpose)


@router.post("/persons/{person_id}/consents", response={201: dict})
def record_consent(request, person_id: int, payload: ConsentIn):
    from homeward.people.selectors import get_person

    caller = caller_of(request, Permission.RECORD_CONSENT)
    person = get_person(caller, person_id)
    consent = sharing.record_consent(caller=caller, person=person, **payload.dict())
    return Status(
        201, {"purpose": consent.purpose, "given": consent.given, "method": consent.method}
    )


@router.delete("/persons/{person_id}/consents/{purpose}", response=dict)
def withdraw_consent(request, person_id: int, purpose: str):
    from homeward.people.selectors import get_person

    caller = caller_of(request, Permission.RECORD_CONSENT)
    person = get_person(caller, person_id)
    return {"withdrawn": sharing.withdraw_consent(caller=caller, person=person, purpose=purpose)}
