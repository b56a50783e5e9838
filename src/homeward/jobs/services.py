"""Starting jobs and running them: every write to a job row, and its audit.

A worker can die in the middle of a job (killed, out of memory, its machine restarted). A
running job carries a heartbeat, written by its progress and by the worker's heartbeat thread
(homeward/jobs/worker.py); `recover_stalled_jobs`, which every `homeward db_worker` runs every
few seconds, finds the jobs whose heartbeat stopped and runs each once more, or ends it as
failed with a message the job page shows.
"""

import datetime
import logging
import os
import socket
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from homeward.access.caller import Caller
from homeward.audit.services import record_event
from homeward.jobs.models import UNFINISHED, Job, WorkerHeartbeat
from homeward.jobs.registry import JobAlreadyRunning, JobFailed, WhileRunning, kind_of

logger = logging.getLogger(__name__)
# Progress is written at most this often: a planner reports thousands of times a second.
PROGRESS_EVERY_SECONDS = 0.5
# A job whose worker died is run once more; if the worker dies again, it fails.
MAX_ATTEMPTS = 2
# Stored in English and translated when the page shows it (templates/jobs/_progress.html).
WORKER_LOST = gettext_noop("The worker stopped while this job was running; start it again.")
# Heartbeat rows of workers gone this long are deleted.
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)

# (job id, attempt) of the jobs running in this process: its own watch never takes them for
# stalled, whatever their heartbeat says (a long transaction can hold the heartbeat back).
_running_here: set[tuple[int, int]] = set()


class JobTakenOver(Exception):
    """This attempt was taken for dead and replaced: it must stop and write nothing more."""


def stale_seconds() -> float:
    return float(settings.HOMEWARD_WORKER_STALE_SECONDS)


def heartbeat_seconds() -> float:
    """How often a worker beats: several times within the staleness threshold."""
    return min(10.0, max(0.2, stale_seconds() / 6))


def _stale_limit(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=stale_seconds())


def stalled(jobs: QuerySet[Job], *, now: datetime.datetime | None = None) -> QuerySet[Job]:
    """The running jobs among these whose worker has gone: no heartbeat for too long."""
    limit = _stale_limit(now or timezone.now())
    return (
        jobs.filter(status=Job.Status.RUNNING)
        .filter(
            Q(heartbeat_at__lt=limit)
            # Rows from before heartbeats existed.
            | Q(heartbeat_at__isnull=True, started_at__lt=limit)
            | Q(heartbeat_at__isnull=True, started_at__isnull=True)
        )
        .exclude(pk__in=[pk for pk, _attempt in list(_running_here)])
    )


@transaction.atomic
def start_job(
    *, caller: Caller, kind: str, params: dict, while_running: WhileRunning | None = None
) -> Job:
    """Queue a job for the caller's organisation; a worker picks it up once this commits.

    For kinds that run one at a time (`while_running` REFUSE or JOIN, given here or by the
    kind), a run already queued or running either refuses this one (JobAlreadyRunning) or is
    answered instead of it; a run whose worker has gone is ended first and blocks nothing.
    """
    job_kind = kind_of(kind)
    caller.require(job_kind.permission)
    mode = while_running or job_kind.while_running
    values = {
        "kind": kind,
        "organisation": caller.organisation,
        "requested_by": caller.user if getattr(caller.user, "pk", None) else None,
        "params": params,
    }
    if mode == WhileRunning.QUEUE:
        job = Job.objects.create(**values)
    else:
        same_kind = Job.objects.filter(
            organisation=caller.organisation, kind=kind, one_at_a_time=True
        )
        for lost in stalled(same_kind).values_list("pk", flat=True):
            _recover(lost, retry=False)
        try:
            # The partial unique constraint decides between runs started at the same moment:
            # the others wait for the first to commit, then fail here.
            with transaction.atomic():
                job = Job.objects.create(**values, one_at_a_time=True)
        except IntegrityError:
            under_way = same_kind.filter(status__in=UNFINISHED).first()
            if under_way is None:
                raise
            if mode == WhileRunning.JOIN:
                return under_way
            raise JobAlreadyRunning(under_way) from None
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="jobs.start",
        target=job,
        details={"kind": kind, "params": params},
    )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from homeward.jobs.tasks import run_job

    # In the database backend the queued task commits with the job row: a worker never sees
    # one without the other. The immediate backend runs the job inside this call.
    task = run_job.enqueue(job.pk)
    job.task_id = str(task.id)
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def caller_of_job(job: Job) -> Caller:
    """Who the job acts for: the person who started it, if they still may."""
    from homeward.access.caller import caller_for

    caller = caller_for(job.requested_by)
    if caller is None or caller.organisation.pk != job.organisation_id:
        raise JobFailed("The account that started this job is no longer active here.")
    caller.require(kind_of(job.kind).permission)
    return caller


def run(job_id: int, *, task_id: str | None = None) -> None:
    """Do one job's work, recording its progress, then its result or its error.

    `task_id` is the queued task running it: a task left from an attempt whose worker died
    (the job has been queued again under a new task) does not run it.
    """
    now = timezone.now()
    claim = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED)
    if task_id is not None:
        claim = claim.filter(Q(task_id="") | Q(task_id=task_id))
    claimed = claim.update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        stage="",
        progress=0.0,
    )
    if not claimed:
        logger.warning("job %s is not queued for task %s: not run", job_id, task_id)
        return
    job = Job.objects.select_related("organisation").get(pk=job_id)
    this_attempt = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
    last_written = 0.0

    def report(stage: str, fraction: float) -> None:
        nonlocal last_written
        now = time.monotonic()
        if now - last_written >= PROGRESS_EVERY_SECONDS or fraction >= 1.0:
            last_written = now
            written = this_attempt.update(
                stage=str(stage)[:100],
                progress=min(1.0, max(0.0, fraction)),
                heartbeat_at=timezone.now(),
            )
            if not written:
                raise JobTakenOver(f"job {job.pk} attempt {job.attempts}")

    _running_here.add((job.pk, job.attempts))
    try:
        result = kind_of(job.kind).run(job, report)
    except JobTakenOver:
        logger.warning("job %s: attempt %s was replaced; its work stops", job.pk, job.attempts)
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
    finally:
        _running_here.discard((job.pk, job.attempts))


