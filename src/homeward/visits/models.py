"""Escorted day visits home: who asks, the capacity, the convoys, clearance and the crossing.

A request belongs to the organisation that registered the household; that organisation's
planners set its capacity, plan its convoys and print their manifests. The authorities of
the area of return see a manifest only through a data-sharing agreement for clearance, and
only the travellers who consented to it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.encryption import EncryptedTextField


class Purpose(models.TextChoices):
    BELONGINGS = "belongings", _("Retrieve belongings")
    GRAVES = "graves", _("Visit or relocate graves")
    DOCUMENTS = "documents", _("Retrieve documents")
    OTHER = "other", _("Other")


class Capacity(models.Model):
    """What the crossing and the escorts allow, as the organisation's planners set it."""

    organisation = models.OneToOneField(
        "access.Organisation", on_delete=models.PROTECT, related_name="visit_capacity"
    )
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(
        _("days in the horizon"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    weekdays = models.JSONField(_("weekdays the checkpoint opens"))  # ISO numbers, 1 = Monday
    checkpoint_people_per_day = models.PositiveIntegerField(
        _("people the checkpoint can process a day")
    )
    convoys_per_day = models.PositiveSmallIntegerField(_("convoys a day (one escort team each)"))
    seats_per_convoy = models.PositiveSmallIntegerField(_("seats per convoy"))
    cargo_m3_per_convoy = models.DecimalField(
        _("cargo per convoy (m³)"), max_digits=7, decimal_places=2
    )
    meeting_point = models.CharField(_("meeting point"), max_length=200)
    departure_time = models.TimeField(_("departure time"))
    routes = models.ManyToManyField("places.Route", related_name="+", verbose_name=_("routes"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.start} + {self.days} days"


class VisitRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a convoy")
        PLANNED = "planned", _("Planned")
        TRAVELLED = "travelled", _("Travelled")
        CANCELLED = "cancelled", _("Cancelled")

    class Language(models.TextChoices):
        ARMENIAN = "hy", "Հայերեն"
        RUSSIAN = "ru", "Русский"
        ENGLISH = "en", "English"

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="visit_requests"
    )
    destination = models.ForeignKey(
        "places.Settlement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination"),
    )
    purposes = models.JSONField(_("purposes"))
    cargo_m3 = models.DecimalField(
        _("cargo to bring back (m³)"), max_digits=6, decimal_places=2, default=0
    )
    earliest = models.DateField(_("earliest date"))
    latest = models.DateField(_("latest date"), null=True, blank=True)
    computed_priority = models.PositiveSmallIntegerField()
    priority_override = models.PositiveSmallIntegerField(null=True, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    language = models.CharField(
        _("language for messages"), max_length=2, choices=Language.choices, default="hy"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    convoy = models.ForeignKey(
        "Convoy", null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    # The convoy the household was last told about: replanning keeps notified people in place.
    notified_convoy = models.ForeignKey(
        "Convoy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["earliest", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest__isnull=True)
                | models.Q(latest__gte=models.F("earliest")),
                name="visit_request_window",
            ),
            models.CheckConstraint(condition=models.Q(cargo_m3__gte=0), name="visit_cargo"),
            models.CheckConstraint(
                condition=models.Q(computed_priority__gte=1, computed_priority__lte=3),
                name="visit_priority_range",
            ),
            models.CheckConstraint(
                condition=models.Q(priority_override__isnull=True)
                | models.Q(priority_override__gte=1, priority_override__lte=3),
                name="visit_override_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def priority(self) -> int:
        return self.priority_override or self.computed_priority

    def get_purposes_display(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purposes]


class Convoy(models.Model):
    """One escorted convoy on one day, serving the settlements of one route."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DEPARTED = "departed", _("Departed")
        RETURNED = "returned", _("Returned")

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    number = models.PositiveSmallIntegerField(_("convoy"))
    route = models.ForeignKey("places.Route", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date", "number"], name="convoy_one_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}/{self.number}"

    @property
    def code(self) -> str:
        return f"{self.date.isoformat()}/{self.number}"


class Traveller(models.Model):
    """A person travelling on a request: their clearance and their crossing, out and back."""

    class Clearance(models.TextChoices):
        PENDING = "pending", _("Awaiting clearance")
        CLEARED = "cleared", _("Cleared")
        REFUSED = "refused", _("Refused")
        APPEALED = "appealed", _("Refused, under appeal")

    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="travellers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    clearance = models.CharField(
        max_length=16, choices=Clearance.choices, default=Clearance.PENDING
    )
    refusal_reason = models.CharField(max_length=32, blank=True)
    clearance_note = models.CharField(max_length=300, blank=True)
    clearance_decided_at = models.DateTimeField(null=True, blank=True)
    # What the person says against a refusal: their own words, sealed like other sensitive text.
    appeal_grounds = EncryptedTextField(blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="traveller_once"),
            # Nobody comes back without having left.
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True)
                | models.Q(checked_out_at__isnull=False),
                name="traveller_in_after_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.person_id}"


class MissingTravellerAlert(models.Model):
    """Someone checked out who was not back when the convoy returned.

    It stays open until the traveller checks in or someone closes it with what happened:
    nobody can drop out of the records without a trace.
    """

    traveller = models.OneToOneField(Traveller, on_delete=models.PROTECT, related_name="alert")
    convoy = models.ForeignKey(Convoy, on_delete=models.PROTECT, related_name="alerts")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.convoy.code}: traveller {self.traveller_id}"
