import datetime

import pytest
from django.utils import timezone

from homeward.access import sharing
from homeward.access.caller import caller_for
from homeward.access.roles import Role
from homeward.access.services import create_staff_account
from homeward.audit.models import AuditEvent
from homeward.people import services
from tests.clients import PASSWORD, client_for, token_client_for

TODAY = timezone.localdate()


def account(organisation, role, name):
    return caller_for(
        create_staff_account(
            username=name, password=PASSWORD, organisation=organisation, role=role
        ).user
    )


@pytest.fixture
def parties(alice, migration_service, other_organisation, gazetteer):
    household = services.register_household(caller=alice, phone="+374 97 123456")
    ani = services.add_person(
        caller=alice,
        household=household,
        given_name="Ani",
        family_name="Sargsyan",
        birth_date="1980-02-03",
        vulnerabilities=["disability"],
    )
    aram = services.add_person(
        caller=alice, household=household, given_name="Aram", family_name="Sargsyan"
    )
    return {
        "ani": ani,
        "aram": aram,
        "provider_dpo": account(migration_service, Role.DATA_PROTECTION_OFFICER, "ms-dpo"),
        "recipient_dpo": account(other_organisation, Role.DATA_PROTECTION_OFFICER, "ngo-dpo"),
        "recipient_planner": account(other_organisation, Role.PLANNER, "ngo-planner"),
        "recipient": other_organisation,
    }


def agree(
    parties, *, approve=True, fields=("given_name", "family_name", "birth_year"), ends_on=None
):
    agreement = sharing.propose_agreement(
        caller=parties["provider_dpo"],
        recipient=parties["recipient"],
        purpose="visit_planning",
        fields=list(fields),
        starts_on=TODAY,
        ends_on=ends_on or TODAY + datetime.timedelta(days=90),
    )
    if approve:
        sharing.approve_agreement(caller=parties["recipient_dpo"], agreement=agreement)
    return agreement


def received(parties):
    return sharing.shared_with(parties["recipient_planner"], "visit_planning")


def test_nothing_passes_without_an_agreement_even_with_consent(alice, parties):
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="verbal"
    )
    assert received(parties) == []


def test_nothing_passes_until_the_recipients_dpo_approves(alice, parties):
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="verbal"
    )
    agreement = agree(parties, approve=False)
    assert received(parties) == []
    sharing.approve_agreement(caller=parties["recipient_dpo"], agreement=agreement)
    assert [r["given_name"] for r in received(parties)] == ["Ani"]


def test_only_consenting_people_and_only_the_agreed_fields(alice, parties):
    agree(parties)
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="written"
    )
    sharing.record_consent(
        caller=alice, person=parties["aram"], purpose="visit_planning", given=False, method="verbal"
    )
    rows = received(parties)
    assert rows == [
        {
            "provider": "migration-service",
            "given_name": "Ani",
            "family_name": "Sargsyan",
            "birth_year": 1980,
        }
    ]


def test_consent_for_another_purpose_does_not_count(alice, parties):
    agree(parties)
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="monitoring", given=True, method="verbal"
    )
    assert received(parties) == []


def test_withdrawal_takes_effect_at_once(alice, parties):
    agree(parties)
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="verbal"
    )
    assert len(received(parties)) == 1
    sharing.withdraw_consent(caller=alice, person=parties["ani"], purpose="visit_planning")
    assert received(parties) == []


def test_an_agreement_out_of_its_dates_shares_nothing(alice, parties):
    agreement = agree(parties)
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="verbal"
    )
    assert (
        sharing.shared_with(
            parties["recipient_planner"],
            "visit_planning",
            today=agreement.ends_on + datetime.timedelta(days=1),
        )
        == []
    )


def test_registration_and_services_work_when_consent_is_no(alice, parties):
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=False, method="verbal"
    )
    person = services.update_person(caller=alice, person=parties["ani"], patronymic="Aramovna")
    assert person.patronymic == "Aramovna"
    assert services.add_person(
        caller=alice, household=parties["ani"].household, given_name="Lilit", family_name="Sargsyan"
    ).pk


def test_sharing_is_recorded_with_whom_and_for_what(alice, parties):
    agree(parties)
    sharing.record_consent(
        caller=alice, person=parties["ani"], purpose="visit_planning", given=True, method="verbal"
    )
    received(parties)
    event = AuditEvent.objects.filter(action="sharing.read").get()
    assert event.organisation == parties["recipient"]
    assert event.details == {
        "purpose": "visit_planning",
        "persons_by_provider": {"migration-service": [parties["ani"].pk]},
    }


