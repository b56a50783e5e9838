import json

import pytest
from django.core.exceptions import PermissionDenied

from homeward.access.roles import Role
from homeward.audit.models import AuditEvent
from homeward.people.models import Person
from homeward.people.validation import FieldProblem
from homeward.rights import services
from homeward.rights.models import CorrectionRequest
from tests.clients import client_for, token_client_for
from tests.rights.helpers import account, dpo_of, family


@pytest.fixture
def ani(alice, gazetteer):
    return family(alice)[0]


def ask(caller, person, field="patronymic", value="Arturovna"):
    return services.record_correction_request(
        caller=caller,
        person=person,
        field=field,
        value_asked=value,
        statement="My father's name is Artur, not Aram.",
        channel="in_person",
    )


def test_an_accepted_correction_changes_the_record_and_is_audited(alice, ani):
    request = ask(alice, ani)
    services.accept_correction(caller=alice, request=request)

    ani.refresh_from_db()
    request.refresh_from_db()
    assert ani.patronymic == "Arturovna" and ani.patronymic_key
    assert request.status == "accepted" and request.decided_by == alice.user
    assert request.applied_event.action == "people.person.update"
    assert request.applied_event.details == {"changed": ["patronymic"]}
    assert request.applied_event.reason == f"correction request {request.pk}"
    actions = list(
        AuditEvent.objects.filter(action__startswith="rights.correction").values_list(
            "action", flat=True
        )
    )
    assert actions == ["rights.correction.record", "rights.correction.accept"]
    # The audit log never holds the value asked for nor what the person said.
    logged = json.dumps(list(AuditEvent.objects.values("details", "reason")), ensure_ascii=False)
    assert "Arturovna" not in logged and "Artur" not in logged


def test_a_household_field_is_corrected_on_the_household(alice, ani):
    request = ask(alice, ani, field="phone", value="+374 41 000000")
    request = services.accept_correction(caller=alice, request=request)
    ani.household.refresh_from_db()
    assert ani.household.phone == "+374 41 000000"
    assert request.applied_event.target_type == "people.household"


def test_a_refused_correction_records_the_reason_and_changes_nothing(alice, ani):
    request = ask(alice, ani)
    before = AuditEvent.objects.filter(action="people.person.update").count()
    services.refuse_correction(
        caller=alice, request=request, reason="The birth certificate says Aramovna."
    )
    ani.refresh_from_db()
    request.refresh_from_db()
    assert ani.patronymic == "Aramovna"
    assert request.status == "refused" and request.reason == "The birth certificate says Aramovna."
    assert AuditEvent.objects.filter(action="people.person.update").count() == before
    refusal = AuditEvent.objects.get(action="rights.correction.refuse")
    assert refusal.reason == "The birth certificate says Aramovna."


def test_a_refusal_needs_a_reason(alice, ani):
    request = ask(alice, ani)
    with pytest.raises(FieldProblem):
        services.refuse_correction(caller=alice, request=request, reason="  ")
    request.refresh_from_db()
    assert request.pending


def test_an_invalid_value_leaves_the_request_pending_and_the_record_unchanged(alice, ani):
    request = ask(alice, ani, field="birth_date", value="1980-13")
    with pytest.raises(FieldProblem):
        services.accept_correction(caller=alice, request=request)
    request.refresh_from_db()
    ani.refresh_from_db()
    assert request.pending and ani.birth_month == 2


def test_a_decided_request_is_not_decided_again(alice, ani):
    request = ask(alice, ani)
    services.refuse_correction(caller=alice, request=request, reason="no evidence")
    with pytest.raises(FieldProblem):
        services.accept_correction(caller=alice, request=request)
    ani.refresh_from_db()
    assert ani.patronymic == "Aramovna"


def test_who_may_record_and_decide(alice, bob, charlie, ani, migration_service):
    with pytest.raises(PermissionDenied):
        ask(bob, ani)  # planner
    with pytest.raises(Person.DoesNotExist):
        ask(charlie, ani)  # another organisation
    dpo = dpo_of(migration_service)
    request = ask(dpo, ani)  # the DPO may record, but not decide
    with pytest.raises(PermissionDenied):
        services.accept_correction(caller=dpo, request=request)
    with pytest.raises(CorrectionRequest.DoesNotExist):
        services.accept_correction(caller=charlie, request=request)
    request.refresh_from_db()
    assert request.pending


def test_the_api_records_and_decides_and_another_organisation_gets_404(alice, charlie, ani):
    api = token_client_for(alice)
    created = api.post(
        f"/api/v1/rights/persons/{ani.pk}/corrections",
        {"field": "given_name", "value_asked": "Anahit", "channel": "phone"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    correction = created.json()
    assert correction["status"] == "pending" and correction["value_asked"] == "Anahit"
    url = f"/api/v1/rights/corrections/{correction['id']}"

    outsider = token_client_for(charlie)
    assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            f"{url}/decision", {"accept": True}, content_type="application/json"
        ).status_code
        == 404
    )
    refused = api.post(f"{url}/decision", {"accept": False}, content_type="application/json")
    assert refused.status_code == 422  # a refusal needs its reason

    accepted = api.post(f"{url}/decision", {"accept": True}, content_type="application/json")
    assert accepted.status_code == 201
    assert accepted.json()["status"] == "accepted" and accepted.json()["applied_audit_row"]
    assert api.get(f"/api/v1/persons/{ani.pk}").json()["given_name"] == "Anahit"
    assert [c["id"] for c in api.get("/api/v1/rights/corrections").json()] == [correction["id"]]
    assert outsider.get("/api/v1/rights/corrections").json() == []


def test_the_pages_record_and_decide_a_correction(alice, ani, migration_service):
    web = client_for(alice)
    household_page = web.get(f"/households/{ani.household.reference}/").content.decode()
    assert f"/rights/persons/{ani.pk}/correction/" in household_page
    response = web.post(
        f"/rights/persons/{ani.pk}/correction/",
        {
            "field": "family_name",
            "value_asked": "Sarkisyan",
            "statement": "Spelt as in my Russian passport",
            "channel": "written",
            "received_on": "2025-01-15",
        },
        follow=True,
    )
    request = CorrectionRequest.objects.get()
    assert "Sarkisyan" in response.content.decode()
    refused = web.post(
        f"/rights/corrections/{request.pk}/", {"decision": "refuse", "reason": ""}, follow=True
    )
    assert refused.status_code == 200
    request.refresh_from_db()
    assert request.pending  # no reason given: nothing decided
    web.post(f"/rights/corrections/{request.pk}/", {"decision": "accept"}, follow=True)
    ani.refresh_from_db()
    assert ani.family_name == "Sarkisyan"
    assert "Accepted: the record was corrected" in web.get("/rights/").content.decode()

    dpo = client_for(dpo_of(migration_service))
    assert dpo.get(f"/rights/corrections/{request.pk}/").status_code == 200
    assert dpo.post(f"/rights/corrections/{request.pk}/", {"decision": "accept"}).status_code == 403
    planner = client_for(account(migration_service, Role.PLANNER, "planner"))
    assert planner.get(f"/rights/corrections/{request.pk}/").status_code == 403
