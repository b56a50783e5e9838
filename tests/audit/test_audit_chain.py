import pytest
from django.core.management import CommandError, call_command

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


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as error:
        verify()
    return str(error.value)


def test_an_untouched_chain_verifies(chain):
    assert f"audit chain intact: {len(chain)} rows" in verify()
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))


def test_an_edited_row_is_found(chain):
    target = chain[4]
    AuditEvent.objects.filter(pk=target.pk).update(reason="nothing to see")
    assert f"row {target.sequence} (id {target.pk}): its content was changed" in broken()


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(chain):
    from homeward.audit.chain import hash_of_event

    target = chain[4]
    target.actor_name = "someone else"
    target.hash = hash_of_event(target)
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
