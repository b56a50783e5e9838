"""The gazetteer: settlements of origin with all their names, routes, and places of refuge.

No name is "the" name: a settlement carries its Armenian, Azerbaijani and Russian names side by
side, and `SettlementName` holds every spelling with its normalised key for look-up.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Settlement(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")

    slug = models.SlugField(unique=True)
    name_hy = models.CharField(_("Armenian name"), max_length=100)
    name_hy_latn = models.CharField(_("Armenian name, Latin letters"), max_length=100)
    name_az = models.CharField(_("Azerbaijani name"), max_length=100, blank=True)
    name_az_latn = models.CharField(
        _("Azerbaijani name, English spelling"), max_length=100, blank=True
    )
    name_ru = models.CharField(_("Russian name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    district = models.CharField(_("district"), max_length=64, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name_hy_latn"]

    def __str__(self) -> str:
        return self.display_name()

    def names_by_language(self) -> list[tuple[str, str]]:
        """Every official name with its language code, in a stable order."""
        pairs = [
            ("hy", self.name_hy),
            ("en", self.name_hy_latn),
            ("az", self.name_az),
            ("az-Latn", self.name_az_latn),
            ("ru", self.name_ru),
        ]
        return [(code, name) for code, name in pairs if name]

    def display_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        preferred = {
            "hy": self.name_hy,
            "ru": self.name_ru,
            "az": self.name_az or self.name_az_latn,
        }.get(language)
        return preferred or self.name_hy_latn

    def other_names(self, language: str | None = None) -> list[str]:
        shown = self.display_name(language)
        seen = {shown}
        others = []
        for _code, name in self.names_by_language():
            if name not in seen:
                seen.add(name)
                others.append(name)
        return others


class SettlementName(models.Model):
    """One spelling of a settlement, official or variant, with the key look-ups compare."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=100)
    language = models.CharField(max_length=16, blank=True)
    # Romanised spelling: an exact look-up that tells Sus from Sos, which share a phonetic key.
    latin = models.CharField(max_length=100, db_index=True)
    key = models.CharField(max_length=100, db_index=True)

    class Meta:
        # The loader relies on this to stay idempotent.
        constraints = [
            models.UniqueConstraint(fields=["settlement", "name"], name="settlement_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LocalisedName(models.Model):
    """Places in the host country carry their name in the interface languages."""

    name_en = models.CharField(_("English name"), max_length=150)
    name_hy = models.CharField(_("Armenian name"), max_length=150)
    name_ru = models.CharField(_("Russian name"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        return {"hy": self.name_hy, "ru": self.name_ru}.get(language) or self.name_en


class Route(LocalisedName):
    """Settlements that one escorted convoy can serve on one day."""

    slug = models.SlugField(unique=True)
    settlements = models.ManyToManyField(Settlement, through="RouteStop", related_name="routes")

    class Meta:
        ordering = ["slug"]


class RouteStop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "position"], name="route_stop_position_unique"
            ),
            models.UniqueConstraint(
                fields=["route", "settlement"], name="route_stop_settlement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.position}: {self.settlement}"


class HostRegion(LocalisedName):
    slug = models.SlugField(unique=True)
    # Share of the displaced living here in October 2023; weights the synthetic population.
    displaced_share = models.DecimalField(max_digits=4, decimal_places=3, default=0)

    class Meta:
        ordering = ["name_en"]


class HostSite(LocalisedName):
    """A community in the host country where displaced people live."""

    slug = models.SlugField(unique=True)
    region = models.ForeignKey(HostRegion, on_delete=models.PROTECT, related_name="sites")
    latitude = models.FloatField()
    longitude = models.FloatField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name_en"]


class Shelter(LocalisedName):
    """A collective shelter (community centre, hotel, dormitory …) with its capacity."""

    class Kind(models.TextChoices):
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        HOTEL = "hotel", _("Hotel")
        DORMITORY = "dormitory", _("Dormitory")
        SANATORIUM = "sanatorium", _("Sanatorium")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    code = models.CharField(max_length=32, unique=True)
    site = models.ForeignKey(HostSite, on_delete=models.PROTECT, related_name="shelters")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="shelter_capacity_positive"
            )
        ]