def _finish(
    job: Job, *, status: str, result: dict | None = None, error: str = "", error_kind: str = ""
) -> None:
    with transaction.atomic():
        written = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts
        ).update(
            status=status,
            progress=1.0 if status == Job.Status.DONE else F("progress"),
            result=result,
            error=error,
            finished_at=timezone.now(),
        )
        if not written:
            logger.warning(
                "job %s: attempt %s was replaced; its end not kept", job.pk, job.attempts
            )
            return
        record_event(
            actor=None,
            organisation=job.organisation,
            action=f"jobs.{status}",
            target=job,
            # The error's kind only: its message can quote the records the job read, and the
            # log cannot be erased. The message stays on the job row.
            details={"kind": job.kind, "error": error_kind} if error else {"kind": job.kind},
        )


def beat_running_jobs() -> None:
    """The heartbeat of the jobs running in this process, for long stretches without progress."""
    now = timezone.now()
    for pk, attempt in list(_running_here):
        Job.objects.filter(pk=pk, status=Job.Status.RUNNING, attempts=attempt).update(
            heartbeat_at=now
        )


# Heartbeat rows are the state of a process, not a change to anyone's records: not audited.
def beat_worker(*, worker_id: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
        )


def worker_stopped(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_WORKERS_AFTER).delete()


def recover_stalled_jobs() -> int:
    """Run again, or end as failed, every job whose worker has gone; how many were found.

    Also ends the task rows those workers left "running" in django-tasks' queue, so that
    nothing reads them as under way, and a task claimed by a worker that died before it
    started its job is replaced, so the job still runs.
    """
    found = 0
    for pk in stalled(Job.objects.all()).values_list("pk", flat=True):
        found += _recover(pk, retry=True)
    found += _requeue_jobs_of_lost_tasks()
    _end_orphaned_tasks()
    return found


def _recover(pk: int, *, retry: bool) -> bool:
    """Queue the job again if it may be, or fail it; False if it turned out alive."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=pk)
            .first()
        )
        # Checked again under the lock: another worker may have recovered it meanwhile.
        if job is None or not stalled(Job.objects.filter(pk=pk)).exists():
            return False
        lost_task = job.task_id
        if retry and job.attempts < MAX_ATTEMPTS:
            Job.objects.filter(pk=pk).update(
                status=Job.Status.QUEUED, stage="", progress=0.0, heartbeat_at=None
            )
            record_event(
                actor=None,
                organisation=job.organisation,
                action="jobs.retry",
                target=job,
                details={"kind": job.kind, "attempt": job.attempts, "error": "worker_lost"},
            )
            _enqueue(job)
            logger.warning("job %s (%s): its worker has gone; queued again", pk, job.kind)
        else:
            Job.objects.filter(pk=pk).update(
                status=Job.Status.FAILED, error=WORKER_LOST, finished_at=timezone.now()
            )
            record_event(
                actor=None,
                organisation=job.organisation,
                action="jobs.failed",
                target=job,
                details={"kind": job.kind, "error": "worker_lost"},
            )
            logger.warning("job %s (%s): its worker has gone; failed", pk, job.kind)
        _end_tasks([lost_task])
    return True


def _task_ids(ids) -> list[uuid.UUID]:
    # The immediate backend's task ids are not UUIDs and have no row in the queue.
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return valid


def _end_tasks(task_ids) -> int:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        id__in=_task_ids(task_ids), status=TaskResultStatus.RUNNING
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.WorkerLost",
        traceback="The worker running this task stopped before it ended.",
    )


def _lost_run_tasks(ids=None) -> QuerySet:
    """Queue rows of run_job marked running for longer than a heartbeat may be silent."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from homeward.jobs.tasks import run_job

    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path=run_job.module_path,
        started_at__lt=_stale_limit(timezone.now()),
    )
    return rows if ids is None else rows.filter(id__in=_task_ids(ids))


def _requeue_jobs_of_lost_tasks() -> int:
    # A worker claims a task, then at once marks its job running; one that died in between
    # left the job queued behind a task nobody runs.
    waiting = dict(
        Job.objects.filter(status=Job.Status.QUEUED)
        .exclude(task_id="")
        .values_list("task_id", "pk")
    )
    found = 0
    for task in _lost_run_tasks(waiting).values_list("id", flat=True):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update()
                .filter(pk=waiting[str(task)], status=Job.Status.QUEUED, task_id=str(task))
                .first()
            )
            if job is None:
                continue
            _enqueue(job)
            _end_tasks([task])
            found += 1
    return found


def _end_orphaned_tasks() -> None:
    # What is left: rows of workers that died after their job ended, or whose job was failed.
    under_way = Job.objects.filter(status__in=UNFINISHED).exclude(task_id="")
    live = set(_task_ids(under_way.values_list("task_id", flat=True)))
    orphaned = [task for task in _lost_run_tasks().values_list("id", flat=True) if task not in live]
    _end_tasks(orphaned)
