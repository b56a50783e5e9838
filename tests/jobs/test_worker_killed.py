"""`homeward db_worker` killed in the middle of a job, for real, then started again.

The workers are subprocesses on the test database: PostgreSQL's, or on SQLite a file copied
from the in-memory test database. The staleness threshold is a few seconds here.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from homeward.jobs import registry
from homeward.jobs.registry import JobAlreadyRunning
from homeward.jobs.services import WORKER_LOST, start_job
from tests.jobs import crash_driver

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 3
PATIENCE_SECONDS = 300  # generous: the machine may be busy; nothing here is timed


class ServedDatabase:
    """The test database as subprocesses see it, and the workers started on it."""

    def __init__(self, url: str, sqlite_file: Path | None, logs: Path):
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "HOMEWARD_WORKER_STALE_SECONDS": str(STALE_SECONDS),
            "HOMEWARD_JOBS": "database",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("HOMEWARD_DATABASE_URL", None)
        self.sqlite_file = sqlite_file
        self.logs = logs
        self.workers: list[subprocess.Popen] = []

    def start(self, caller, **params) -> dict:
        """Start a run of tests.hang: here on PostgreSQL, in a subprocess on the SQLite copy."""
        if self.sqlite_file is None:
            try:
                return {"job": start_job(caller=caller, kind=crash_driver.KIND, params=params).pk}
            except JobAlreadyRunning as refusal:
                return {"refused_for": refusal.job.pk}
        username = caller.user.get_username()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.jobs.crash_driver",
                "start",
                username,
                json.dumps(params),
            ],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=PATIENCE_SECONDS,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def worker(self) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.workers) + 1}.log").open("w")
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "tests.jobs.crash_driver", "worker"),
                *("--no-startup-delay", "--no-reload", "--interval", "0.2"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        return process

    def job(self, pk: int) -> dict:
        query = "SELECT status, attempts, error FROM jobs_job WHERE id = %s"
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(query, [pk])
                row = cursor.fetchone()
        else:
            with sqlite3.connect(self.sqlite_file, timeout=30) as reader:
                row = reader.execute(query.replace("%s", "?"), [pk]).fetchone()
        return dict(zip(("status", "attempts", "error"), row, strict=True))

    def heartbeat_pids(self) -> set[int]:
        query = "SELECT pid FROM jobs_workerheartbeat"
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return {pid for (pid,) in cursor.fetchall()}
        with sqlite3.connect(self.sqlite_file, timeout=30) as reader:
            return {pid for (pid,) in reader.execute(query)}

    def wait_for(self, pk: int, condition) -> dict:
        deadline = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < deadline:
            state = self.job(pk)
            if condition(state):
                return state
            for process in self.workers:
                assert process.poll() in (None, -signal.SIGKILL), self.worker_logs()
            time.sleep(0.3)
        raise AssertionError(f"job {pk} stayed {state}\n{self.worker_logs()}")

    def worker_logs(self) -> str:
        return "\n".join(log.read_text() for log in sorted(self.logs.glob("worker-*.log")))

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def hang_kind():
    crash_driver.register_kind()
    yield
    del registry.KINDS[crash_driver.KIND]


@pytest.fixture
def serve(alice, tmp_path, hang_kind, database_queue):
    """serve(**params): a run of tests.hang queued for alice, in a database that worker
    subprocesses can open; the database, and the run's id."""
    databases = []

    def serve(**params) -> tuple[ServedDatabase, int]:
        job = start_job(caller=alice, kind=crash_driver.KIND, params=params)
        if connection.vendor == "sqlite":
            copy = tmp_path / "homeward.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(copy) as target:
                connection.connection.backup(target)
            database = ServedDatabase(f"sqlite:///{copy}", copy, tmp_path)
        else:
            settings = connection.settings_dict
            url = (
                f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            )
            database = ServedDatabase(url, None, tmp_path)
        databases.append(database)
        return database, job.pk

    try:
        yield serve
    finally:
        for database in databases:
            database.stop()


def running(attempt: int):
    return lambda job: job["status"] == "running" and job["attempts"] == attempt


def ended(job: dict) -> bool:
    return job["status"] in ("done", "failed")


# The workers commit for real: so does the test, for them to see alice and her job.
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_run_again_and_a_new_run_starts(serve, alice):
    served, job = serve(hang_on=[1])
    first = served.worker()
    served.wait_for(job, running(1))

    first.send_signal(signal.SIGKILL)
    first.wait()
    second = served.worker()

    assert served.wait_for(job, ended) == {"status": "done", "attempts": 2, "error": ""}
    assert second.pid in served.heartbeat_pids()  # what /healthz reads
    new_run = served.start(alice, hang_on=[])
    assert "job" in new_run, new_run
    assert served.wait_for(new_run["job"], ended)["status"] == "done"


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_twice_fails_and_a_new_run_starts(serve, alice):
    served, job = serve(hang_on=[1, 2])
    first = served.worker()
    served.wait_for(job, running(1))
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = served.worker()
    served.wait_for(job, running(2))

    second.send_signal(signal.SIGKILL)
    second.wait()
    served.worker()

    assert served.wait_for(job, ended) == {"status": "failed", "attempts": 2, "error": WORKER_LOST}
    new_run = served.start(alice, hang_on=[])
    assert "job" in new_run, new_run
    assert served.wait_for(new_run["job"], ended)["status"] == "done"
