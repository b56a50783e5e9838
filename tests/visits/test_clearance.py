"""Clearance by the authorities of the area of return: what they see, decide, and the appeal.

The Migration Service (alice, bob) shares its manifests for clearance with the Return
Authority (olga, its clearance officer) under an agreement both DPOs approved. The Other NGO
(charlie) has no agreement, and a second authority (pavel) has none either.
"""

import datetime
import itertools
import json

import pytest
from django.utils import timezone

from homeward.access import sharing
from homeward.access.caller import caller_for
from homeward.access.models import Organisation, SharingAgreement
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account
from homeward.audit.models import AuditEvent
from homeward.messaging.models import Message
from homeward.people import services as people
from homeward.people.validation import FieldProblem
from homeward.places.models import Route, Shelter
from homeward.visits import clearance
from homeward.visits import services as visits
from homeward.visits.models import Convoy, Traveller, VisitRequest
from tests.clients import PASSWORD, client_for, token_client_for

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
PHONE = "+374 93 517284"
HOST_ADDRESS = "Apt 41, 9 Komitas Avenue"
PATRONYMIC = "Vardanovich"
_accounts = itertools.count()


def account(organisation, role, name):
    return caller_for(
        create_staff_account(
            username=f"{name}-{next(_accounts)}",
            password=PASSWORD,
            organisation=organisation,
            role=role,
        ).user
    )


@pytest.fixture
def authority(db):
    return create_organisation(
        slug="return-authority",
        name="Return Authority",
        kind=Organisation.Kind.HOME_AUTHORITY,
    )


@pytest.fixture
def olga(authority):
    return account(authority, Role.CLEARANCE_OFFICER, "olga")


@pytest.fixture
def pavel(db):
    second = create_organisation(
        slug="second-authority", name="Second Authority", kind=Organisation.Kind.HOME_AUTHORITY
    )
    return account(second, Role.CLEARANCE_OFFICER, "pavel")


def share_for_clearance(provider, recipient, fields=("given_name", "family_name", "birth_year")):
    agreement = sharing.propose_agreement(
        caller=account(provider, Role.DATA_PROTECTION_OFFICER, f"dpo-{provider.slug}"),
        recipient=recipient,
        purpose="visit_clearance",
        fields=list(fields),
        starts_on=TODAY - datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=90),
    )
    sharing.approve_agreement(
        caller=account(recipient, Role.DATA_PROTECTION_OFFICER, f"dpo-{recipient.slug}"),
        agreement=agreement,
    )
    return agreement


@pytest.fixture
def agreement(migration_service, authority):
    return share_for_clearance(migration_service, authority)


@pytest.fixture
def lachin_convoy(migration_service, capacity):
    return Convoy.objects.create(
        organisation=migration_service,
        date=TOMORROW,
        number=1,
        route=Route.objects.get(slug="lachin-road"),
    )


def put_on(visit, convoy):
    # Test setup: the seat itself is the planner's business (tests of confirm_seat).
    visit.convoy, visit.status = convoy, VisitRequest.Status.PLANNED
    visit.save(update_fields=["convoy", "status"])
    return visit


@pytest.fixture
def karen(alice, shushi, lachin_convoy):
    """A traveller whose record holds everything the authority must never see."""
    household = people.register_household(
        caller=alice,
        origin_settlement=shushi,
        phone=PHONE,
        host_address=HOST_ADDRESS,
        shelter=Shelter.objects.order_by("code").first(),
    )
    person = people.add_person(
        caller=alice,
        household=household,
        given_name="Karen",
        family_name="Mirzoyan",
        patronymic=PATRONYMIC,
        birth_date="1975-03-14",
        vulnerabilities=["chronic_illness"],
    )
    visit = visits.request_visit(
        caller=alice,
        household=household,
        travellers=[person],
        purposes=["belongings"],
        earliest=TOMORROW,
        language="ru",
        clearance_consent_method="written",
    )
    put_on(visit, lachin_convoy)
    return visit.travellers.get()


