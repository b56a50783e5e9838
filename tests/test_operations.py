"""Running Homeward as an operator does: production settings, static files, backup and restore.

The production server itself (gunicorn, collected static files, `check --deploy`) is exercised
end to end by scripts/smoke-production, which .ci/run runs on PostgreSQL.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client

from homeward.people import services
from homeward.places.models import Settlement

ROOT = Path(__file__).resolve().parent.parent
HOMEWARD = str(Path(sys.executable).parent / "homeward")
PRODUCTION_ENV = {
    "HOMEWARD_HTTPS": "1",
    "HOMEWARD_DEBUG": "0",
    "HOMEWARD_SECRET_KEY": "s" * 10 + "0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d",
    "HOMEWARD_ALLOWED_HOSTS": "homeward.example.org",
    "HOMEWARD_FIELD_KEYS": "2026:cHJvZHVjdGlvbi1rZXktZm9yLXRoZS1jaGVjay0zMmI=",
    "HOMEWARD_LOOKUP_KEY": "bG9va3VwLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjayE=",
    "HOMEWARD_AUDIT_KEYS": "2026:YXVkaXQta2V5LWZvci10aGUtZGVwbG95LWNoZWNrISE=",
}


def homeward(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HOMEWARD, *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )


SETTINGS_READ = [
    "STORAGES",
    "WHITENOISE_USE_FINDERS",
    "MIDDLEWARE",
    "SECURE_PROXY_SSL_HEADER",
    "USE_X_FORWARDED_HOST",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
]


def production_settings(**overrides: str) -> dict:
    """The settings a process started with the production environment reads (no app loaded)."""
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        **overrides,
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name, None) for name in {SETTINGS_READ!r}}}))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_static_files_are_served_by_the_app_server_without_collecting_them_first(db):
    # What a local gunicorn with DEBUG off, or the tests, get: no separate file server.
    response = Client().get("/static/css/homeward.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()


def test_production_serves_collected_files_under_content_hashed_names():
    production = production_settings()
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert production["WHITENOISE_USE_FINDERS"] is False
    assert production["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_production_trusts_the_proxys_scheme_but_not_its_host_unless_asked():
    production = production_settings()
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["USE_X_FORWARDED_HOST"] is False
    assert production["ALLOWED_HOSTS"] == ["homeward.example.org"]
    # A load balancer's probe over plain HTTP is answered, not redirected.
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_REDIRECT_EXEMPT"] == ["^healthz/?$"]
    asked = production_settings(HOMEWARD_USE_X_FORWARDED_HOST="1")
    assert asked["USE_X_FORWARDED_HOST"] is True


def test_production_refuses_to_start_without_the_names_it_is_served_at():
    env = {**os.environ, **PRODUCTION_ENV}
    del env["HOMEWARD_ALLOWED_HOSTS"]
    result = homeward("check", env=env)
    assert result.returncode != 0
    assert "Set HOMEWARD_ALLOWED_HOSTS" in result.stderr


# Backup and restore, on PostgreSQL only: the scripts are pg_dump and pg_restore.
postgresql_only = pytest.mark.skipif(
    not (
        os.environ.get("HOMEWARD_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    ).startswith(("postgres://", "postgresql://")),
    reason="backup and restore are for PostgreSQL",
)


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def maintenance(sql: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def scratch_database(transactional_db):
    """An empty database beside the test database, never the test database itself."""
    name = f"{connection.settings_dict['NAME']}_restored"
    maintenance(f'DROP DATABASE IF EXISTS "{name}"')
    maintenance(f'CREATE DATABASE "{name}"')
    yield name
    maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script_env(name: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "HOMEWARD_DATABASE_URL"}
    env["DATABASE_URL"] = database_url(name)
    return env


def run_script(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=script_env(database),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def registered_household(alice, gazetteer):
    household = services.register_household(
        caller=alice,
        origin_settlement=Settlement.objects.get(slug="stepanakert"),
        phone="+374 91 234567",
    )
    services.add_person(
        caller=alice, household=household, given_name="Армен", family_name="Оганесян"
    )
    return household


@pytest.fixture
def backup_file(registered_household, tmp_path) -> Path:
    path = tmp_path / "homeward.dump"
    result = run_script("backup-postgres", str(path), database=connection.settings_dict["NAME"])
    assert result.returncode == 0, result.stderr
    return path


@postgresql_only
def test_a_backup_restored_into_an_empty_database_finds_the_registry_and_an_intact_audit_log(
    registered_household, backup_file, scratch_database
):
    restored = run_script("restore-postgres", str(backup_file), database=scratch_database)
    assert restored.returncode == 0, restored.stderr

    # The restored copy, read as the app reads it: found by a Latin spelling, phone unsealed.
    found = homeward(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth.models import User\n"
        "from homeward.access.caller import caller_for\n"
        "from homeward.people.selectors import get_household, search_persons\n"
        "alice = caller_for(User.objects.get(username='alice'))\n"
        "hit = search_persons(alice, 'Armen Hovhannisyan').results[0].person\n"
        "print(hit.family_name, hit.household.reference)\n"
        f"print(get_household(alice, '{registered_household.reference}').phone)\n",
        env=script_env(scratch_database),
    )
    assert found.returncode == 0, found.stderr[-2000:]
    assert found.stdout.splitlines() == [
        f"Оганесян {registered_household.reference}",
        registered_household.phone,
    ]
    verified = homeward("audit", "verify", env=script_env(scratch_database))
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout


@postgresql_only
def test_a_restore_over_a_database_that_holds_tables_is_refused_and_changes_nothing(
    backup_file, scratch_database
):
    with psycopg.connect(database_url(scratch_database), autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")

    refused = run_script("restore-postgres", str(backup_file), database=scratch_database)

    assert refused.returncode == 1
    assert "already holds 1 tables" in refused.stderr
    with psycopg.connect(database_url(scratch_database)) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        assert tables == [("kept",)]
        assert conn.execute("SELECT note FROM kept").fetchall() == [("still here",)]


@postgresql_only
def test_a_backup_cut_short_leaves_no_file_that_looks_like_a_backup(transactional_db, tmp_path):
    path = tmp_path / "homeward.dump"
    failed = run_script("backup-postgres", str(path), database="no_such_database_here")
    assert failed.returncode != 0
    assert not path.exists()
