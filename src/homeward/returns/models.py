"""Permanent return: what each household intends and needs, and the guarantees on offer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.encryption import EncryptedTextField
from homeward.returns.survey import INTENTION_LABELS, TIMING_LABELS


class Intention(models.Model):
    """One answer of a household to the intention survey; its newest answer is the current one."""

    class Source(models.TextChoices):
        APP = "app", _("Recorded in Homeward")
        KOBO = "kobo", _("KoboToolbox submission")
        ODK = "odk", _("ODK Central submission")

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="intentions"
    )
    intention = models.CharField(_("intention"), max_length=16, choices=INTENTION_LABELS.items())
    timing = models.CharField(_("timing"), max_length=20, choices=TIMING_LABELS.items(), blank=True)
    # Condition codes of engines/projection/conditions.py, checked by the service.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    # The household's own words: sealed like other sensitive text, shown to case roles only.
    concerns = EncryptedTextField(_("concerns"), blank=True)
    questions = EncryptedTextField(_("questions"), blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.APP)
    # The submission's instanceID (or _uuid): importing the same export twice adds nothing.
    submission_id = models.CharField(max_length=100, blank=True)
    form_version = models.CharField(max_length=20, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # Import idempotency relies on it; per organisation, so one body's export says
            # nothing about what another holds.
            models.UniqueConstraint(
                fields=["organisation", "submission_id"],
                condition=~models.Q(submission_id=""),
                name="intention_submission_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.intention}"


class Guarantee(models.Model):
    """One right or guarantee of the return framework, in every language of the plan."""

    class Group(models.TextChoices):
        CIVIL = "civil", _("Civil")
        POLITICAL = "political", _("Political")
        RELIGIOUS = "religious", _("Religious")
        CULTURAL = "cultural", _("Cultural")
        CITIZENSHIP = "citizenship", _("Citizenship")
        PROPERTY = "property", _("Property")
        SECURITY = "security", _("Security")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_NEGOTIATION = "under_negotiation", _("Under negotiation")
        AGREED = "agreed", _("Agreed")
        IMPLEMENTED = "implemented", _("Implemented")
        VERIFIED = "verified", _("Verified by monitors")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)
    text_hy = models.TextField(_("text in Armenian"))
    text_ru = models.TextField(_("text in Russian"))
    text_en = models.TextField(_("text in English"))
    text_az = models.TextField(_("text in Azerbaijani"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    status_since = models.DateField(_("status since"))
    responsible_party = models.CharField(_("responsible party"), max_length=200)
    # The condition codes this guarantee answers (engines/projection/conditions.py).
    answers = models.JSONField(_("conditions it answers"), default=list)

    class Meta:
        ordering = ["group", "code"]

    def __str__(self) -> str:
        return self.code

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}", "") or self.text_en


class GuaranteeStatusChange(models.Model):
    """The dated history of a guarantee's status: the public reads how the plan advances."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Guarantee.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Guarantee.Status.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "access.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["guarantee", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.guarantee_id}: {self.from_status} -> {self.to_status} on {self.changed_on}"


class Question(models.Model):
    """A question people want answered before they decide, as the plan will publish it.

    What the household wrote stays sealed with its intention; the question here is worded for
    publication (no name, no address) by the caseworker who files it.
    """

    class Theme(models.TextChoices):
        SAFETY = "safety", _("Safety and security")
        PROPERTY = "property", _("Homes and property")
        DOCUMENTS = "documents", _("Documents and citizenship")
        SERVICES = "services", _("Schools, church and services")
        ADMINISTRATION = "administration", _("Administration and policing")
        VISITS = "visits", _("Visits and graves")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    # The public wording, in the language it was asked in; the answer in every language.
    text = models.TextField(_("question"))
    language = models.CharField(_("language"), max_length=2)
    asked_by = models.ForeignKey("access.Organisation", on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        related_name="questions_to_answer",
        verbose_name=_("to be answered by"),
    )
    asked_on = models.DateField(_("asked on"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer_hy = models.TextField(blank=True)
    answer_ru = models.TextField(blank=True)
    answer_en = models.TextField(blank=True)
    answer_az = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-asked_on", "-id"]
        constraints = [
            # The public list relies on it: an answered question has its answer's date.
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(answered_on__isnull=False),
                name="question_answered_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.text[:40]}"

    def answer(self, language: str) -> str:
        return getattr(self, f"answer_{language}", "") or self.answer_en
