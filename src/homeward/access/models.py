import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.access.roles import OrganisationKind, Role, forbidden_role_message, may_hold


class Organisation(models.Model):
    Kind = OrganisationKind

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A kind that its members' roles do not fit would grant them what the kind may not hold.
        if self.pk is None:
            return
        for role in (
            Membership.objects.filter(organisation=self).values_list("role", flat=True).distinct()
        ):
            if not may_hold(self.kind, role):
                raise ValidationError({"kind": forbidden_role_message(self.kind, role)})


class Membership(models.Model):
    """A staff account's one organisation and role; scoping of every read starts here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        # Not a database constraint: the kind lives on the organisation, out of a CHECK's reach.
        # Every path that makes a membership (the service; any model form) runs this.
        if self.organisation_id is not None and not may_hold(self.organisation.kind, self.role):
            raise ValidationError(
                {"role": forbidden_role_message(self.organisation.kind, self.role)}
            )


class ApiToken(models.Model):
    """A bearer token for machine clients; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # Unique so that a presented token resolves to exactly one account.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class SignedInSession(models.Model):
    """Which session belongs to which account, so that disabling an account ends its sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class Purpose(models.TextChoices):
    """Why personal data may pass from one organisation to another."""

    VISIT_PLANNING = "visit_planning", _("Planning visits home")
    VISIT_CLEARANCE = (
        "visit_clearance",
        _("Clearance of visits by the authorities of the area of return"),
    )
    RETURN_PLANNING = "return_planning", _("Planning permanent return")
    MONITORING = "monitoring", _("Monitoring")
    PROPERTY_CLAIMS = "property_claims", _("Property claims")


# What an agreement can let pass, field by field; anything else never leaves its organisation.
SHAREABLE_FIELDS = {
    "household": _("household reference"),
    "given_name": _("given name"),
    "family_name": _("family name"),
    "patronymic": _("patronymic"),
    "sex": _("sex"),
    "birth_year": _("birth year"),
    "birth_date": _("birth date"),
    "origin": _("settlement of origin"),
    "relation": _("relation to the head"),
    "phone": _("phone"),
    "vulnerabilities": _("vulnerabilities"),
}


# What passes for visit clearance whatever an agreement lists: the manifest minimum (given
# name, family name, birth year, destination, convoy). The settlement of origin is where a
# visit home goes, so an agreement may name it as the destination. An agreement for this
# purpose that asks for anything else is refused (access/sharing.py).
CLEARANCE_FIELDS = ("given_name", "family_name", "birth_year")
PURPOSE_FIELD_LIMITS: dict[str, frozenset[str]] = {
    Purpose.VISIT_CLEARANCE: frozenset({*CLEARANCE_FIELDS, "origin"}),
}
# The longest an agreement may last; a longer one is refused (access/sharing.py).
AGREEMENT_MAX_YEARS = 10


class SharingAgreement(models.Model):
    """A data-sharing agreement: which fields pass from one organisation to another, for what
    purpose and when, approved by the data protection officer of each side."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_given"
    )
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements_received"
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    fields = models.JSONField(_("fields shared"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    provider_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_approved_at = models.DateTimeField(null=True, blank=True)
    recipient_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            # Sharing is between two organisations; the selectors rely on both.
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("recipient")), name="agreement_two_parties"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.recipient}: {self.get_purpose_display()}"

    @property
    def approved(self) -> bool:
        return self.provider_approved_at is not None and self.recipient_approved_at is not None


class Consent(models.Model):
    """A person's answer on sharing for one purpose: how, when and by whom it was recorded.

    The open record (not withdrawn) is the answer in force; a new answer or a withdrawal closes
    it, so the history stays.
    """

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbal, in person")
        WRITTEN = "written", _("Written, signed")
        PHONE = "phone", _("By phone")
        DIGITAL = "digital", _("Digital form")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    given = models.BooleanField(_("consents"))
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # One answer in force per person and purpose: the sharing selector relies on it.
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_open_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose}: {'yes' if self.given else 'no'}"
