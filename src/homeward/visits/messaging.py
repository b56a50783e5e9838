"""Outbound messages: to households (their visit) and to staff (alerts).

A backend delivers one message; which one is a setting (HOMEWARD_MESSAGE_BACKEND), so that an
SMS gateway plugs in as one more class with a `send` method. Every message, delivered or not,
is kept as an OutboundMessage row, so that "were they told?" has an answer.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from homeward.visits.models import OutboundMessage, VisitRequest

logger = logging.getLogger(__name__)


class MessageNotSent(Exception):
    """The backend could not deliver the message; the reason is kept with it."""


class MessageBackend:
    name = "base"

    def send(self, *, recipient: str, body: str, language: str) -> None:
        raise NotImplementedError


def masked(recipient: str) -> str:
    """Enough of a phone number or account to tell messages apart, not to call anyone."""
    return "…" + recipient[-2:] if len(recipient) > 4 else "…"


class ConsoleBackend(MessageBackend):
    """Notes each message in the server's log, without its text or the full recipient.

    Server logs are neither encrypted nor erased: a refusal names the person and the phone
    number is sealed everywhere else. The message itself is kept as an OutboundMessage row.
    """

    name = "console"

    def send(self, *, recipient: str, body: str, language: str) -> None:
        logger.warning(
            "message to %s (%s), %d characters; its text is kept in the database only",
            masked(recipient),
            language,
            len(body),
        )


class FileBackend(MessageBackend):
    """Appends each message as a JSON line to outbox.jsonl in HOMEWARD_OUTBOX_DIR."""

    name = "file"

    def send(self, *, recipient: str, body: str, language: str) -> None:
        directory = Path(settings.HOMEWARD_OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        line = {
            "at": timezone.now().isoformat(),
            "to": recipient,
            "language": language,
            "body": body,
        }
        with (directory / "outbox.jsonl").open("a", encoding="utf-8") as outbox:
            outbox.write(json.dumps(line, ensure_ascii=False) + "\n")


def backend() -> MessageBackend:
    return import_string(settings.HOMEWARD_MESSAGE_BACKEND)()


def send_message(
    *,
    organisation,
    recipient: str,
    body: str,
    language: str,
    request: VisitRequest | None = None,
) -> OutboundMessage:
    """Deliver one message through the configured backend and keep its record.

    Called inside the caller's transaction: the record commits with the change it reports.
    """
    chosen = backend()
    status, error = OutboundMessage.Status.SENT, ""
    if not recipient:
        status, error = OutboundMessage.Status.FAILED, "no phone number or address to send to"
    else:
        try:
            chosen.send(recipient=recipient, body=body, language=language)
        except MessageNotSent as failure:
            status, error = OutboundMessage.Status.FAILED, str(failure)[:300]
    return OutboundMessage.objects.create(
        organisation=organisation,
        request=request,
        recipient=recipient,
        language=language,
        body=body,
        backend=chosen.name,
        status=status,
        error=error,
    )
