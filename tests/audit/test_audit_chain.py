import base64
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from homeward.audit.chain import hash_of_event, timestamp
from homeward.audit.keys import current_audit_key
from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.people import services


@pytest.fixture
def chain(alice, gazetteer):
    """Ten audited writes on top of the fixtures' own."""
    household = services.register_household(caller=alice)
    for index in range(9):
        services.add_person(
            caller=alice, household=household, given_name=f"Ani{index}", family_name="Sargsyan"
        )
    return list(AuditEvent.objects.order_by("sequence"))


def verify(*anchors: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *(f"--anchor={a}" for a in anchors), stdout=out)
    return out.getvalue()


def broken(*anchors: str) -> str:
    with pytest.raises(CommandError) as error:
        verify(*anchors)
    return str(error.value)


def anchor() -> str:
    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    return out.getvalue()


def test_an_untouched_chain_verifies(chain):
    assert f"audit chain intact: {len(chain)} rows" in verify()
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))


def test_an_edited_row_is_found(chain):
    target = chain[4]
    AuditEvent.objects.filter(pk=target.pk).update(reason="nothing to see")
    assert f"row {target.sequence} (id {target.pk}): its content was changed" in broken()


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(chain):
    target = chain[4]
    target.actor_name = "someone else"
    target.hash = hash_of_event(target, current_audit_key()[1])  # even with the key
    AuditEvent.objects.filter(pk=target.pk).update(actor_name=target.actor_name, hash=target.hash)
    assert (
        f"row {chain[5].sequence} (id {chain[5].pk}): does not follow the row before it" in broken()
    )


def test_a_deleted_row_is_found(chain):
    AuditEvent.objects.filter(pk=chain[3].pk).delete()
    assert f"row {chain[3].sequence} is missing" in broken()


def test_a_deleted_last_row_is_found(chain):
    AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    assert "rows were removed from the end" in broken()


def test_an_inserted_row_is_found(chain):
    forged = chain[2]
    # Make room as a forger would (from the end, to keep sequences unique), then fill the gap.
    for event in reversed(chain[3:]):
        AuditEvent.objects.filter(pk=event.pk).update(sequence=event.sequence + 1)
    AuditEvent.objects.create(
        sequence=forged.sequence + 1,
        at=forged.at,
        actor_name="forger",
        action="people.person.add",
        previous_hash=forged.hash,
        hash="f" * 64,
    )
    assert f"row {forged.sequence + 1}" in broken()


def test_reordered_rows_are_found(chain):
    first, second = chain[5], chain[6]
    AuditEvent.objects.filter(pk=first.pk).update(sequence=0)
    AuditEvent.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEvent.objects.filter(pk=first.pk).update(sequence=second.sequence)
    assert f"row {first.sequence} (id {second.pk})" in broken()


def test_the_head_follows_the_last_row(chain):
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (chain[-1].sequence, chain[-1].hash)


def test_a_dpo_exports_only_their_organisations_rows(chain, charlie, tmp_path):
    import csv

    services.register_household(caller=charlie)
    path = tmp_path / "audit.csv"
    call_command("audit", "export", "--organisation", "migration-service", "--output", str(path))
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {r["organisation"] for r in rows} == {"migration-service"}
    assert "people.household.register" in {r["action"] for r in rows}


# The chain's anchor outside the database: an attacker who can write to the database but does
# not hold HOMEWARD_AUDIT_KEYS, nor the anchors kept elsewhere.


def rewrite_from(chain, start: int, hash_row) -> None:
    """Change row `start` and recompute every hash after it, head included, as a forger would."""
    previous = chain[start - 1].hash if start else "0" * 64
    for index, event in enumerate(chain[start:]):
        if index == 0:
            event.reason = "approved by the director"
        event.previous_hash = previous
        event.hash = hash_row(event)
        previous = event.hash
    AuditEvent.objects.bulk_update(chain[start:], ["reason", "previous_hash", "hash"])
    AuditChainHead.objects.filter(pk=1).update(hash=previous)


