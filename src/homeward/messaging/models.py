"""The outbox: every message to a household or a staff account, from queued to delivered.

A service writes the message in its own transaction, so a change that rolls back leaves no
message behind; a worker delivers it once that transaction has committed, retries a failed
attempt a few times, then marks it "not delivered" with the reason, for the pages that list
who was not reached.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.encryption import EncryptedTextField


class Message(models.Model):
    class Recipient(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        STAFF = "staff", _("Staff account")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Failed, will retry")
        SENT = "sent", _("Sent")
        NOT_DELIVERED = "not_delivered", _("Not delivered")

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient_kind = models.CharField(max_length=16, choices=Recipient.choices)
    household = models.ForeignKey(
        "people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The phone number, e-mail or account name the message goes to, as it was when the change
    # was made; sealed like the registry's phone numbers.
    address = EncryptedTextField(blank=True)
    language = models.CharField(max_length=8)
    # The text names people (a refusal names the traveller) and their date and meeting point.
    text = EncryptedTextField(blank=True)
    # What it is about: "visits.notify" with the visit request, "visits.alert" with the convoy.
    topic = models.CharField(max_length=40)
    about_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed, for the people who follow up (never the full address).
    last_error = models.CharField(max_length=300, blank=True)
    backend = models.CharField(max_length=100, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            # The pages' "not reached" lists: one organisation's undelivered messages on a topic.
            models.Index(fields=["organisation", "topic", "status"], name="message_by_topic"),
            models.Index(fields=["about_type", "about_id"], name="message_about"),
        ]
        constraints = [
            # Delivery and the "not reached" lists rely on the recipient matching its kind.
            models.CheckConstraint(
                condition=Q(recipient_kind="household", household__isnull=False, user__isnull=True)
                | Q(recipient_kind="staff", user__isnull=False, household__isnull=True),
                name="message_recipient_matches_kind",
            ),
            # "Were they told?" is answered by sent_at: only a sent message has one.
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="message_sent_has_time",
            ),
            # The "not reached" lists show the reason: a message given up on always has one.
            models.CheckConstraint(
                condition=~Q(status="not_delivered") | ~Q(last_error=""),
                name="message_not_delivered_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} to {self.recipient_kind} ({self.status})"