def test_only_the_recipients_dpo_approves_and_only_dpos_propose(alice, parties):
    from django.core.exceptions import PermissionDenied

    agreement = agree(parties, approve=False)
    with pytest.raises(PermissionDenied):
        sharing.approve_agreement(caller=parties["provider_dpo"], agreement=agreement)
    with pytest.raises(PermissionDenied):
        sharing.propose_agreement(
            caller=alice,
            recipient=parties["recipient"],
            purpose="visit_planning",
            fields=["given_name"],
            starts_on=TODAY,
            ends_on=TODAY,
        )


def test_the_whole_flow_through_the_pages_and_the_api(alice, parties):
    provider = client_for(parties["provider_dpo"])
    page = provider.post(
        "/sharing/",
        {
            "recipient": parties["recipient"].pk,
            "purpose": "visit_planning",
            "fields": ["given_name", "family_name"],
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
        follow=True,
    ).content.decode()
    assert "Awaiting the recipient" in page
    agreement_id = (
        token_client_for(parties["recipient_dpo"]).get("/api/v1/sharing/agreements").json()[0]["id"]
    )
    approved = token_client_for(parties["recipient_dpo"]).post(
        f"/api/v1/sharing/agreements/{agreement_id}/approve"
    )
    assert approved.json()["approved"] is True
    client_for(alice).post(
        f"/sharing/consent/{parties['ani'].pk}/",
        {"purpose": "visit_planning", "given": "yes", "method": "verbal"},
    )
    shared = (
        client_for(parties["recipient_planner"])
        .get("/sharing/received/?purpose=visit_planning")
        .content.decode()
    )
    assert "Ani" in shared and "Aram" not in shared and "123456" not in shared
    api = token_client_for(parties["recipient_planner"]).get(
        "/api/v1/sharing/received", {"purpose": "visit_planning"}
    )
    assert api.json() == [
        {"provider": "migration-service", "given_name": "Ani", "family_name": "Sargsyan"}
    ]
    token_client_for(alice).delete(
        f"/api/v1/sharing/persons/{parties['ani'].pk}/consents/visit_planning"
    )
    assert (
        token_client_for(parties["recipient_planner"])
        .get("/api/v1/sharing/received", {"purpose": "visit_planning"})
        .json()
        == []
    )


# --- what an agreement may ask for ------------------------------------------------------------


@pytest.fixture
def authority_parties(parties):
    from homeward.access.models import Organisation
    from homeward.access.services import create_organisation

    authority = create_organisation(
        slug="return-authority", name="Return Authority", kind=Organisation.Kind.HOME_AUTHORITY
    )
    return {
        **parties,
        "recipient": authority,
        "recipient_dpo": account(authority, Role.DATA_PROTECTION_OFFICER, "authority-dpo"),
    }


def clearance_form(parties, fields, ends_on=None):
    return {
        "recipient": parties["recipient"].pk,
        "purpose": "visit_clearance",
        "fields": list(fields),
        "starts_on": TODAY.isoformat(),
        "ends_on": (ends_on or TODAY + datetime.timedelta(days=30)).isoformat(),
    }


def clearance_body(parties, fields, ends_on=None):
    return {**clearance_form(parties, fields, ends_on), "recipient": parties["recipient"].slug}


def test_a_clearance_agreement_asking_for_more_than_the_minimum_is_refused(authority_parties):
    from homeward.access.models import SharingAgreement
    from homeward.people.validation import FieldProblem

    with pytest.raises(FieldProblem) as problem:
        sharing.propose_agreement(
            caller=authority_parties["provider_dpo"],
            recipient=authority_parties["recipient"],
            purpose="visit_clearance",
            fields=["given_name", "family_name", "birth_year", "phone", "household"],
            starts_on=TODAY,
            ends_on=TODAY + datetime.timedelta(days=30),
        )
    assert problem.value.field == "fields"
    assert "phone" in problem.value.message and "household reference" in problem.value.message
    assert "given name" not in problem.value.message.split(":")[-1]
    assert not SharingAgreement.objects.exists()
    assert not AuditEvent.objects.filter(action="sharing.agreement.propose").exists()


def test_the_api_answers_422_naming_the_extra_fields_and_stores_nothing(authority_parties):
    from homeward.access.models import SharingAgreement

    response = token_client_for(authority_parties["provider_dpo"]).post(
        "/api/v1/sharing/agreements",
        clearance_body(authority_parties, ["given_name", "vulnerabilities", "patronymic"]),
        content_type="application/json",
    )
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["field"] == "fields"
    assert "vulnerabilities" in problem["message"] and "patronymic" in problem["message"]
    assert not SharingAgreement.objects.exists()


def test_the_page_shows_the_extra_fields_as_a_form_error_and_stores_nothing(authority_parties):
    from homeward.access.models import SharingAgreement

    response = client_for(authority_parties["provider_dpo"]).post(
        "/sharing/", clearance_form(authority_parties, ["given_name", "phone"])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["fields"]
    assert len(errors) == 1 and "phone" in errors[0]
    assert "errorlist" in response.content.decode()
    assert not SharingAgreement.objects.exists()


def test_a_clearance_agreement_may_name_the_origin_as_the_destination(authority_parties):
    agreement = sharing.propose_agreement(
        caller=authority_parties["provider_dpo"],
        recipient=authority_parties["recipient"],
        purpose="visit_clearance",
        fields=["given_name", "family_name", "birth_year", "origin"],
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
    )
    assert agreement.fields == ["birth_year", "family_name", "given_name", "origin"]


def test_other_purposes_still_share_what_their_agreement_names(parties):
    agreement = agree(parties, fields=("given_name", "phone", "vulnerabilities"))
    assert agreement.fields == ["given_name", "phone", "vulnerabilities"]


def test_a_clearance_agreement_stored_wider_cannot_be_approved(authority_parties):
    from homeward.access.models import SharingAgreement

    # As an agreement proposed before the rule would be: the service never stores one now.
    wide = SharingAgreement.objects.create(
        provider=authority_parties["provider_dpo"].organisation,
        recipient=authority_parties["recipient"],
        purpose="visit_clearance",
        fields=["given_name", "family_name", "phone"],
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=30),
        created_by=authority_parties["provider_dpo"].user,
        provider_approved_by=authority_parties["provider_dpo"].user,
        provider_approved_at=timezone.now(),
    )
    dpo = authority_parties["recipient_dpo"]
    response = token_client_for(dpo).post(f"/api/v1/sharing/agreements/{wide.pk}/approve")
    assert response.status_code == 422
    assert "phone" in response.json()["detail"][0]["message"]
    page = client_for(dpo).post(f"/sharing/{wide.pk}/approve/", follow=True).content.decode()
    assert "phone" in page and "Agreement approved." not in page
    wide.refresh_from_db()
    assert wide.recipient_approved_at is None


# --- how long an agreement lasts ---------------------------------------------------------------


def years_later(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def test_an_agreement_lasts_at_most_ten_years(parties):
    from homeward.access.models import SharingAgreement
    from homeward.people.validation import FieldProblem

    start = datetime.date(2026, 3, 1)
    longest = sharing.propose_agreement(
        caller=parties["provider_dpo"],
        recipient=parties["recipient"],
        purpose="visit_planning",
        fields=["given_name"],
        starts_on=start,
        ends_on=datetime.date(2036, 3, 1),
    )
    assert longest.ends_on == datetime.date(2036, 3, 1)
    with pytest.raises(FieldProblem) as problem:
        sharing.propose_agreement(
            caller=parties["provider_dpo"],
            recipient=parties["recipient"],
            purpose="visit_planning",
            fields=["given_name"],
            starts_on=start,
            ends_on=datetime.date(2036, 3, 2),
        )
    assert problem.value.field == "ends_on"
    assert "10 years" in problem.value.message and "2036-03-01" in problem.value.message
    assert SharingAgreement.objects.count() == 1


def test_the_api_and_the_page_refuse_an_agreement_longer_than_ten_years(parties):
    from homeward.access.models import SharingAgreement

    too_late = years_later(TODAY, 10) + datetime.timedelta(days=5)
    body = {
        "recipient": parties["recipient"].slug,
        "purpose": "visit_planning",
        "fields": ["given_name"],
        "starts_on": TODAY.isoformat(),
        "ends_on": too_late.isoformat(),
    }
    api = token_client_for(parties["provider_dpo"]).post(
        "/api/v1/sharing/agreements", body, content_type="application/json"
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["field"] == "ends_on"
    page = client_for(parties["provider_dpo"]).post(
        "/sharing/", {**body, "recipient": parties["recipient"].pk}
    )
    assert page.status_code == 200
    assert "10 years" in page.context["form"].errors["ends_on"][0]
    # Nor can one start late to run on: it ends within 10 years of today. At the far end of
    # the calendar that is an answer, not a server error.
    far = token_client_for(parties["provider_dpo"]).post(
        "/api/v1/sharing/agreements",
        {**body, "starts_on": "9995-01-01", "ends_on": "9999-12-31"},
        content_type="application/json",
    )
    assert far.status_code == 422
    assert far.json()["detail"][0]["field"] == "ends_on"
    assert not SharingAgreement.objects.exists()
