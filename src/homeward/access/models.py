import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.access.roles import Role


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HOST_GOVERNMENT = "host_government", _("Host-country authority")
        HOME_AUTHORITY = "home_authority", _("Authority of the area of return")
        UN_AGENCY = "un_agency", _("UN agency")
        RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
        NGO = "ngo", _("Non-governmental organisation")
        MONITORING = "monitoring", _("Monitoring mission")
        CLAIMS_BODY = "claims_body", _("Property claims body")
        COMMUNITY = "community", _("Community council")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff account's one organisation and role; scoping of every read starts here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


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
