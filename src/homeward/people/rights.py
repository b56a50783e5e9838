"""People's rights over their data: what is held about a person, and with whom it was shared."""

from django.db import transaction
from django.db.models import Q

from homeward.access.caller import Caller
from homeward.access.models import Consent
from homeward.access.roles import Permission
from homeward.audit.models import AuditEvent
from homeward.audit.services import record_event
from homeward.people.models import Person


def subject_access_export(*, caller: Caller, person: Person) -> dict:
    """Everything the caller's organisation holds about a person, for their access request.

    The person's own record and household as stored (decrypted), every consent answer, every
    recorded action on them, and every sharing of their data: to which organisation, when,
    for what purpose. The export itself is audited.
    """
    caller.require(Permission.ANSWER_ACCESS_REQUESTS)
    household = person.household
    if household.organisation_id != caller.organisation.pk:
        raise Person.DoesNotExist
    events = AuditEvent.objects.filter(
        Q(target_type="people.person", target_id=str(person.pk))
        | Q(target_type="people.household", target_id=str(household.pk))
    ).order_by("sequence")
    shared = [
        {
            "to": event.organisation.slug if event.organisation else "",
            "at": event.at.isoformat(),
            "purpose": event.details.get("purpose", ""),
        }
        for event in AuditEvent.objects.filter(action="sharing.read").select_related("organisation")
        if person.pk
        in event.details.get("persons_by_provider", {}).get(caller.organisation.slug, [])
    ]
    export = {
        "person": {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "patronymic": person.patronymic,
            "sex": person.sex,
            "birth_date": person.birth_date_display,
            "birth_precision": person.birth_precision,
            "relation": person.relation,
            "vulnerabilities": person.vulnerabilities,
            "registered_by": household.organisation.name,
            "source": person.source,
            "record_id": person.record_id,
        },
        "household": {
            "reference": household.reference,
            "origin": household.origin_settlement.slug if household.origin_settlement else None,
            "origin_written": household.origin_written,
            "origin_address": household.origin_address,
            "shelter": household.shelter.code if household.shelter else None,
            "host_site": household.host_site.slug if household.host_site else None,
            "host_address": household.host_address,
            "phone": household.phone,
            "registered_on": household.registered_on.isoformat(),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "given": c.given,
                "method": c.method,
                "recorded_at": c.recorded_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in Consent.objects.filter(person=person).order_by("recorded_at")
        ],
        "shared_with": shared,
        "history": [
            {"at": e.at.isoformat(), "action": e.action, "by": e.actor_name, "reason": e.reason}
            for e in events
        ],
    }
    with transaction.atomic():
        record_event(
            actor=caller.user,
            organisation=caller.organisation,
            action="rights.access.export",
            target=person,
        )
    return export
