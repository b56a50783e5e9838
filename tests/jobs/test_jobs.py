"""Background jobs go through the real database queue and `homeward db_worker`."""

import pytest
from django.core.exceptions import PermissionDenied

from homeward.access.roles import Permission
from homeward.audit.models import AuditEvent
from homeward.jobs import registry
from homeward.jobs.models import Job
from homeward.jobs.services import start_job
from tests.jobs.queue import work_off_the_queue


# The worker closes and reopens database connections between tasks, as it does in service:
# these tests commit for real rather than inside a transaction rolled back at the end.
@pytest.mark.django_db(transaction=True)
def test_a_queued_job_waits_for_the_worker_then_holds_its_result(job_kinds, database_queue, alice):
    job = start_job(caller=alice, kind="tests.count", params={"to": 3})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    work_off_the_queue()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"counted": 3}
    assert job.percent == 100
    assert job.started_at is not None and job.finished_at >= job.started_at
    actions = list(
        AuditEvent.objects.filter(target_type="jobs.job", target_id=str(job.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["jobs.start", "jobs.done"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_says_why_and_the_worker_goes_on(job_kinds, database_queue, alice):
    failing = start_job(caller=alice, kind="tests.refuse", params={})
    after = start_job(caller=alice, kind="tests.count", params={"to": 2})

    work_off_the_queue()

    failing.refresh_from_db()
    after.refresh_from_db()
    assert failing.status == Job.Status.FAILED
    assert failing.error == "the capacity has no open day"
    assert after.status == Job.Status.DONE
    # The audit row says that it failed, not the message, which may quote records.
    ended = AuditEvent.objects.get(action="jobs.failed", target_id=str(failing.pk))
    assert ended.details == {"kind": "tests.refuse", "error": "refused"}


def test_a_job_is_not_started_by_a_role_that_may_not(job_kinds, bob):
    with pytest.raises(PermissionDenied):
        start_job(caller=bob, kind="tests.count", params={"to": 1})
    assert not Job.objects.exists()


def act_as_starter(job, report):
    from homeward.jobs.services import caller_of_job

    return {"acting_for": caller_of_job(job).user.get_username()}


@pytest.mark.django_db(transaction=True)
def test_a_job_acts_for_its_starter_only_while_their_account_is_active(database_queue, alice):
    registry.register(
        registry.JobKind("tests.act", "Act", Permission.EDIT_HOUSEHOLDS, act_as_starter)
    )
    try:
        done = start_job(caller=alice, kind="tests.act", params={})
        work_off_the_queue()
        stopped = start_job(caller=alice, kind="tests.act", params={})
        type(alice.user).objects.filter(pk=alice.user.pk).update(is_active=False)
        work_off_the_queue()
    finally:
        del registry.KINDS["tests.act"]
    done.refresh_from_db()
    stopped.refresh_from_db()
    assert done.result == {"acting_for": "alice"}
    assert stopped.status == Job.Status.FAILED
    assert "no longer active" in stopped.error
