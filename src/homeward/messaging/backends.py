"""How a message leaves: one backend class per channel, chosen by HOMEWARD_MESSAGE_BACKEND.

An SMS gateway plugs in as one more class with a `send` method. `send` runs in the background
worker, after the change that wrote the message has committed, never inside a transaction: it
may take its time, and raising (MessageNotSent or anything else) only means "try again later".
A gateway class should still set its own network timeout, so that one stuck call does not hold
a worker for good.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

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
    number is sealed everywhere else. The message itself is kept, sealed, in the outbox.
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
