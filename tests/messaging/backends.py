"""Message backends for tests: one that records what it sends, one whose gateway fails."""

from django.db import connection

from homeward.messaging.backends import MessageBackend, MessageNotSent

RECORDING = "tests.messaging.backends.RecordingBackend"
FAILING = "tests.messaging.backends.FailingBackend"


class RecordingBackend(MessageBackend):
    """Keeps each message it is given, and whether a transaction was open at that moment."""

    name = "recording"
    sent: list[dict] = []

    def send(self, *, recipient: str, body: str, language: str) -> None:
        RecordingBackend.sent.append(
            {
                "to": recipient,
                "body": body,
                "language": language,
                "in_transaction": connection.in_atomic_block,
            }
        )


class FailingBackend(MessageBackend):
    """A gateway that never answers in time (what a hung gateway becomes after its timeout)."""

    name = "failing"
    calls = 0

    def send(self, *, recipient: str, body: str, language: str) -> None:
        FailingBackend.calls += 1
        raise MessageNotSent(f"gateway timed out sending to {recipient}")
