"""Migration 0002 re-keys a chain written before the audit key existed (plain SHA-256)."""

import importlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from homeward.audit.models import AuditChainHead, AuditEvent
from homeward.people import services

migration = importlib.import_module("homeward.audit.migrations.0002_key_the_chain_with_a_secret")


@pytest.fixture
def legacy_chain(alice, gazetteer):
    """Rows as the previous release wrote them: unkeyed SHA-256, no key id."""
    household = services.register_household(caller=alice)
    for index in range(4):
        services.add_person(
            caller=alice, household=household, given_name=f"Ani{index}", family_name="Sargsyan"
        )
    rows = list(AuditEvent.objects.order_by("sequence"))
    previous = "0" * 64
    for event in rows:
        event.key_id, event.previous_hash = "", previous
        event.hash = previous = migration._unkeyed(event)
    AuditEvent.objects.bulk_update(rows, ["key_id", "previous_hash", "hash"])
    AuditChainHead.objects.filter(pk=1).update(hash=previous)
    return rows


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_the_old_chain_does_not_verify_until_it_is_rekeyed(legacy_chain):
    with pytest.raises(Exception, match="row 1 .*keyed with ''"):
        verify()
    migration.key_the_chain(apps, None)
    assert f"audit chain intact: {len(legacy_chain)} rows" in verify()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"demo"}
    # And back, for a downgrade.
    migration.unkey_the_chain(apps, None)
    assert [e.hash for e in AuditEvent.objects.order_by("sequence")] == [
        e.hash for e in legacy_chain
    ]


def test_a_chain_already_broken_is_not_rekeyed(legacy_chain):
    # Re-keying it would make the tampering verify.
    AuditEvent.objects.filter(pk=legacy_chain[2].pk).update(reason="edited before the upgrade")
    with pytest.raises(RuntimeError, match="already broken at row 3"):
        migration.key_the_chain(apps, None)


def test_a_chain_cut_at_the_end_is_not_rekeyed(legacy_chain):
    AuditEvent.objects.filter(pk=legacy_chain[-1].pk).delete()
    with pytest.raises(RuntimeError, match="rows were removed from the end"):
        migration.key_the_chain(apps, None)


def test_production_refuses_to_start_with_the_demo_audit_key():
    env = {
        **os.environ,
        "HOMEWARD_HTTPS": "1",
        "HOMEWARD_SECRET_KEY": "k" * 20 + "8f3b2a9c7e1d4f6a0b5c2e9d7a1f3b6c8e0d4a2f",
        "HOMEWARD_FIELD_KEYS": "2026:" + "cHJvZHVjdGlvbi1rZXktZm9yLXRoZS1jaGVjay0zMmI=",
        "HOMEWARD_LOOKUP_KEY": "bG9va3VwLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjayE=",
    }
    env.pop("HOMEWARD_AUDIT_KEYS", None)
    homeward = str(Path(sys.executable).parent / "homeward")
    result = subprocess.run(
        [homeward, "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "Set HOMEWARD_AUDIT_KEYS" in result.stderr
