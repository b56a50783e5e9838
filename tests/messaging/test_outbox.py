"""The outbox: messages leave only after the change that wrote them commits, are retried
when the gateway fails, and end "not delivered" with the reason after the last attempt."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.messaging import services
from homeward.messaging.models import Message
from homeward.messaging.retention import MESSAGE_PERIOD
from homeward.people import services as people
from homeward.people.models import Person
from homeward.rights.anonymisation import anonymise_persons
from homeward.rights.retention import rule_named

PHONE = "+374 91 765432"


class Undone(Exception):
    """Something later in the same change failed, and the whole change rolled back."""


@pytest.fixture
def household(alice):
    household = people.register_household(caller=alice, phone=PHONE)
    people.add_person(
        caller=alice, household=household, given_name="Lusine", family_name="Sargsyan"
    )
    return household


def write(household, text="Homeward: your visit is on Tuesday. Request VR-TEST-0001."):
    return services.queue_message(
        organisation=household.organisation,
        household=household,
        text=text,
        language="hy",
        topic="tests.visit",
    )


def run_held(queue_held) -> None:
    """Run the delivery tasks held in the queue, in order, as a worker would."""
    while queue_held:
        result = queue_held.pop(0)
        result.task.call(*result.args, **result.kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_change_that_rolls_back_sends_nothing(recorder, household):
    with pytest.raises(Undone), transaction.atomic():
        write(household)
        raise Undone

    assert recorder == []
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_nothing_leaves_while_the_change_is_open(recorder, household):
    with transaction.atomic():
        message = write(household)
        # The change is still open: the family must not hear of it yet.
        assert recorder == []
        assert Message.objects.get(pk=message.pk).status == Message.Status.QUEUED

    (sent,) = recorder
    assert sent["to"] == PHONE and "VR-TEST-0001" in sent["body"]
    assert sent["in_transaction"] is False
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.sent_at is not None
    assert message.attempts == 1 and message.backend == "recording"
    assert AuditEvent.objects.filter(action="messaging.sent", target_id=str(message.pk)).exists()


def test_the_delivery_task_is_queued_only_when_the_change_commits(
    queue_held, recorder, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(household)
        assert queue_held == []
    assert len(queue_held) == 1
    run_held(queue_held)
    assert len(recorder) == 1


def test_a_failing_gateway_is_retried_after_growing_pauses_then_given_up(
    queue_held, failing_gateway, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = write(household)
    pauses = []
    for attempt in range(1, services.MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks(execute=True):
            run_held(queue_held)
        message.refresh_from_db()
        assert message.status == Message.Status.RETRYING and message.attempts == attempt
        assert "gateway timed out" in message.last_error
        (retry,) = queue_held
        # The worker picks the retry up only after a pause, longer after each failure.
        assert retry.task.run_after == message.next_attempt_at
        pauses.append(message.next_attempt_at - message.last_attempt_at)
    assert pauses == sorted(pauses) and len(set(pauses)) == len(pauses)

    with django_capture_on_commit_callbacks(execute=True):
        run_held(queue_held)

    message.refresh_from_db()
    assert message.status == Message.Status.NOT_DELIVERED
    assert message.attempts == services.MAX_ATTEMPTS == failing_gateway.calls
    assert message.sent_at is None and message.next_attempt_at is None
    assert queue_held == []  # given up: no further attempt
    # The reason is kept for the people following up, without the full phone number.
    assert message.last_error.startswith("gateway timed out") and PHONE not in message.last_error
    assert AuditEvent.objects.filter(action="messaging.not_delivered").count() == 1


def test_a_household_without_a_phone_is_not_delivered_at_once(
    queue_held, recorder, alice, django_capture_on_commit_callbacks
):
    household = people.register_household(caller=alice)
    with django_capture_on_commit_callbacks(execute=True):
        message = write(household)
    assert queue_held == [] and recorder == []
    assert message.status == Message.Status.NOT_DELIVERED
    assert message.last_error == services.NO_PHONE


def test_a_delivery_queued_twice_sends_once(
    queue_held, recorder, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = write(household)
    (task,) = queue_held
    task.task.call(*task.args)
    task.task.call(*task.args)  # the same task again: a retry of the queue, not of the message
    assert len(recorder) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_a_lost_delivery_is_queued_again(
    queue_held, recorder, household, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = write(household)
    queue_held.clear()  # the process stopped between the commit and the enqueue
    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue(now=later) == 1
    run_held(queue_held)
    assert len(recorder) == 1
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT


def test_anonymising_a_member_clears_the_households_messages(alice, household):
    message = write(household, text="Homeward: Lusine Sargsyan was not cleared to travel.")
    anonymise_persons(Person.objects.filter(household=household), at=timezone.now())
    message.refresh_from_db()
    assert message.text == "" and message.address == ""


def test_messages_are_deleted_a_year_after_they_were_written(household):
    old, recent = write(household), write(household)
    Message.objects.filter(pk=old.pk).update(
        queued_at=timezone.now() - MESSAGE_PERIOD - datetime.timedelta(days=1)
    )
    rule = rule_named("messaging.messages")
    expired = rule.expired(timezone.now())
    assert list(expired) == [Message.objects.get(pk=old.pk)]
    rule.end(expired, timezone.now())
    assert list(Message.objects.values_list("pk", flat=True)) == [recent.pk]
