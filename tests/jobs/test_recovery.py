"""A job whose worker died is run again once, or failed with a message; it blocks nothing."""

import datetime

import pytest
from django.core.management import get_commands
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.audit.models import AuditEvent
from homeward.duplicates.models import DeduplicationRun
from homeward.jobs import registry, services
from homeward.jobs.models import Job
from homeward.jobs.services import WORKER_LOST, recover_stalled_jobs, start_job
from tests.clients import token_client_for
from tests.jobs.queue import as_if_its_worker_was_killed, work_off_the_queue


def job_page(job: Job) -> str:
    return render_to_string(
        "jobs/_progress.html", {"job": job, "request": RequestFactory().get("/jobs/1/")}
    )


def audit_of(job: Job) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="jobs.job", target_id=str(job.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_homeward_db_worker_is_the_watched_worker():
    assert get_commands()["db_worker"] == "homeward.jobs"


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_is_run_again_by_the_next_worker(job_kinds, database_queue, alice):
    job = start_job(caller=alice, kind="tests.count", params={"to": 3})
    lost_task = job.task_id
    as_if_its_worker_was_killed(job)

    work_off_the_queue()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"counted": 3}
    assert job.attempts == 2
    assert audit_of(job) == ["jobs.start", "jobs.retry", "jobs.done"]
    # The dead worker's task row no longer reads as running, and was not run a second time.
    assert DBTaskResult.objects.get(id=lost_task).status == "FAILED"
    assert "it was tried again" in job_page(job)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_died_twice_fails_and_says_to_start_it_again(
    job_kinds, database_queue, alice
):
    job = start_job(caller=alice, kind="tests.count", params={"to": 3})
    as_if_its_worker_was_killed(job, attempt=2)

    work_off_the_queue()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == WORKER_LOST
    assert "The worker stopped while this job was running; start it again." in job_page(job)
    assert AuditEvent.objects.get(action="jobs.failed", target_id=str(job.pk)).details == {
        "kind": "tests.count",
        "error": "worker_lost",
    }
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_still_beats_is_left_to_it(job_kinds, database_queue, alice, settings):
    settings.HOMEWARD_WORKER_STALE_SECONDS = 60
    job = start_job(caller=alice, kind="tests.count", params={"to": 3})
    as_if_its_worker_was_killed(job, silent_for=20)

    assert recover_stalled_jobs() == 0

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert job.attempts == 1
    assert DBTaskResult.objects.get(id=job.task_id).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_the_dead_attempts_task_does_not_run_the_job_queued_again(job_kinds, database_queue, alice):
    job = start_job(caller=alice, kind="tests.count", params={"to": 3})
    lost_task = job.task_id
    as_if_its_worker_was_killed(job)
    recover_stalled_jobs()

    services.run(job.pk, task_id=lost_task)  # a stalled worker waking up, say

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.task_id != lost_task
    work_off_the_queue()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)


def overtaken(job, report):
    # Meanwhile another worker's watch took this attempt for dead and queued the job again.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, heartbeat_at=None)
    report("counting", 0.5)
    return {"kept": "nothing"}


def test_an_attempt_taken_for_dead_writes_nothing_more(alice):
    registry.register(registry.JobKind("tests.overtaken", "Overtaken", "people.edit", overtaken))
    try:
        job = start_job(caller=alice, kind="tests.overtaken", params={})
    finally:
        del registry.KINDS["tests.overtaken"]

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.result is None
    assert audit_of(job) == ["jobs.start"]


@pytest.mark.django_db(transaction=True)
def test_a_task_taken_by_a_worker_that_died_before_starting_the_job_is_replaced(
    job_kinds, database_queue, alice
):
    job = start_job(caller=alice, kind="tests.count", params={"to": 2})
    lost_task = DBTaskResult.objects.get(id=job.task_id)
    lost_task.claim("killed-worker")
    DBTaskResult.objects.filter(id=lost_task.id).update(
        started_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    work_off_the_queue()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)
    assert DBTaskResult.objects.get(id=lost_task.id).status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_a_task_row_left_running_after_its_job_ended_is_closed(job_kinds, database_queue, alice):
    job = start_job(caller=alice, kind="tests.count", params={"to": 2})
    work_off_the_queue()
    # Killed between ending the job and marking its task done.
    DBTaskResult.objects.filter(id=job.task_id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    recover_stalled_jobs()

    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_a_new_deduplication_run_is_not_blocked_by_one_whose_worker_died(database_queue, alice):
    client = token_client_for(alice)
    first = client.post("/api/v1/duplicates/runs")
    assert first.status_code == 201
    # Queued, waiting for a worker: one at a time.
    assert client.post("/api/v1/duplicates/runs").status_code == 409
    stuck = DeduplicationRun.objects.get(pk=first.json()["id"]).job
    as_if_its_worker_was_killed(stuck)

    again = client.post("/api/v1/duplicates/runs")

    assert again.status_code == 201
    stuck.refresh_from_db()
    assert stuck.status == Job.Status.FAILED
    assert stuck.error == WORKER_LOST
    assert DeduplicationRun.objects.count() == 2


def test_starting_planning_while_a_plan_is_under_way_answers_that_plan(database_queue, bob):
    client = token_client_for(bob)
    first = client.post("/api/v1/visits/plans")
    second = client.post("/api/v1/visits/plans")
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json()["id"] == first.json()["id"]
    assert Job.objects.filter(kind="visits.plan").count() == 1

    as_if_its_worker_was_killed(Job.objects.get(pk=first.json()["id"]))
    third = client.post("/api/v1/visits/plans")

    assert third.json()["id"] != first.json()["id"]
    assert third.json()["status"] == Job.Status.QUEUED
