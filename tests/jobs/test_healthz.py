"""/healthz: for a load balancer or a monitor, without signing in."""

import datetime
from unittest import mock

from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from homeward.jobs.models import WorkerHeartbeat
from homeward.jobs.services import beat_worker


def test_healthz_answers_ok_while_the_database_and_a_worker_answer(db):
    beat_worker(worker_id="worker-1", started_at=timezone.now())

    response = Client().get("/healthz")

    assert response.status_code == 200
    health = response.json()
    # What it says and nothing else: no names, no counts of anyone.
    assert set(health) == {"database", "worker", "worker_heartbeat_age_seconds"}
    assert (health["database"], health["worker"]) == ("ok", "ok")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_naming_the_worker_when_none_runs(db):
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["worker"] == "none"


def test_healthz_answers_503_naming_the_worker_when_its_heartbeat_stopped(db, settings):
    settings.HOMEWARD_WORKER_STALE_SECONDS = 60
    stopped = timezone.now() - datetime.timedelta(seconds=90)
    WorkerHeartbeat.objects.create(worker_id="killed", started_at=stopped, beat_at=stopped)

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["worker_heartbeat_age_seconds"] >= 90


def test_healthz_answers_503_naming_the_database_when_it_does_not_answer(db):
    beat_worker(worker_id="worker-1", started_at=timezone.now())

    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "unreachable", "worker": "unknown"}


def test_a_worker_that_stops_leaves_no_heartbeat(db):
    from homeward.jobs.services import worker_stopped

    beat_worker(worker_id="worker-1", started_at=timezone.now())
    worker_stopped(worker_id="worker-1")

    assert Client().get("/healthz").status_code == 503
