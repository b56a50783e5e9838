"""Job kinds for the tests, and the database queue that `homeward db_worker` serves."""

import pytest

from homeward.access.roles import Permission
from homeward.jobs import registry


def count_to(job, report):
    for step in range(job.params["to"]):
        report("counting", step / job.params["to"])
    return {"counted": job.params["to"]}


def refuse(job, report):
    report("checking", 0.5)
    raise registry.JobFailed("the capacity has no open day")


@pytest.fixture
def job_kinds():
    registry.register(
        registry.JobKind("tests.count", "Count", Permission.EDIT_HOUSEHOLDS, count_to)
    )
    registry.register(
        registry.JobKind("tests.refuse", "Refuse", Permission.EDIT_HOUSEHOLDS, refuse)
    )
    yield
    del registry.KINDS["tests.count"], registry.KINDS["tests.refuse"]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
