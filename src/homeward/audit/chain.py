"""The audit log's hash chain: how a row's hash is computed, and how the chain is checked."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def row_hash(
    *,
    previous_hash: str,
    sequence: int,
    at: str,
    actor_id: int | None,
    actor_name: str,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    reason: str,
    details: dict,
) -> str:
    """SHA-256 over the previous hash and every field of the row, in a canonical form."""
    canonical = json.dumps(
        [
            previous_hash,
            sequence,
            at,
            actor_id,
            actor_name,
            organisation_id,
            action,
            target_type,
            target_id,
            reason,
            details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def hash_of_event(event) -> str:
    return row_hash(
        previous_hash=event.previous_hash,
        sequence=event.sequence,
        at=timestamp(event.at),
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        organisation_id=event.organisation_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        reason=event.reason,
        details=event.details,
    )


def timestamp(value: datetime.datetime) -> str:
    # Microseconds and UTC: what both SQLite and PostgreSQL give back unchanged.
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        row = f"row {self.sequence}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"{row}: {self.problem}"


def first_break(events: Iterable, head_sequence: int, head_hash: str) -> ChainBreak | None:
    """The first place where the chain does not hold, or None when it is intact."""
    expected_previous = GENESIS
    expected_sequence = 1
    last = None
    for event in events:
        if event.sequence != expected_sequence:
            problem = (
                f"row {expected_sequence} is missing (deleted or reordered)"
                if event.sequence > expected_sequence
                else f"sequence {event.sequence} out of order"
            )
            return ChainBreak(expected_sequence, event.pk, problem)
        if event.previous_hash != expected_previous:
            return ChainBreak(
                event.sequence,
                event.pk,
                "does not follow the row before it (a row was inserted, deleted or reordered)",
            )
        if hash_of_event(event) != event.hash:
            return ChainBreak(
                event.sequence, event.pk, "its content was changed after it was written"
            )
        expected_previous = event.hash
        expected_sequence += 1
        last = event
    last_sequence = last.sequence if last else 0
    if last_sequence != head_sequence or (last.hash if last else GENESIS) != head_hash:
        return ChainBreak(
            last_sequence + 1,
            None,
            f"the chain ends at row {last_sequence} but {head_sequence} rows were written "
            "(rows were removed from the end)",
        )
    return None
