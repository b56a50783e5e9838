import os
import subprocess
import sys
import time
from pathlib import Path

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.access.sessions import SIGNED_IN_AT
from tests.clients import PASSWORD, current_code


def sign_in(client: Client, password: str = PASSWORD, username: str = "alice"):
    """Both steps: the password, then (if it was right) the authenticator code."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code == 302:
        device, _ = TOTPDevice.objects.get_or_create(
            user__username=username,
            defaults={"user": User.objects.get(username=username), "confirmed": True},
        )
        client.post("/accounts/second-factor/", {"code": current_code(device), "next": "/"})
    return response


def test_the_password_alone_opens_nothing(alice):
    client = Client()
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/households/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/")
    # Nor the API, through the browser session.
    assert client.get("/api/v1/households").status_code == 401


def test_first_sign_in_enrols_an_authenticator_and_then_asks_for_its_code(alice):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    page = client.get("/accounts/second-factor/?next=/households/").content.decode()
    assert "<svg" in page and "totp-secret" in page
    device = TOTPDevice.objects.get(user=alice.user)
    assert not device.confirmed
    wrong = client.post("/accounts/second-factor/", {"code": "000000", "next": "/households/"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second; the test does not
    right = client.post(
        "/accounts/second-factor/", {"code": current_code(device), "next": "/households/"}
    )
    assert right.status_code == 302 and right["Location"] == "/households/"
    assert client.get("/households/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # The next sign-in asks for the code and shows no new key.
    again = Client()
    again.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert "totp-secret" not in again.get("/accounts/second-factor/").content.decode()


def test_the_second_step_does_not_follow_links_elsewhere(alice):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    device = TOTPDevice.objects.create(user=alice.user, name="app", confirmed=True)
    response = client.post(
        "/accounts/second-factor/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


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
        "HOMEWARD_AUDIT_KEYS": "2026:YXVkaXQta2V5LWZvci10aGUtZGVwbG95LWNoZWNrISE=",
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


def test_the_demo_prints_a_code_only_in_the_demo(alice, settings):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    device = TOTPDevice.objects.create(user=alice.user, name="app", confirmed=True)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only in the demo"):
        call_command("demo-code", "alice")
    settings.DEBUG = True
    out = StringIO()
    call_command("demo-code", "alice", stdout=out)
    assert out.getvalue().strip() == current_code(device)


def test_the_session_key_changes_when_the_second_factor_succeeds(alice):
    from homeward.access.models import SignedInSession

    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    after_password = client.cookies["sessionid"].value
    device = TOTPDevice.objects.create(user=alice.user, name="app", confirmed=True)
    client.post("/accounts/second-factor/", {"code": current_code(device), "next": "/"})
    after_code = client.cookies["sessionid"].value
    assert after_code != after_password
    assert client.get("/households/").status_code == 200
    # The key known before the second step opens nothing, even with a code entered since.
    stolen = Client()
    stolen.cookies["sessionid"] = after_password
    assert stolen.get("/households/").status_code == 302
    # Disabling the account still ends the session under its new key.
    assert SignedInSession.objects.filter(user=alice.user, session_key=after_code).exists()
