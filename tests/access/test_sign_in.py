import os
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.sessions.models import Session
from django.test import Client

from homeward.access.sessions import SIGNED_IN_AT
from tests.clients import PASSWORD


def sign_in(client: Client, password: str = PASSWORD, username: str = "alice"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_signing_in_and_out(alice):
    client = Client()
    assert sign_in(client).status_code == 302
    key = client.session.session_key
    assert client.get("/households/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie is worth nothing now, even replayed.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get("/households/").status_code == 302


def test_repeated_failures_lock_the_account(alice):
    client = Client()
    for _ in range(4):
        assert sign_in(client, password="wrong password").status_code == 200
    assert sign_in(client, password="wrong password").status_code == 429  # the fifth locks
    locked = sign_in(Client())  # the right password, from anywhere
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()


def test_a_success_resets_the_count(alice):
    client = Client()
    for _ in range(4):
        sign_in(client, password="wrong password")
    assert sign_in(client).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        sign_in(client, password="wrong password")
    assert sign_in(client).status_code == 302


def test_sessions_end_after_thirty_idle_minutes(alice):
    client = Client()
    sign_in(client)
    assert client.session.get_expiry_age() == 30 * 60
    # Each request renews the thirty minutes.
    response = client.get("/households/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


def test_sessions_end_twelve_hours_after_sign_in_whatever_the_activity(alice):
    client = Client()
    sign_in(client)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get("/households/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/households/").status_code == 302


def test_disabling_an_account_ends_its_sessions(alice):
    laptop, phone = Client(), Client()
    sign_in(laptop)
    sign_in(phone)
    assert laptop.get("/households/").status_code == 200
    alice.user.is_active = False
    alice.user.save()
    assert laptop.get("/households/").status_code == 302
    assert phone.get("/households/").status_code == 302


def test_the_production_settings_pass_djangos_deployment_checks():
    env = {
        **os.environ,
        "HOMEWARD_HTTPS": "1",
        "HOMEWARD_DEBUG": "0",
        "HOMEWARD_SECRET_KEY": "k" * 20 + "8f3b2a9c7e1d4f6a0b5c2e9d7a1f3b6c8e0d4a2f",
        "HOMEWARD_ALLOWED_HOSTS": "homeward.example.org",
        "HOMEWARD_FIELD_KEYS": "2026:" + "cHJvZHVjdGlvbi1rZXktZm9yLXRoZS1jaGVjay0zMmI=",
        "HOMEWARD_LOOKUP_KEY": "bG9va3VwLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjayE=",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "homeward"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