@pytest.fixture
def silent(alice, shushi, lachin_convoy):
    """On the same convoy, a traveller who did not consent to clearance."""
    household = people.register_household(caller=alice, origin_settlement=shushi)
    person = people.add_person(
        caller=alice, household=household, given_name="Narine", family_name="Hakobyan"
    )
    visit = visits.request_visit(
        caller=alice,
        household=household,
        travellers=[person],
        purposes=["graves"],
        earliest=TOMORROW,
    )
    put_on(visit, lachin_convoy)
    return visit.travellers.get()


@pytest.fixture
def elsewhere(charlie, other_organisation, shushi, gazetteer):
    """A consenting traveller of an organisation with no clearance agreement."""
    household = people.register_household(caller=charlie, origin_settlement=shushi)
    person = people.add_person(
        caller=charlie, household=household, given_name="Gohar", family_name="Arakelyan"
    )
    visit = visits.request_visit(
        caller=charlie,
        household=household,
        travellers=[person],
        purposes=["belongings"],
        earliest=TOMORROW,
        clearance_consent_method="verbal",
    )
    convoy = Convoy.objects.create(
        organisation=other_organisation,
        date=TOMORROW,
        number=1,
        route=Route.objects.get(slug="lachin-road"),
    )
    put_on(visit, convoy)
    return visit.travellers.get()


def names_seen(officer):
    return [
        (entry.given_name, entry.family_name)
        for manifest in clearance.clearance_manifests(officer)
        for entry in manifest.entries
    ]


def test_the_authority_view_of_a_manifest_holds_nothing_beyond_the_minimum(
    olga, agreement, karen, silent, elsewhere, lachin_convoy
):
    household = karen.request.household
    shelter = household.shelter
    forbidden = [
        PHONE,
        "517284",
        HOST_ADDRESS,
        "Komitas",
        PATRONYMIC,
        "chronic_illness",
        "Chronic illness",
        shelter.code,
        shelter.name_en,
        household.reference,
        # Nobody else: the non-consenting traveller, the provider without an agreement.
        "Narine",
        "Hakobyan",
        "Gohar",
        "Arakelyan",
    ]
    page_list = client_for(olga).get("/visits/clearance/").content.decode()
    page = client_for(olga).get(f"/visits/clearance/convoys/{lachin_convoy.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    api = token_client_for(olga).get("/api/v1/visits/clearance/convoys")
    assert api.status_code == 200
    body = json.dumps(api.json(), ensure_ascii=False)
    for shown in (html, body):
        assert "Karen" in shown and "Mirzoyan" in shown and "1975" in shown
        assert "Shushi" in shown and "Шуша" in shown  # the destination, with all its names
    for shown in (page_list, html, body):
        leaked = [value for value in forbidden if value in shown]
        assert leaked == []
    (convoy,) = json.loads(body)
    assert convoy["date"] == TOMORROW.isoformat() and convoy["number"] == 1
    assert convoy["route"] == "lachin-road"
    (traveller,) = convoy["travellers"]
    assert set(traveller) == {
        "id",
        "given_name",
        "family_name",
        "birth_year",
        "destination",
        "clearance",
        "refusal_reason",
        "note",
        "appeal_grounds",
        "final",
    }
    assert traveller["birth_year"] == 1975
    assert traveller["clearance"] == "pending"


def test_an_agreement_stored_wider_still_shows_only_the_minimum(
    olga, migration_service, authority, karen, lachin_convoy
):
    # As an agreement proposed before the rule would be: the service refuses one now.
    agreement = share_for_clearance(migration_service, authority)
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        fields=["given_name", "family_name", "patronymic", "birth_year", "phone", "household"]
    )
    body = token_client_for(olga).get("/api/v1/visits/clearance/convoys").content.decode()
    page = client_for(olga).get(f"/visits/clearance/convoys/{lachin_convoy.pk}/").content.decode()
    for shown in (body, page):
        assert "Karen" in shown
        leaked = [
            v for v in (PATRONYMIC, "517284", karen.request.household.reference) if v in shown
        ]
        assert leaked == []
    (convoy,) = json.loads(body)
    assert "patronymic" not in convoy["travellers"][0]


def test_an_agreement_for_clearance_naming_the_patronymic_is_refused(migration_service, authority):
    with pytest.raises(FieldProblem, match="patronymic"):
        share_for_clearance(
            migration_service, authority, fields=["given_name", "family_name", "patronymic"]
        )
    assert not SharingAgreement.objects.exists()


