import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from homeward.access import sharing
from homeward.access.models import Consent
from homeward.audit.models import AuditEvent
from homeward.people.models import Person
from homeward.people.selectors import search_persons
from homeward.people.validation import FieldProblem
from homeward.rights import retention, services
from homeward.rights.anonymisation import ANONYMISED
from homeward.rights.models import Anonymisation, ErasureRequest
from tests.clients import client_for, token_client_for
from tests.rights.helpers import dpo_of, family


@pytest.fixture
def dpo(migration_service):
    return dpo_of(migration_service)


def ask(caller, person):
    return services.record_erasure_request(
        caller=caller,
        person=person,
        statement="I do not want to be on any list.",
        channel="in_person",
    )


def test_erasure_anonymises_the_person_and_keeps_the_request(alice, dpo, gazetteer):
    (ani,) = family(alice)
    sharing.record_consent(
        caller=alice, person=ani, purpose="visit_planning", given=True, method="verbal"
    )
    request = ask(alice, ani)
    services.erase_on_request(caller=dpo, request=request, note="no rule keeps her data")

    ani.refresh_from_db()
    assert (ani.given_name, ani.family_name, ani.patronymic) == (ANONYMISED, ANONYMISED, "")
    assert (ani.given_key, ani.family_key, ani.patronymic_key, ani.name_latin) == ("",) * 4
    assert (ani.birth_year, ani.birth_month, ani.birth_day) == (1980, None, None)
    assert ani.vulnerabilities == [] and ani.sex == "F"
    household = ani.household
    household.refresh_from_db()
    assert (household.phone, household.phone_lookup) == ("", "")
    assert (household.origin_address, household.host_address, household.shelter) == ("", "", None)
    assert household.origin_settlement.slug == "stepanakert"  # kept for aggregate figures
    assert not Consent.objects.filter(person=ani, withdrawn_at__isnull=True).exists()
    assert search_persons(alice, "Sargsyan").total == 0

    request.refresh_from_db()
    assert request.status == "erased" and request.decided_by == dpo.user
    assert request.person_id == ani.pk and request.recorded_by == alice.user
    assert request.statement == "" and request.text_cleared_at is not None
    assert request.reason == "no rule keeps her data"
    assert Anonymisation.objects.filter(person=ani, erasure_request=request).exists()
    erased = AuditEvent.objects.get(action="rights.erasure.erase")
    assert erased.details["household_contact_data_cleared"] is True
    # The audit log holds no name, and its chain still verifies.
    logged = json.dumps(list(AuditEvent.objects.values("details", "reason")), ensure_ascii=False)
    assert "Sargsyan" not in logged and "any list" not in logged
    call_command("audit", "verify")


def test_erasing_one_member_keeps_the_households_contact_data(alice, dpo, gazetteer):
    ani, aram = family(alice, members=("Ani", "Aram"))
    services.erase_on_request(caller=dpo, request=ask(alice, ani))
    aram.refresh_from_db()
    aram.household.refresh_from_db()
    assert aram.given_name == "Aram" and aram.household.phone == "+374 97 123456"
    services.erase_on_request(caller=dpo, request=ask(alice, aram))
    aram.household.refresh_from_db()
    assert aram.household.phone == ""


def test_kept_on_request_names_the_retention_rule_and_changes_nothing(alice, dpo, gazetteer):
    (ani,) = family(alice)
    request = services.keep_on_request(
        caller=dpo,
        request=ask(alice, ani),
        retention_rule="registry.legal_claim",
        note="her property claim is being heard",
    )
    ani.refresh_from_db()
    assert ani.given_name == "Ani" and ani.vulnerabilities == ["disability"]
    assert request.status == "kept" and request.retention_rule == "registry.legal_claim"
    assert request.statement == "I do not want to be on any list."
    event = AuditEvent.objects.get(action="rights.erasure.keep")
    assert event.details["retention_rule"] == "registry.legal_claim"
    page = client_for(dpo).get(f"/rights/erasures/{request.pk}/").content.decode()
    assert "registry.legal_claim" in page and "legal claim" in page


