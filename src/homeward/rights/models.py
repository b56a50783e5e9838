"""People's requests to correct or erase their data, and the record of what was anonymised.

A request stays after it is decided (who asked, when, how, the decision and its reason); what
the person said and the value they asked for are encrypted, and cleared when the person's data
are erased or when the retention rule for them ends.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.encryption import EncryptedTextField


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    WRITTEN = "written", _("In writing (letter or form)")
    MESSAGE = "message", _("By e-mail or message")
    REPRESENTATIVE = "representative", _("Through a representative or another organisation")


class CorrectableField(models.TextChoices):
    """What a person may ask to correct; each is applied through the registry's services."""

    GIVEN_NAME = "given_name", _("Given name")
    FAMILY_NAME = "family_name", _("Family name")
    PATRONYMIC = "patronymic", _("Patronymic")
    SEX = "sex", _("Sex")
    BIRTH_DATE = "birth_date", _("Birth date")
    RELATION = "relation", _("Relation to the head")
    VULNERABILITIES = "vulnerabilities", _("Vulnerabilities")
    PHONE = "phone", _("Phone")
    ORIGIN_ADDRESS = "origin_address", _("Address of origin")
    HOST_ADDRESS = "host_address", _("Host address")


# Fields that belong to the household rather than the person (shared by its members).
HOUSEHOLD_FIELDS = frozenset(
    {CorrectableField.PHONE, CorrectableField.ORIGIN_ADDRESS, CorrectableField.HOST_ADDRESS}
)


class RightsRequest(models.Model):
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # What the person said, in their words as noted by the caseworker.
    statement = EncryptedTextField(_("what the person said"), blank=True)
    channel = models.CharField(_("received"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # When the person's words (and any value asked for) were cleared: erasure or retention.
    text_cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-recorded_at", "-id"]

    @property
    def pending(self) -> bool:
        return self.decided_at is None


class CorrectionRequest(RightsRequest):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        ACCEPTED = "accepted", _("Accepted: the record was corrected")
        REFUSED = "refused", _("Refused")

    field = models.CharField(_("field"), max_length=32, choices=CorrectableField.choices)
    value_asked = EncryptedTextField(_("value asked for"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # The registry's own audit row for the change, so the request shows how it was applied.
    applied_event = models.ForeignKey(
        "audit.AuditEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(RightsRequest.Meta):
        constraints = [
            # A decided request has its date and a refused one its reason; the pages show both.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="correction_decided_consistently",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""),
                name="correction_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(applied_event__isnull=False),
                name="correction_acceptance_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"correction {self.pk}: {self.field} ({self.status})"


class ErasureRequest(RightsRequest):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        ERASED = "erased", _("Erased")
        KEPT = "kept", _("Kept under a retention rule")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # The key of the rule in rights/retention.py that keeps the data.
    retention_rule = models.CharField(_("retention rule"), max_length=64, blank=True)

    class Meta(RightsRequest.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="erasure_decided_consistently",
            ),
            # Data are kept only under a named rule: the answer to the person cites it.
            models.CheckConstraint(
                condition=~Q(status="kept") | ~Q(retention_rule=""),
                name="erasure_kept_names_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.status})"


class Anonymisation(models.Model):
    """That a person's data (or a household's contact data, `person` empty) were anonymised,
    when and why: on an erasure request or at the end of a retention period.

    It also makes anonymisation idempotent: what has a row here is not anonymised again.
    """

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    retention_rule = models.CharField(max_length=64, blank=True)
    erasure_request = models.ForeignKey(
        ErasureRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # Once per person and once per household: the expiry command relies on both.
            models.UniqueConstraint(
                fields=["person"], condition=Q(person__isnull=False), name="anonymised_person_once"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(person__isnull=True),
                name="anonymised_household_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.person_id or '-'} at {self.at:%Y-%m-%d}"
