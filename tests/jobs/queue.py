"""Driving the queue as a worker would, and leaving it as a killed worker would."""

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.jobs.models import Job


def work_off_the_queue():
    """`homeward db_worker --batch`: it recovers the jobs of dead workers first, then runs the queue."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def as_if_its_worker_was_killed(job: Job, *, attempt: int = 1, silent_for: int = 120) -> None:
    """What a worker killed in the middle of a job leaves: the job and its task row "running",
    and a heartbeat that stopped `silent_for` seconds ago."""
    DBTaskResult.objects.get(id=job.task_id).claim("killed-worker")
    stopped = timezone.now() - datetime.timedelta(seconds=silent_for)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=attempt, started_at=stopped, heartbeat_at=stopped
    )
