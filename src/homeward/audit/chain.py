"""The audit log's hash chain: how a row's hash is computed, and how the chain is checked.

A row's hash is an HMAC-SHA-256, under a key held outside the database, of the previous row's
hash and every field of the row. Without the key, a row cannot be rewritten with a hash that
verifies; cutting rows from the end (and resetting the head to match) is caught by an anchor,
the head's sequence and hash copied elsewhere (`homeward audit anchor`).
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64


def row_hash(
    *,
    key: bytes,
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
    """HMAC-SHA-256 over the previous hash and every field of the row, in a canonical form."""
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
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def hash_of_event(event, key: bytes) -> str:
    return row_hash(
        key=key,
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
class Anchor:
    """The chain's head as it was at some moment, kept outside the database."""

    sequence: int
    hash: str

    def __str__(self) -> str:
        return f"{self.sequence} {self.hash}"

    @classmethod
    def parse(cls, text: str) -> "Anchor":
        """ "SEQ HEX", as `homeward audit anchor` prints it."""
        parts = text.split()
        if (
            len(parts) != 2
            or not parts[0].isdigit()
            or len(parts[1]) != 64
            or any(c not in "0123456789abcdef" for c in parts[1].lower())
        ):
            raise ValueError(f"not an anchor (expected: sequence, space, 64 hex digits): {text!r}")
        return cls(int(parts[0]), parts[1].lower())


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        row = f"row {self.sequence}" + (f" (id {self.event_id})" if self.event_id else "")
        return f"{row}: {self.problem}"


def first_break(
    events: Iterable,
    head_sequence: int,
    head_hash: str,
    keys: Sequence[tuple[str, bytes]],
    anchors: Iterable[Anchor] = (),
) -> ChainBreak | None:
    """The first place where the chain does not hold, or None when it is intact.

    `keys` are the (id, key) pairs the rows may be keyed with, the current one first; `anchors`
    are heads recorded earlier, which the log must still contain unchanged.
    """
    rank: Mapping[str, int] = {key_id: len(keys) - i for i, (key_id, _key) in enumerate(keys)}
    by_id = dict(keys)
    # An anchor at 0 (taken of an empty log) holds whatever follows.
    pending = {anchor.sequence: anchor for anchor in anchors if anchor.sequence > 0}
    expected_previous = GENESIS
    expected_sequence = 1
    newest_rank = 0
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
        if event.key_id not in by_id:
            return ChainBreak(
                event.sequence,
                event.pk,
                f"keyed with {event.key_id!r}, which is not in HOMEWARD_AUDIT_KEYS "
                "(a forged row, or an old key removed too soon)",
            )
        if rank[event.key_id] < newest_rank:
            return ChainBreak(
                event.sequence,
                event.pk,
                f"keyed with {event.key_id!r}, older than the key of a row before it "
                "(rows are only ever keyed with the current key)",
            )
        if not hmac.compare_digest(hash_of_event(event, by_id[event.key_id]), event.hash):
            return ChainBreak(
                event.sequence,
                event.pk,
                "its content was changed after it was written, or its hash was computed "
                "without the audit key",
            )
        anchor = pending.pop(event.sequence, None)
        if anchor is not None and anchor.hash != event.hash:
            return ChainBreak(
                event.sequence,
                event.pk,
                f"differs from the anchor {anchor} (the log was rewritten from here or earlier)",
            )
        newest_rank = rank[event.key_id]
        expected_previous = event.hash
        expected_sequence += 1
        last = event
    last_sequence = last.sequence if last else 0
    if pending:
        anchor = pending[max(pending)]
        return ChainBreak(
            last_sequence + 1,
            None,
            f"the log ends at row {last_sequence} but the anchor {anchor} was taken at row "
            f"{anchor.sequence} (rows were removed from the end)",
        )
    if last_sequence != head_sequence or (last.hash if last else GENESIS) != head_hash:
        return ChainBreak(
            last_sequence + 1,
            None,
            f"the chain ends at row {last_sequence} but {head_sequence} rows were written "
            "(rows were removed from the end)",
        )
    return None
