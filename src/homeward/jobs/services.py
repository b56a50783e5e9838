"""Starting jobs and running them: every write to a job row, and its audit."""

import logging
import time

from django.db import transaction
from django.utils import timezone

from homeward.access.caller import Caller
from homeward.audit.services import record_event
from homeward.jobs.models import Job
from homeward.jobs.registry import JobFailed, kind_of

logger = logging.getLogger(__name__)
# Progress is written at most this often: a planner reports thousands of times a second.
PROGRESS_EVERY_SECONDS = 0.5


@transaction.atomic
def start_job(*, caller: Caller, kind: str, params: dict) -> Job:
    """Queue a job for the caller's organisation; a worker picks it up once this commits."""
    job_kind = kind_of(kind)
    caller.require(job_kind.permission)
    job = Job.objects.create(
        kind=kind,
        organisation=caller.organisation,
        requested_by=caller.user if getattr(caller.user, "pk", None) else None,
        params=params,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="jobs.start",
        target=job,
        details={"kind": kind, "params": params},
    )
    from homeward.jobs.tasks import run_job

    # In the database backend the queued task commits with the job row: a worker never sees
    # one without the other.
    run_job.enqueue(job.pk)
    return job


def caller_of_job(job: Job) -> Caller:
    """Who the job acts for: the person who started it, if they still may."""
    from homeward.access.caller import caller_for

    caller = caller_for(job.requested_by)
    if caller is None or caller.organisation.pk != job.organisation_id:
        raise JobFailed("The account that started this job is no longer active here.")
    caller.require(kind_of(job.kind).permission)
    return caller


def run(job_id: int) -> None:
    """Do one job's work, recording its progress, then its result or its error."""
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        logger.warning("job %s is %s, not queued: not run again", job_id, job.status)
        return
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), stage="", progress=0.0
    )
    last_written = 0.0

    def report(stage: str, fraction: float) -> None:
        nonlocal last_written
        now = time.monotonic()
        if now - last_written >= PROGRESS_EVERY_SECONDS or fraction >= 1.0:
            last_written = now
            Job.objects.filter(pk=job.pk).update(
                stage=str(stage)[:100], progress=min(1.0, max(0.0, fraction))
            )

    try:
        result = kind_of(job.kind).run(job, report)
    except JobFailed as failure:
        _finish(job, status=Job.Status.FAILED, error=str(failure), error_kind="refused")
    except Exception as failure:  # the worker must live on; the job says what went wrong
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            status=Job.Status.FAILED,
            error=f"{type(failure).__name__}: {failure}",
            error_kind=type(failure).__name__,
        )
    else:
        _finish(job, status=Job.Status.DONE, result=result)


def _finish(
    job: Job, *, status: str, result: dict | None = None, error: str = "", error_kind: str = ""
) -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=status,
            progress=1.0 if status == Job.Status.DONE else Job.objects.get(pk=job.pk).progress,
            result=result,
            error=error,
            finished_at=timezone.now(),
        )
        record_event(
            actor=None,
            organisation=job.organisation,
            action=f"jobs.{status}",
            target=job,
            # The error's kind only: its message can quote the records the job read, and the
            # log cannot be erased. The message stays on the job row.
            details={"kind": job.kind, "error": error_kind} if error else {"kind": job.kind},
        )