def test_keeping_needs_a_rule_that_keeps_this_person(alice, dpo, gazetteer):
    (ani,) = family(alice)
    request = ask(alice, ani)
    for rule in ("", "access.sessions", "no.such.rule"):
        with pytest.raises(FieldProblem):
            services.keep_on_request(caller=dpo, request=request, retention_rule=rule)
    request.refresh_from_db()
    assert request.pending


@pytest.fixture
def crossing_rule(monkeypatch):
    """A rule as the visits app would add: people with a crossing record are kept."""
    rule = retention.RetentionRule(
        key="visits.crossings",
        record="Visit and crossing records",
        kept="10 years after the crossing",
        then="anonymised",
        reason="accountability of escorted crossings",
        holds=lambda persons, now: persons.filter(given_name="Gayane"),
    )
    monkeypatch.setattr(retention, "RULES", [*retention.RULES, rule])
    return rule


def test_a_rule_that_holds_the_person_refuses_erasure_and_is_named(
    alice, dpo, gazetteer, crossing_rule
):
    (gayane,) = family(alice, members=("Gayane",))
    request = ask(alice, gayane)
    with pytest.raises(FieldProblem, match="visits.crossings"):
        services.erase_on_request(caller=dpo, request=request)
    gayane.refresh_from_db()
    assert gayane.family_name == "Sargsyan"
    page = client_for(dpo).get(f"/rights/erasures/{request.pk}/").content.decode()
    assert "visits.crossings" in page
    kept = services.keep_on_request(caller=dpo, request=request, retention_rule="visits.crossings")
    assert kept.status == "kept"


def test_who_may_decide_an_erasure(alice, charlie, dpo, other_organisation, gazetteer):
    (ani,) = family(alice)
    request = ask(alice, ani)
    with pytest.raises(PermissionDenied):
        services.erase_on_request(caller=alice, request=request)  # caseworkers do not erase
    with pytest.raises(ErasureRequest.DoesNotExist):
        services.erase_on_request(caller=dpo_of(other_organisation, "other-dpo"), request=request)
    with pytest.raises(Person.DoesNotExist):
        ask(charlie, ani)
    ani.refresh_from_db()
    assert ani.given_name == "Ani"


def test_the_api_records_and_decides_an_erasure(alice, dpo, other_organisation, gazetteer):
    (ani,) = family(alice)
    created = token_client_for(alice).post(
        f"/api/v1/rights/persons/{ani.pk}/erasures",
        {"channel": "message", "statement": "Please delete me"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/rights/erasures/{created.json()['id']}"
    other = token_client_for(dpo_of(other_organisation, "other-dpo"))
    assert other.get(url).status_code == 404
    assert (
        token_client_for(alice)
        .post(f"{url}/decision", {"erase": True}, content_type="application/json")
        .status_code
        == 403
    )
    decided = token_client_for(dpo).post(
        f"{url}/decision", {"erase": True}, content_type="application/json"
    )
    assert decided.status_code == 201
    assert decided.json()["status"] == "erased" and decided.json()["statement"] == ""
    again = token_client_for(dpo).post(
        f"{url}/decision", {"erase": True}, content_type="application/json"
    )
    assert again.status_code == 422
    assert (
        token_client_for(alice)
        .post(
            f"/api/v1/rights/persons/{ani.pk}/erasures",
            {"channel": "message"},
            content_type="application/json",
        )
        .status_code
        == 422
    )  # nothing is held about an anonymised person any more


def test_the_pages_record_and_decide_an_erasure(alice, dpo, gazetteer):
    (ani,) = family(alice)
    web = client_for(alice)
    web.post(
        f"/rights/persons/{ani.pk}/erasure/",
        {"statement": "", "channel": "phone", "received_on": "2025-03-01"},
    )
    request = ErasureRequest.objects.get()
    assert "Erase: anonymise" not in web.get(f"/rights/erasures/{request.pk}/").content.decode()
    response = client_for(dpo).post(
        f"/rights/erasures/{request.pk}/", {"decision": "erase", "note": ""}, follow=True
    )
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == "erased"
    assert "Erased" in client_for(dpo).get("/rights/").content.decode()