# --- the sharing read for the clearance purpose ------------------------------------------------

RECEIVED = "/api/v1/sharing/received?purpose=visit_clearance"


def minimum_of(traveller, convoy):
    return {
        "provider": "migration-service",
        "given_name": traveller.person.given_name,
        "family_name": traveller.person.family_name,
        "birth_year": traveller.person.birth_year,
        "destination": traveller.request.destination.slug,
        "convoy": convoy.code,
    }


def test_the_sharing_read_for_clearance_holds_the_minimum_whatever_the_agreement_says(
    alice, olga, agreement, karen, silent, elsewhere, lachin_convoy
):
    SharingAgreement.objects.filter(pk=agreement.pk).update(
        fields=["given_name", "family_name", "birth_year", "phone", "vulnerabilities", "household"]
    )
    # Consenting but on no convoy: nothing of a manifest to clear.
    household = people.register_household(caller=alice, phone="+374 93 000111")
    waiting = people.add_person(
        caller=alice, household=household, given_name="Armen", family_name="Vardanyan"
    )
    sharing.record_consent(
        caller=alice, person=waiting, purpose="visit_clearance", given=True, method="verbal"
    )
    response = token_client_for(olga).get(RECEIVED)
    assert response.status_code == 200
    assert response.json() == [minimum_of(karen, lachin_convoy)]
    page = client_for(olga).get("/sharing/received/?purpose=visit_clearance")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Karen" in html and "Mirzoyan" in html and "1975" in html
    assert lachin_convoy.code in html
    leaked = [
        v
        for v in (PHONE, "517284", PATRONYMIC, "chronic_illness", "Narine", "Gohar", "Armen")
        if v in html
    ]
    assert leaked == []


def test_the_sharing_read_for_clearance_ends_when_the_convoy_returns(
    olga, agreement, karen, lachin_convoy
):
    client = token_client_for(olga)
    assert client.get(RECEIVED).json() == [minimum_of(karen, lachin_convoy)]
    Convoy.objects.filter(pk=lachin_convoy.pk).update(status=Convoy.Status.DEPARTED)
    VisitRequest.objects.filter(pk=karen.request_id).update(status=VisitRequest.Status.TRAVELLED)
    assert client.get(RECEIVED).json() == [minimum_of(karen, lachin_convoy)]
    Convoy.objects.filter(pk=lachin_convoy.pk).update(
        status=Convoy.Status.RETURNED, returned_at=timezone.now()
    )
    assert client.get(RECEIVED).json() == []
    html = client_for(olga).get("/sharing/received/?purpose=visit_clearance").content.decode()
    assert "Karen" not in html


def test_the_clearance_officer_lands_on_the_clearance_purpose(olga, agreement, karen):
    page = client_for(olga).get("/sharing/received/")
    assert page.status_code == 200
    assert "Karen" in page.content.decode()
    # The other purposes are not the clearance officer's to read.
    other = client_for(olga).get("/sharing/received/?purpose=visit_planning")
    assert other.status_code == 403


def test_a_caseworker_cannot_read_what_was_shared_for_clearance(
    migration_service, charlie, other_organisation, karen
):
    share_for_clearance(migration_service, other_organisation)
    response = token_client_for(charlie).get(RECEIVED)
    assert response.status_code == 403
    assert client_for(charlie).get("/sharing/received/?purpose=visit_clearance").status_code == 403


def test_nothing_is_seen_without_an_agreement_in_force(olga, pavel, migration_service, karen):
    assert names_seen(olga) == []
    agreement = share_for_clearance(migration_service, olga.organisation)
    assert names_seen(olga) == [("Karen", "Mirzoyan")]
    assert names_seen(pavel) == []
    sharing.end_agreement(
        caller=account(migration_service, Role.DATA_PROTECTION_OFFICER, "dpo-ends"),
        agreement=agreement,
    )
    assert names_seen(olga) == []


