"""8 deduplication runs (or plans) started at the same moment: one starts."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from homeward.duplicates.models import DeduplicationRun
from homeward.jobs.models import Job
from tests.clients import token_client_for

STARTS = 8


def all_at_once(clients, path: str) -> list:
    start = threading.Barrier(len(clients))

    def post(client):
        try:
            start.wait()
            return client.post(path)
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(post, clients))


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_eight_deduplication_runs_started_at_once_start_one(postgresql_only, database_queue, alice):
    clients = [token_client_for(alice) for _ in range(STARTS)]

    answers = all_at_once(clients, "/api/v1/duplicates/runs")

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * (STARTS - 1)
    assert DeduplicationRun.objects.count() == 1
    assert Job.objects.filter(kind="duplicates.run").count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_plans_started_at_once_are_one_plan(postgresql_only, database_queue, bob):
    clients = [token_client_for(bob) for _ in range(STARTS)]

    answers = all_at_once(clients, "/api/v1/visits/plans")

    assert [answer.status_code for answer in answers] == [202] * STARTS
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert Job.objects.filter(kind="visits.plan").count() == 1
