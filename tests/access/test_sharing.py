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