def unkeyed(event) -> str:
    canonical = json.dumps(
        [
            event.previous_hash,
            event.sequence,
            timestamp(event.at),
            event.actor_id,
            event.actor_name,
            event.organisation_id,
            event.action,
            event.target_type,
            event.target_id,
            event.reason,
            event.details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_a_rewrite_with_recomputed_unkeyed_hashes_is_found(chain):
    rewrite_from(chain, 4, unkeyed)
    assert (
        f"row {chain[4].sequence} (id {chain[4].pk}): its content was changed after it was "
        "written, or its hash was computed without the audit key" in broken()
    )


def test_a_rewrite_under_a_guessed_key_is_found(chain):
    guessed = b"a key that is not HOMEWARD_AUDIT"
    rewrite_from(chain, 4, lambda event: hash_of_event(event, guessed))
    assert f"row {chain[4].sequence} (id {chain[4].pk}): its content was changed" in broken()


def test_a_row_keyed_with_an_unknown_key_id_is_found(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(key_id="forger")
    assert f"row {chain[2].sequence} (id {chain[2].pk}): keyed with 'forger'" in broken()


def test_anchor_prints_the_head_on_one_line(chain):
    printed = anchor()
    assert printed == f"{chain[-1].sequence} {chain[-1].hash}\n"
    assert "matches 1 anchor(s)" in verify(printed.strip())


def test_truncation_with_the_head_reset_is_caught_by_the_anchor(chain):
    kept = anchor().strip()
    cut = chain[-3:]
    AuditEvent.objects.filter(pk__in=[e.pk for e in cut]).delete()
    AuditChainHead.objects.filter(pk=1).update(sequence=chain[-4].sequence, hash=chain[-4].hash)
    # The chain alone cannot tell: what is left is a valid chain.
    assert "audit chain intact" in verify()
    assert (
        f"the log ends at row {chain[-4].sequence} but the anchor {kept} was taken at row "
        f"{chain[-1].sequence} (rows were removed from the end)" in broken(kept)
    )


def test_the_whole_log_deleted_and_the_head_reset_is_caught_by_the_anchor(chain):
    kept = anchor().strip()
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.filter(pk=1).update(sequence=0, hash="0" * 64)
    assert "intact: 0 rows" in verify()
    assert "the log ends at row 0" in broken(kept)


def test_a_rewrite_by_someone_holding_the_key_is_caught_by_the_anchor(chain):
    kept = anchor().strip()
    key = current_audit_key()[1]
    rewrite_from(chain, 4, lambda event: hash_of_event(event, key))
    assert "audit chain intact" in verify()
    assert f"row {chain[-1].sequence} (id {chain[-1].pk}): differs from the anchor" in broken(kept)


def test_an_anchor_file_holds_every_anchor_taken(chain, alice, tmp_path):
    from homeward.people import services as people

    anchors = tmp_path / "anchors.txt"
    anchors.write_text(f"# taken daily\n{anchor()}")
    people.register_household(caller=alice)
    with anchors.open("a") as handle:
        handle.write(anchor())
    assert "matches 2 anchor(s)" in verify(str(anchors))
    # The earlier anchor still catches a rewrite that the later one would not see.
    AuditEvent.objects.filter(sequence=chain[1].sequence).update(reason="edited")
    assert f"row {chain[1].sequence}" in broken(str(anchors))


def test_a_malformed_anchor_is_refused(chain, tmp_path):
    assert "neither 'SEQ HEX' nor a file" in broken("12 not-a-hash")
    bad = tmp_path / "anchors.txt"
    bad.write_text("3 abc\n")
    assert f"{bad}, line 1: not an anchor" in broken(str(bad))


# Rotation: a new key first, the old one still listed.

OLD_KEYS = "demo:ZGVtby1hdWRpdC1jaGFpbi1rZXktbm90LXNlY3JldCE="
NEW_KEY = "2027:bmV3LWF1ZGl0LWtleS1mb3ItdGhlLXJvdGF0aW9uISE="


def test_after_a_rotation_new_rows_use_the_new_key_and_old_rows_still_verify(
    chain, alice, settings
):
    from homeward.people import services as people

    settings.HOMEWARD_AUDIT_KEYS = f"{NEW_KEY},{OLD_KEYS}"
    people.register_household(caller=alice)
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest.key_id == "2027" and chain[-1].key_id == "demo"
    assert "audit chain intact" in verify()
    # Dropping the old key too soon leaves its rows unverifiable, and says so.
    settings.HOMEWARD_AUDIT_KEYS = NEW_KEY
    assert "row 1 (id" in broken() and "keyed with 'demo', which is not in" in broken()


def test_a_leaked_old_key_cannot_rewrite_rows_after_the_rotation(chain, alice, settings):
    from homeward.people import services as people

    settings.HOMEWARD_AUDIT_KEYS = f"{NEW_KEY},{OLD_KEYS}"
    people.register_household(caller=alice)
    kept = anchor().strip()  # taken after the rotation, as docs/data-protection.md asks
    people.register_household(caller=alice)
    rows = list(AuditEvent.objects.order_by("sequence"))
    old_key = base64.b64decode(OLD_KEYS.split(":")[1])

    def forge(start: int) -> None:
        previous = rows[start - 1].hash
        for event in rows[start:]:
            event.key_id, event.previous_hash = "demo", previous
            event.hash = previous = hash_of_event(event, old_key)
        AuditEvent.objects.bulk_update(rows[start:], ["key_id", "previous_hash", "hash"])
        AuditChainHead.objects.filter(pk=1).update(hash=previous)

    # Rows after one keyed with the new key cannot go back to the old key...
    forge(len(rows) - 1)
    assert f"row {rows[-1].sequence} (id {rows[-1].pk}): keyed with 'demo', older than" in (
        broken()
    )
    # ...and rewriting every row since the rotation under the old key changes the anchor's row.
    forge(len(chain))
    assert "audit chain intact" in verify()
    assert "differs from the anchor" in broken(kept)
