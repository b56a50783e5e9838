import datetime

from django.db.models import Max

from homeward.jobs.models import WorkerHeartbeat


def last_worker_beat() -> datetime.datetime | None:
    """When a worker last said it was alive (any worker: they share one queue)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
