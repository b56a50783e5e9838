"""Writing messages to the outbox, and delivering them once the change has committed.

`queue_message` is called by a service inside its own transaction: the message commits with
the change it reports, or not at all. Delivery is a background task enqueued on commit, so
no gateway call ever runs while a transaction (or the audit chain's lock) is held, and a
gateway that hangs or fails slows nobody's write. A failed attempt is retried after a
growing pause; after the last one the message is "not delivered", with the reason, and the
pages that sent it list the household or account not reached.
"""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from homeward.audit.services import record_event
from homeward.messaging.backends import backend, masked
from homeward.messaging.models import Message

logger = logging.getLogger(__name__)

# Four attempts: at once, then after 1, 5 and 30 minutes. A gateway down for longer than
# that is an outage the people following up should hear of, not something to wait out.
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1

# Reasons are stored as English message ids and translated where they are shown.
NO_PHONE = gettext_noop("no phone number to send to")
NO_ADDRESS = gettext_noop("no e-mail address or account name to send to")


def queue_message(
    *,
    organisation,
    topic: str,
    text: str,
    language: str,
    household=None,
    user=None,
    about: models.Model | None = None,
) -> Message:
    """Write one message to the outbox; it leaves once the caller's transaction commits.

    To a household (its phone) or to a staff account (its e-mail, or its name), never both.
    With nowhere to send it, the message is "not delivered" at once, with the reason.
    """
    if (household is None) == (user is None):
        raise ValueError("a message goes to a household or to a staff account")
    if household is not None:
        kind, address, missing = Message.Recipient.HOUSEHOLD, household.phone or "", NO_PHONE
    else:
        kind, address, missing = (
            Message.Recipient.STAFF,
            user.email or user.get_username(),
            NO_ADDRESS,
        )
    message = Message(
        organisation=organisation,
        recipient_kind=kind,
        household=household,
        user=user,
        address=address,
        language=language,
        text=text,
        topic=topic,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
    )
    if address:
        message.next_attempt_at = message.queued_at
    else:
        message.status, message.last_error = Message.Status.NOT_DELIVERED, missing
    message.save(force_insert=True)
    if message.status == Message.Status.QUEUED:
        _enqueue_on_commit(message.pk, attempt=0)
    return message


def _enqueue_on_commit(message_id: int, *, attempt: int, at: datetime.datetime | None = None):
    def enqueue() -> None:
        from homeward.messaging.tasks import deliver_message

        task = deliver_message
        # The database queue waits until `at`; a backend that cannot wait (the immediate one
        # of tests and of HOMEWARD_JOBS=immediate) retries at once.
        if at is not None and task.get_backend().supports_defer:
            task = task.using(run_after=at)
        task.enqueue(message_id, attempt)

    # robust: the change has committed by now; a queue that cannot be reached must not turn
    # it into an error page. The message stays queued, for `homeward deliver-messages`.
    transaction.on_commit(enqueue, robust=True)


def _reason(failure: Exception, address: str) -> str:
    text = str(failure) or type(failure).__name__
    if address:
        text = text.replace(address, masked(address))
    return text[:300]


def deliver(message_id: int, attempt: int) -> str | None:
    """One delivery attempt, outside any transaction; returns the message's status after it.

    `attempt` is how many attempts the task was queued after: a task queued twice for the same
    attempt (or for a message already delivered or given up) finds nothing to claim.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id,
        status__in=[Message.Status.QUEUED, Message.Status.RETRYING],
        attempts=attempt,
    ).update(attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    message = Message.objects.select_related("organisation").get(pk=message_id)
    name = ""
    try:
        chosen = backend()
        name = chosen.name
        chosen.send(recipient=message.address, body=message.text, language=message.language)
    except Exception as failure:  # whatever the gateway raises is a failed attempt, no more
        reason = _reason(failure, message.address)
        logger.warning(
            "message %s: attempt %s of %s failed: %s",
            message.pk,
            message.attempts,
            MAX_ATTEMPTS,
            reason,
        )
        return _record_failure(message, reason=reason, backend_name=name)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT,
            sent_at=timezone.now(),
            backend=name,
            last_error="",
            next_attempt_at=None,
        )
        record_event(
            actor=None,
            organisation=message.organisation,
            action="messaging.sent",
            target=message,
            details={"topic": message.topic, "attempts": message.attempts},
        )
    return Message.Status.SENT


def _record_failure(message: Message, *, reason: str, backend_name: str) -> str:
    with transaction.atomic():
        if message.attempts >= MAX_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.NOT_DELIVERED,
                last_error=reason,
                backend=backend_name,
                next_attempt_at=None,
            )
            # The reason stays on the message: a gateway's words may quote what it was sent.
            record_event(
                actor=None,
                organisation=message.organisation,
                action="messaging.not_delivered",
                target=message,
                details={"topic": message.topic, "attempts": message.attempts},
            )
            return Message.Status.NOT_DELIVERED
        at = timezone.now() + RETRY_AFTER[message.attempts - 1]
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.RETRYING,
            last_error=reason,
            backend=backend_name,
            next_attempt_at=at,
        )
        _enqueue_on_commit(message.pk, attempt=message.attempts, at=at)
    return Message.Status.RETRYING


def requeue_overdue(*, now: datetime.datetime | None = None, grace=datetime.timedelta(minutes=10)):
    """Queue again the messages whose delivery task was lost (the process stopped between the
    commit and the enqueue, or a worker died mid-attempt); returns how many.

    A message is overdue when its next attempt is `grace` late. One that a worker died on
    while sending counts that attempt as failed: whether it left is unknown, and a family
    told twice is better than one never told.
    """
    now = now or timezone.now()
    overdue = list(
        Message.objects.filter(
            status__in=[Message.Status.QUEUED, Message.Status.RETRYING],
            next_attempt_at__lt=now - grace,
        ).values_list("pk", "attempts")
    )
    with transaction.atomic():
        for pk, attempts in overdue:
            _enqueue_on_commit(pk, attempt=attempts)
    return len(overdue)
