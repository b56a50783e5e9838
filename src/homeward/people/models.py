"""The registry: households and the persons in them, as each registering body wrote them.

What was written is kept verbatim; beside it, normalised keys (from engines.linkage) let a
search in one script find names written in another.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.encryption import EncryptedJSONField, EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "", _("Not recorded")


class BirthPrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


class Relation(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NON_RELATIVE = "non_relative", _("Not related")


class Vulnerability(models.TextChoices):
    OLDER_PERSON = "older_person", _("Older person")
    DISABILITY = "disability", _("Disability")
    PREGNANCY = "pregnancy", _("Pregnancy")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")


class Household(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("registering organisation"),
    )
    origin_settlement = models.ForeignKey(
        "places.Settlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("settlement of origin"),
    )
    # The place of origin exactly as the registering body wrote it, resolved or not.
    origin_written = models.CharField(_("origin, as written"), max_length=200, blank=True)
    origin_address = models.CharField(_("address of origin"), max_length=300, blank=True)
    shelter = models.ForeignKey(
        "places.Shelter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("collective shelter"),
    )
    host_site = models.ForeignKey(
        "places.HostSite",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("host community"),
    )
    host_address = models.CharField(_("host address"), max_length=300, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    # Keyed hash of the normalised number: exact look-up without storing the number in clear.
    phone_lookup = models.CharField(max_length=64, blank=True, db_index=True)
    registered_on = models.DateField(_("registration date"))
    # Where an import created it: (organisation, source, household_ref) make re-imports
    # idempotent.
    source = models.CharField(max_length=64, blank=True)
    # A household_ref (64 characters) or "record:" and a record id (64) for a household of one.
    source_ref = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_on", "reference"]
        constraints = [
            # The importer relies on this to find the household a re-run already created. Per
            # organisation: two bodies may import the same shared register, each for itself.
            models.UniqueConstraint(
                fields=["organisation", "source", "source_ref"],
                condition=~Q(source_ref=""),
                name="household_source_ref_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def editable_values(self) -> dict:
        """The fields a caseworker edits, as the services and forms take them."""
        return {
            "origin_settlement": self.origin_settlement,
            "origin_written": self.origin_written,
            "origin_address": self.origin_address,
            "shelter": self.shelter,
            "host_site": self.host_site,
            "host_address": self.host_address,
            "phone": self.phone,
            "registered_on": self.registered_on,
        }


class PersonQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): the organisation is filled from the household here too.
        objs = list(objs)
        for person in objs:
            person.fill_organisation()
        return super().bulk_create(objs, *args, **kwargs)


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="persons")
    # Always the household's organisation (filled on save); stored on the person so that the
    # database can hold (organisation, source, record_id) unique.
    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    given_key = models.CharField(max_length=100, db_index=True)
    family_key = models.CharField(max_length=100, db_index=True)
    patronymic_key = models.CharField(max_length=100, blank=True)
    # Romanised full name, for ranking search results by closeness to what was typed.
    name_latin = models.CharField(max_length=300)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)
    relation = models.CharField(
        _("relation to the head"), max_length=20, choices=Relation.choices, default=Relation.UNKNOWN
    )
    vulnerabilities = EncryptedJSONField(_("vulnerabilities"), default=list, blank=True)
    # The registering body's own identifiers; (organisation, source, record_id) make imports
    # idempotent.
    source = models.CharField(max_length=64)
    record_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["household", "id"]
        constraints = [
            # The importer relies on this to skip rows a re-run already wrote. Per organisation:
            # another body importing the same register gets its own persons, and learns nothing
            # of what this one holds.
            models.UniqueConstraint(
                fields=["organisation", "source", "record_id"],
                name="person_source_record_unique_per_organisation",
            ),
            # A day needs a month, a month needs a year: the precision is derived from this.
            models.CheckConstraint(
                condition=(Q(birth_day__isnull=True) | Q(birth_month__isnull=False))
                & (Q(birth_month__isnull=True) | Q(birth_year__isnull=False)),
                name="person_birth_date_precision_consistent",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="person_birth_day_range",
            ),
        ]
        indexes = [models.Index(fields=["family_key", "given_key"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        self.fill_organisation()
        super().save(*args, **kwargs)

    def fill_organisation(self) -> None:
        if self.organisation_id is None and self.household_id is not None:
            self.organisation_id = (
                self.household.organisation_id
                if Person.household.is_cached(self)
                else Household.objects.values_list("organisation_id", flat=True).get(
                    pk=self.household_id
                )
            )

    def editable_values(self) -> dict:
        """The fields a caseworker edits, as written, as the services and forms take them."""
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "patronymic": self.patronymic,
            "sex": self.sex,
            "birth_date": self.birth_date_display,
            "relation": self.relation,
            "vulnerabilities": self.vulnerabilities,
        }

    @property
    def birth_precision(self) -> str:
        if self.birth_day:
            return BirthPrecision.DAY
        if self.birth_month:
            return BirthPrecision.MONTH
        if self.birth_year:
            return BirthPrecision.YEAR
        return BirthPrecision.UNKNOWN

    def get_birth_precision_display(self) -> str:
        return str(BirthPrecision(self.birth_precision).label)

    @property
    def birth_date_display(self) -> str:
        parts = [f"{self.birth_year:04d}" if self.birth_year else ""]
        if self.birth_month:
            parts.append(f"{self.birth_month:02d}")
        if self.birth_day:
            parts.append(f"{self.birth_day:02d}")
        return "-".join(p for p in parts if p)

    def get_vulnerabilities_display(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [str(labels.get(code, code)) for code in self.vulnerabilities]


class RegistrationImport(models.Model):
    """One run of import-registrations: what file, by whom, with what outcome."""

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=64)
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    persons_created = models.PositiveIntegerField()
    households_created = models.PositiveIntegerField()
    rows_unchanged = models.PositiveIntegerField()
    rows_rejected = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.source}, {self.imported_at:%Y-%m-%d})"
