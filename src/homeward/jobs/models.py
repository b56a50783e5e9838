from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

UNFINISHED = ("queued", "running")


class Job(models.Model):
    """Long work (planning convoys, deduplicating the registry) run by a background worker.

    The row is what the people who started it watch: its stage and progress are written by
    the worker as it goes, its result or error when it ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)  # 0 to 1
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Kinds that run one at a time per organisation (deduplication, planning) set this; the
    # constraint below is what keeps two such runs from starting together.
    one_at_a_time = models.BooleanField(default=False)
    # Times a worker took the job up. Every write of a run names its attempt, so a worker
    # taken for dead cannot overwrite the attempt that replaced it.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Written while the job runs (by its progress and by the worker's heartbeat thread): a
    # running job whose heartbeat is older than HOMEWARD_WORKER_STALE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The queued task (django-tasks' result id) that may run this job; a task left over from
    # an attempt the worker died in is not allowed to.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # "One run at a time": start_job relies on it when many start at once (a check
            # before the insert lets them all through).
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(one_at_a_time=True, status__in=UNFINISHED),
                name="jobs_one_unfinished_run_per_kind",
            ),
        ]
        indexes = [
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(status="running"),
                name="jobs_running_heartbeat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.progress)

    @property
    def error_in_language(self) -> str:
        """The error in the reader's language when the app wrote it (stored in English)."""
        return gettext(self.error) if self.error else ""

    @property
    def tried_again(self) -> bool:
        """Its worker stopped during an earlier attempt, and it was queued again."""
        return self.attempts > 1 or (self.attempts == 1 and self.status == self.Status.QUEUED)


class WorkerHeartbeat(models.Model):
    """One row per running `homeward db_worker`, written every few seconds: /healthz reads it."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"
