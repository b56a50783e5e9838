"""Telling households their date, convoy and meeting point, in the language of their request.

Messages go through the outbox and leave once the run's transaction commits: each test that
expects one delivered runs the change inside `delivered()`, which commits it (the commit
hooks run as they would after a real commit).
"""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.messaging.models import Message
from homeward.messaging.services import MAX_ATTEMPTS
from homeward.people import services as people
from homeward.places.models import Route
from homeward.visits import notifications
from homeward.visits import services as visits
from homeward.visits.models import Convoy, Traveller, VisitRequest
from tests.clients import client_for, token_client_for
from tests.messaging.backends import FAILING, FailingBackend

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def outbox(settings, tmp_path):
    settings.HOMEWARD_MESSAGE_BACKEND = "homeward.messaging.backends.FileBackend"
    settings.HOMEWARD_OUTBOX_DIR = str(tmp_path)
    return tmp_path / "outbox.jsonl"


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """A block whose change commits at its end, its messages then delivered."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def failing_gateway(settings):
    settings.HOMEWARD_MESSAGE_BACKEND = FAILING
    FailingBackend.calls = 0
    return FailingBackend


class Undone(Exception):
    """Something later in the same change failed, and the whole change rolled back."""


def sent_lines(outbox) -> list[dict]:
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]


def put_on(visit, convoy):
    # Test setup: the seat itself is the planner's business (tests of confirm_seat).
    visit.convoy, visit.status = convoy, VisitRequest.Status.PLANNED
    visit.save(update_fields=["convoy", "status"])
    return visit


def request_from(alice, shushi, *, language, phone, name):
    household = people.register_household(caller=alice, origin_settlement=shushi, phone=phone)
    person = people.add_person(
        caller=alice, household=household, given_name=name, family_name="Grigoryan"
    )
    return visits.request_visit(
        caller=alice,
        household=household,
        travellers=[person],
        purposes=["belongings"],
        earliest=TOMORROW,
        language=language,
    )


@pytest.fixture
def second_convoy(convoy_tomorrow, migration_service):
    return Convoy.objects.create(
        organisation=migration_service,
        date=convoy_tomorrow.date + datetime.timedelta(days=1),
        number=2,
        route=convoy_tomorrow.route,
    )


def test_households_are_told_in_the_language_of_their_request(
    outbox, delivered, alice, bob, shushi, capacity, convoy_tomorrow
):
    armenian = put_on(
        request_from(alice, shushi, language="hy", phone="+374 91 111111", name="Lilit"),
        convoy_tomorrow,
    )
    russian = put_on(
        request_from(alice, shushi, language="ru", phone="+374 91 222222", name="Anna"),
        convoy_tomorrow,
    )
    with delivered():
        run = notifications.notify_households(bob)
        assert sent_lines(outbox) == []  # nothing leaves before the change commits
    assert (run.sent, run.failed, run.moved) == (2, 0, 0)
    by_phone = {line["to"]: line for line in sent_lines(outbox)}
    hy, ru = by_phone["+374 91 111111"], by_phone["+374 91 222222"]
    assert hy["language"] == "hy" and ru["language"] == "ru"
    for line, visit in ((hy, armenian), (ru, russian)):
        assert visit.reference in line["body"]
        assert "Goris, bus station" in line["body"] and "06:30" in line["body"]
    # The date is written in each household's language and script.
    assert any("\u0531" <= c <= "\u058f" for c in hy["body"])  # Armenian
    assert any("\u0400" <= c <= "\u04ff" for c in ru["body"])  # Cyrillic
    assert not any("\u0400" <= c <= "\u04ff" for c in hy["body"])
    for visit in (armenian, russian):
        visit.refresh_from_db()
        assert visit.notified_convoy == convoy_tomorrow


def test_a_household_is_told_once_and_again_when_its_convoy_moves(
    outbox, delivered, alice, bob, shushi, capacity, convoy_tomorrow, second_convoy
):
    visit = put_on(
        request_from(alice, shushi, language="en", phone="+374 91 333333", name="Tigran"),
        convoy_tomorrow,
    )
    with delivered():
        notifications.notify_households(bob)
    with delivered():
        assert notifications.notify_households(bob).sent == 0
    assert len(sent_lines(outbox)) == 1
    put_on(visit, second_convoy)  # a replanning moved it
    with delivered():
        run = notifications.notify_households(bob)
    assert (run.sent, run.moved) == (1, 1)
    lines = sent_lines(outbox)
    assert len(lines) == 2 and "moved" in lines[-1]["body"]
    visit.refresh_from_db()
    assert visit.notified_convoy == second_convoy
    events = AuditEvent.objects.filter(action="visits.notify").order_by("sequence")
    assert [e.details["convoy"] for e in events] == [convoy_tomorrow.code, second_convoy.code]
    # No message text, name or phone in the log that can never be erased.
    for event in events:
        logged = json.dumps(event.details, ensure_ascii=False) + event.reason
        assert "Tigran" not in logged and "333333" not in logged and "Goris" not in logged


def test_a_household_without_a_phone_is_listed_not_reached_and_stays_to_notify(
    outbox, delivered, alice, bob, shushi, capacity, convoy_tomorrow
):
    visit = put_on(
        request_from(alice, shushi, language="hy", phone="", name="Hasmik"), convoy_tomorrow
    )
    with delivered():
        run = notifications.notify_households(bob)
    assert (run.sent, run.failed) == (0, 1)
    message = Message.objects.get(topic=notifications.TOPIC, about_id=visit.pk)
    assert message.status == Message.Status.NOT_DELIVERED
    assert "no phone" in message.last_error
    assert sent_lines(outbox) == []
    # Still to notify: the next run writes again, once someone has added a phone number.
    visit.refresh_from_db()
    assert visit.notified_convoy is None
    assert list(notifications.requests_to_notify(bob)) == [visit]
    page = client_for(bob).get("/visits/clearance/notify/").content.decode()
    assert "Grigoryan Hasmik" in page and visit.household.reference in page
    assert visit.reference in page and "no phone" in page


def test_a_failing_gateway_does_not_stop_the_run_and_the_household_is_listed_not_reached(
    failing_gateway, delivered, alice, bob, shushi, capacity, convoy_tomorrow
):
    visit = put_on(
        request_from(alice, shushi, language="ru", phone="+374 91 666666", name="Gayane"),
        convoy_tomorrow,
    )
    with delivered():
        response = client_for(bob).post("/visits/clearance/notify/", follow=True)

    # The run is done and its writes committed, whatever the gateway did afterwards.
    assert response.status_code == 200
    assert "Messages on their way to households: 1." in response.content.decode()
    assert AuditEvent.objects.filter(action="visits.notify", target_id=str(visit.pk)).exists()
    message = Message.objects.get(topic=notifications.TOPIC, about_id=visit.pk)
    assert message.status == Message.Status.NOT_DELIVERED
    assert message.attempts == MAX_ATTEMPTS == failing_gateway.calls
    page = client_for(bob).get("/visits/clearance/notify/").content.decode()
    assert "Grigoryan Gayane" in page and visit.household.reference in page
    assert "gateway timed out" in page and "666666" not in page
    assert list(notifications.requests_to_notify(bob)) == [visit]  # tried again next run


def test_the_page_counts_messages_still_on_their_way(
    settings, outbox, delivered, alice, bob, shushi, capacity, convoy_tomorrow
):
    # No worker yet: the messages wait in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    put_on(
        request_from(alice, shushi, language="hy", phone="+374 91 888888", name="Mariam"),
        convoy_tomorrow,
    )
    with delivered():
        assert notifications.notify_households(bob).sent == 1
    assert sent_lines(outbox) == []
    page = client_for(bob).get("/visits/clearance/notify/").content.decode()
    assert "Messages on their way (queued, or failed and to be tried again): 1" in page


def test_a_run_that_rolls_back_sends_nothing(
    outbox, delivered, alice, bob, shushi, capacity, convoy_tomorrow
):
    visit = put_on(
        request_from(alice, shushi, language="hy", phone="+374 91 777777", name="Narine"),
        convoy_tomorrow,
    )
    with delivered(), pytest.raises(Undone), transaction.atomic():
        assert notifications.notify_households(bob).sent == 1
        raise Undone

    assert sent_lines(outbox) == []
    assert not Message.objects.exists()
    visit.refresh_from_db()
    assert visit.notified_convoy is None


def test_nobody_left_to_travel_is_not_told_to_come(outbox, bob, visit, convoy_tomorrow, capacity):
    put_on(visit, convoy_tomorrow)
    visit.travellers.update(clearance=Traveller.Clearance.REFUSED)
    assert notifications.notify_households(bob).sent == 0


def test_planners_notify_from_the_page_and_the_api(
    outbox, delivered, alice, bob, charlie, shushi, capacity, convoy_tomorrow
):
    put_on(
        request_from(alice, shushi, language="ru", phone="+374 91 444444", name="Arpi"),
        convoy_tomorrow,
    )
    assert token_client_for(charlie).post("/api/v1/visits/notifications").status_code == 403
    with pytest.raises(PermissionDenied):
        notifications.notify_households(alice)
    page = client_for(bob).get("/visits/clearance/notify/")
    assert page.status_code == 200 and "1 household" in page.content.decode()
    # The page sends through a background job (run at once in tests) and shows its outcome.
    with delivered():
        response = client_for(bob).post("/visits/clearance/notify/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/visits/clearance/notify/runs/")
    page = response.content.decode()
    assert "Messages on their way to households: 1. Households that could not be reached: 0." in (
        page
    )
    assert len(sent_lines(outbox)) == 1
    response = token_client_for(bob).post("/api/v1/visits/notifications")
    assert response.status_code == 201
    assert response.json() == {"sent": 0, "failed": 0, "moved": 0}


def test_another_organisations_requests_are_not_notified(
    outbox, bob, charlie, other_organisation, shushi, capacity
):
    household = people.register_household(
        caller=charlie, origin_settlement=shushi, phone="+374 91 555555"
    )
    person = people.add_person(
        caller=charlie, household=household, given_name="Vahe", family_name="Petrosyan"
    )
    visit = visits.request_visit(
        caller=charlie,
        household=household,
        travellers=[person],
        purposes=["belongings"],
        earliest=TOMORROW,
    )
    convoy = Convoy.objects.create(
        organisation=other_organisation,
        date=TOMORROW,
        number=1,
        route=Route.objects.get(slug="lachin-road"),
    )
    put_on(visit, convoy)
    assert notifications.notify_households(bob).sent == 0
    assert sent_lines(outbox) == []


def test_a_refusal_not_delivered_is_listed_for_the_caseworker_with_the_reason(
    failing_gateway, delivered, alice, migration_service, visit, family, convoy_tomorrow
):
    from homeward.access import sharing
    from homeward.access.caller import caller_for
    from homeward.access.models import Organisation
    from homeward.access.roles import Role
    from homeward.access.services import create_organisation, create_staff_account
    from homeward.visits import clearance

    def account(organisation, role, name):
        return caller_for(
            create_staff_account(
                username=name, password="x" * 16, organisation=organisation, role=role
            ).user
        )

    authority = create_organisation(
        slug="return-authority", name="Return Authority", kind=Organisation.Kind.HOME_AUTHORITY
    )
    agreement = sharing.propose_agreement(
        caller=account(migration_service, Role.DATA_PROTECTION_OFFICER, "dpo-ms"),
        recipient=authority,
        purpose="visit_clearance",
        fields=["given_name", "family_name", "birth_year"],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    sharing.approve_agreement(
        caller=account(authority, Role.DATA_PROTECTION_OFFICER, "dpo-ra"), agreement=agreement
    )
    put_on(visit, convoy_tomorrow)
    karen = visit.travellers.get(person__given_name="Karen")
    olga = account(authority, Role.CLEARANCE_OFFICER, "olga")

    with delivered():
        refused = clearance.decide_clearance(
            caller=olga, traveller_id=karen.pk, decision="refuse", reason="documents_missing"
        )

    # The decision stands, whatever the gateway did after it committed.
    assert refused.clearance == Traveller.Clearance.REFUSED
    message = Message.objects.get(topic=clearance.TOPIC, about_id=visit.pk)
    assert message.status == Message.Status.NOT_DELIVERED
    assert message.attempts == MAX_ATTEMPTS
    household, _persons = family
    page = client_for(alice).get("/visits/clearance/refusals/").content.decode()
    assert "Households not told of a decision" in page
    assert "Avetisyan Siranush" in page and household.reference in page  # the head's name
    assert "gateway timed out" in page