def test_withdrawing_consent_removes_the_traveller_at_once(alice, olga, agreement, karen):
    assert names_seen(olga) == [("Karen", "Mirzoyan")]
    sharing.withdraw_consent(caller=alice, person=karen.person, purpose="visit_clearance")
    assert names_seen(olga) == []
    response = token_client_for(olga).post(
        f"/api/v1/visits/clearance/entries/{karen.pk}/decision",
        {"decision": "clear"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_another_authority_without_an_agreement_gets_404(pavel, agreement, karen, lachin_convoy):
    client = token_client_for(pavel)
    response = client.post(
        f"/api/v1/visits/clearance/entries/{karen.pk}/decision",
        {"decision": "refuse", "reason": "security_objection"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get("/api/v1/visits/clearance/convoys").json() == []
    page = client_for(pavel).get(f"/visits/clearance/convoys/{lachin_convoy.pk}/")
    assert page.status_code == 404
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.PENDING


def test_clearing_a_traveller_is_recorded_and_audited(olga, agreement, karen):
    response = token_client_for(olga).post(
        f"/api/v1/visits/clearance/entries/{karen.pk}/decision",
        {"decision": "clear"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["clearance"] == "cleared" and response.json()["final"] is True
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.CLEARED
    event = AuditEvent.objects.get(action="visits.clearance.clear")
    assert event.organisation == olga.organisation
    assert event.details["to"] == "cleared"
    with pytest.raises(FieldProblem):
        clearance.decide_clearance(
            caller=olga, traveller_id=karen.pk, decision="refuse", reason="documents_missing"
        )


def test_a_refusal_needs_a_reason_and_a_note_for_other(olga, agreement, karen):
    with pytest.raises(FieldProblem) as problem:
        clearance.decide_clearance(caller=olga, traveller_id=karen.pk, decision="refuse")
    assert problem.value.field == "reason"
    with pytest.raises(FieldProblem) as problem:
        clearance.decide_clearance(
            caller=olga, traveller_id=karen.pk, decision="refuse", reason="other"
        )
    assert problem.value.field == "note"
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.PENDING


def test_a_refusal_is_told_to_the_household_and_shown_to_the_caseworker(
    settings, tmp_path, alice, olga, agreement, karen, django_capture_on_commit_callbacks
):
    settings.HOMEWARD_MESSAGE_BACKEND = "homeward.messaging.backends.FileBackend"
    settings.HOMEWARD_OUTBOX_DIR = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):  # the message leaves on commit
        page = client_for(olga).post(
            f"/visits/clearance/entries/{karen.pk}/decide/",
            {"decision": "refuse", "reason": "documents_missing", "note": "passport expired"},
        )
    assert page.status_code == 302
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.REFUSED
    assert karen.refusal_reason == "documents_missing"
    message = Message.objects.get(topic=clearance.TOPIC, about_id=karen.request_id)
    assert message.status == Message.Status.SENT
    assert message.address == PHONE and message.language == "ru"
    (line,) = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    sent = json.loads(line)
    assert sent["to"] == PHONE
    assert karen.request.reference in sent["body"]
    assert any("а" <= c <= "я" for c in sent["body"])  # the date, at least, is in Russian
    # The audit row says what was decided, not what the household was told.
    event = AuditEvent.objects.get(action="visits.clearance.refuse")
    assert "Karen" not in json.dumps(event.details) and PHONE not in json.dumps(event.details)
    # The authority's note stays on the traveller, where erasure reaches it, not in the log.
    assert event.reason == "" and event.details["note_given"] is True
    karen.refresh_from_db()
    assert karen.clearance_note == "passport expired"
    # The caseworker sees it on the request's page and in the list of refusals.
    client = client_for(alice)
    detail = client.get(f"/visits/requests/{karen.request.reference}/")
    assert detail.status_code == 200
    assert "Documents missing" in detail.content.decode()
    refusals = client.get("/visits/clearance/refusals/").content.decode()
    assert (
        "Karen" in refusals and "Documents missing" in refusals and "passport expired" in refusals
    )


def test_an_appeal_then_clearance(alice, olga, agreement, karen):
    clearance.decide_clearance(
        caller=olga, traveller_id=karen.pk, decision="refuse", reason="identity_not_verified"
    )
    response = token_client_for(alice).post(
        f"/api/v1/visits/clearance/refusals/{karen.pk}/appeal",
        {"grounds": "Her identity card was shown to the escort; a copy is attached."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["clearance"] == "appealed"
    assert AuditEvent.objects.filter(action="visits.clearance.appeal").count() == 1
    # The authority sees the appeal and decides again.
    (manifest,) = clearance.clearance_manifests(olga)
    (entry,) = manifest.entries
    assert entry.clearance == "appealed" and "identity card" in entry.appeal_grounds
    clearance.decide_clearance(caller=olga, traveller_id=karen.pk, decision="clear")
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.CLEARED
    event = AuditEvent.objects.get(action="visits.clearance.clear")
    assert event.details["on_appeal"] is True
    # Cleared on appeal: the household is told that too.
    assert Message.objects.filter(topic=clearance.TOPIC, about_id=karen.request_id).count() == 2


def test_the_decision_on_an_appeal_is_final(alice, olga, agreement, karen):
    clearance.decide_clearance(
        caller=olga, traveller_id=karen.pk, decision="refuse", reason="security_objection"
    )
    clearance.lodge_appeal(caller=alice, traveller_id=karen.pk, grounds="No known objection.")
    with pytest.raises(FieldProblem):
        clearance.lodge_appeal(caller=alice, traveller_id=karen.pk, grounds="Again.")
    clearance.decide_clearance(
        caller=olga, traveller_id=karen.pk, decision="refuse", reason="security_objection"
    )
    with pytest.raises(FieldProblem):
        clearance.lodge_appeal(caller=alice, traveller_id=karen.pk, grounds="Once more.")
    with pytest.raises(FieldProblem):
        clearance.decide_clearance(caller=olga, traveller_id=karen.pk, decision="clear")
    karen.refresh_from_db()
    assert karen.clearance == Traveller.Clearance.REFUSED


def test_only_the_owning_organisation_appeals(charlie, olga, agreement, karen):
    clearance.decide_clearance(
        caller=olga, traveller_id=karen.pk, decision="refuse", reason="documents_missing"
    )
    response = token_client_for(charlie).post(
        f"/api/v1/visits/clearance/refusals/{karen.pk}/appeal",
        {"grounds": "Not ours to appeal."},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert (
        client_for(charlie).get(f"/visits/clearance/refusals/{karen.pk}/appeal/").status_code == 404
    )
    assert token_client_for(charlie).get("/api/v1/visits/clearance/refusals").json() == []


def test_the_access_request_export_names_the_authority_after_it_read_the_manifest(
    migration_service, olga, agreement, karen
):
    dpo = account(migration_service, Role.DATA_PROTECTION_OFFICER, "ms-dpo-export")
    url = f"/api/v1/persons/{karen.person_id}/everything"
    before = token_client_for(dpo).get(url).json()
    assert before["shared_with"] == []
    client_for(olga).get("/visits/clearance/")
    after = token_client_for(dpo).get(url).json()
    assert [(s["to"], s["purpose"]) for s in after["shared_with"]] == [
        ("return-authority", "visit_clearance")
    ]


def test_the_authority_view_costs_the_same_for_many_travellers(
    alice, olga, agreement, karen, shushi, lachin_convoy, django_assert_max_num_queries
):
    for name in ("Arev", "Gayane", "Levon", "Mher", "Nune"):
        household = people.register_household(caller=alice, origin_settlement=shushi)
        person = people.add_person(
            caller=alice, household=household, given_name=name, family_name="Sahakyan"
        )
        put_on(
            visits.request_visit(
                caller=alice,
                household=household,
                travellers=[person],
                purposes=["belongings"],
                earliest=TOMORROW,
                clearance_consent_method="verbal",
            ),
            lachin_convoy,
        )
    with django_assert_max_num_queries(12):
        assert len(names_seen(olga)) == 6


def test_an_appeal_after_the_convoy_left_is_refused_rather_than_lost(alice, visit):
    traveller = visit.travellers.first()
    convoy = Convoy.objects.create(
        organisation=visit.organisation,
        date=visit.earliest,
        number=1,
        route=Route.objects.get(slug="lachin-road"),
        status=Convoy.Status.DEPARTED,
    )
    type(visit).objects.filter(pk=visit.pk).update(convoy=convoy)
    Traveller.objects.filter(pk=traveller.pk).update(clearance=Traveller.Clearance.REFUSED)
    with pytest.raises(FieldProblem, match="taken place"):
        clearance.lodge_appeal(caller=alice, traveller_id=traveller.pk, grounds="Please")
