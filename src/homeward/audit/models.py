from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One write (or sensitive read): who, what, when, for which organisation, and why.

    Rows are only ever added, each committing to the one before (`previous_hash`), so that
    `homeward audit verify` finds any row edited, deleted, inserted or reordered; checked
    against an anchor kept elsewhere (`homeward audit anchor`), it finds rows cut from the end.
    """

    # Position in the chain; assigned under the chain head's lock, so it has no gaps.
    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text as well, so the record survives the account's deletion.
    actor_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "access.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    # HMAC-SHA-256 under the audit key named by key_id (homeward/audit/keys.py), which lives
    # in the environment: a database writer cannot compute it.
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=32)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


def events_in_order(events: "models.QuerySet[AuditEvent] | None" = None, page: int = 5000):
    """Audit rows by sequence, a page at a time.

    Pages, not a server-side cursor: a caller that stops early (verification stops at the
    first break) would leave a PostgreSQL cursor open that later blocks the connection.
    """
    events = AuditEvent.objects.all() if events is None else events
    last = None
    while True:
        batch = list(
            (events if last is None else events.filter(sequence__gt=last)).order_by("sequence")[
                :page
            ]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


class AuditChainHead(models.Model):
    """The one row that every audited write locks: the last sequence number and hash.

    It serialises appends (two writers cannot both extend the same row) and lets
    verification notice rows cut from the end of the chain.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at {self.sequence}"
