"""Which registry records are one person: runs of the linkage engine, the pairs it was unsure
of, reviewers' decisions, and merges.

A merge groups persons into one identity; it never deletes or alters a Person row, so that
every registering body's record and its history stay as they were written, and undoing a
merge is marking it undone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DeduplicationRun(models.Model):
    """One run of the linkage engine over an organisation's registry, as a background job."""

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    job = models.OneToOneField(
        "jobs.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="deduplication"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    threshold = models.FloatField()
    review_floor = models.FloatField()
    records = models.PositiveIntegerField(default=0)
    merges_made = models.PositiveIntegerField(default=0)
    pairs_to_review = models.PositiveIntegerField(default=0)
    # Groups the engine linked but that a person had taken apart before: sent to review.
    held_back = models.PositiveIntegerField(default=0)
    kept_apart_by_guard = models.PositiveIntegerField(default=0)
    # The trained model, kept with the decisions taken on its scores.
    model = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Deduplication run #{self.pk}"


class CandidatePair(models.Model):
    """Two persons a run was unsure of, with the engine's explanation, for a person to decide."""

    class Why(models.TextChoices):
        UNCERTAIN = "uncertain", _("Scored in the uncertain band")
        GUARD = "guard", _("Scored high, but birth dates or given names contradict")
        UNDONE = "undone", _("Linked again after a merge of them was undone")
        # Never merged automatically, whatever the score (the engine's guard and record_run).
        HOUSEHOLD = "household", _("Same household — twins?")
        SEX = "sex", _("Recorded sex differs")

    run = models.ForeignKey(DeduplicationRun, on_delete=models.CASCADE, related_name="pairs")
    person_a = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField()
    agreements = models.JSONField(default=dict)  # field -> level label, from the engine
    # The engine's own reading of those levels (PairExplanation.agreed / .disagreed).
    agreed = models.JSONField(default=list)
    disagreed = models.JSONField(default=list)
    why = models.CharField(max_length=16, choices=Why.choices, default=Why.UNCERTAIN)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            # Decisions are looked up by (person_a, person_b): one order for every pair.
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="candidate_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["run", "person_a", "person_b"], name="candidate_pair_once_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.2f})"

    @property
    def suspicions(self) -> list[str]:
        """What a reviewer should know before trusting the score, read from the records
        themselves: the model adds up what a family shares (surname, father, origin, phone,
        a twin's birth date) as independent evidence, so siblings can score 1.00."""
        a, b = self.person_a, self.person_b
        found = []
        if a.household_id == b.household_id:
            found.append(str(self.Why.HOUSEHOLD.label))
        if a.sex and b.sex and a.sex != b.sex:
            found.append(str(self.Why.SEX.label))
        return found


class PairDecision(models.Model):
    """A person's answer to "are these two records one person?", which later runs respect."""

    class Decision(models.TextChoices):
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different people")

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person_a = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    pair = models.ForeignKey(
        CandidatePair, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    merge = models.ForeignKey(
        "Merge", null=True, blank=True, on_delete=models.PROTECT, related_name="confirmations"
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # A confirmation is withdrawn when the merge it made is undone; the row stays as history.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="pair_decision_ordered"
            ),
            # The engine is given one answer per pair: the decision in force.
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_decision_in_force_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} {self.decision} {self.person_b_id}"


class Merge(models.Model):
    """Persons found to be one person. Undone, or replaced by a larger merge, it stays as history."""

    class Method(models.TextChoices):
        AUTOMATIC = "automatic", _("Linked by a deduplication run")
        CONFIRMED = "confirmed", _("Confirmed by a reviewer")

    class State(models.TextChoices):
        ACTIVE = "active", _("In force")
        REPLACED = "replaced", _("Taken into a larger merge")
        UNDONE = "undone", _("Undone")

    organisation = models.ForeignKey(
        "access.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    run = models.ForeignKey(
        DeduplicationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    # Automatic merges: the lowest score among the links that joined them (all were at least
    # this sure), which is what a person checking the merge wants to know first.
    weakest_link = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_reason = models.TextField(blank=True)
    # Whoever undid it said the persons are different people (recorded as decisions).
    undone_as_different = models.BooleanField(default=False)
    # A merge that goes on without one record that was given back ("this one is someone
    # else"): the merge it continues (left undone, as history) and the record given back.
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="continued_as"
    )
    given_back = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The history pages and the undo service read the state from these fields.
            models.CheckConstraint(
                condition=Q(state="undone", undone_at__isnull=False)
                | (~Q(state="undone") & Q(undone_at__isnull=True)),
                name="merge_undone_when_undone_at",
            ),
            models.CheckConstraint(
                condition=Q(state="replaced", replaced_by__isnull=False)
                | (~Q(state="replaced") & Q(replaced_by__isnull=True)),
                name="merge_replaced_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"Merge #{self.pk} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state == self.State.ACTIVE


class MergeMember(models.Model):
    merge = models.ForeignKey(Merge, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Mirrors merge.state == active, so that the database can hold the rule below.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["merge", "person"]
        constraints = [
            models.UniqueConstraint(fields=["merge", "person"], name="merge_member_once"),
            # A person is one identity at a time: "same person as" and every merge rely on it.
            models.UniqueConstraint(
                fields=["person"], condition=Q(active=True), name="person_in_one_active_merge"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in merge {self.merge_id}"
