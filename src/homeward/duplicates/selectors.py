"""Every read of runs, pairs, decisions and merges, scoped in the query to the caller's
organisation; another organisation's row is answered like a missing one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from homeward.access.caller import Caller
from homeward.access.models import Organisation
from homeward.access.roles import Permission
from homeward.duplicates.models import (
    CandidatePair,
    DeduplicationRun,
    Merge,
    MergeMember,
    PairDecision,
)
from homeward.engines.linkage import INPUT_COLUMNS
from homeward.jobs.models import Job
from homeward.people.models import Person, Relation
from homeward.people.selectors import persons_visible_to
from homeward.places.models import SettlementName

PersonPair = tuple[int, int]  # (smaller id, larger id)


def ordered(a: int, b: int) -> PersonPair:
    return (a, b) if a < b else (b, a)


def runs_visible_to(caller: Caller) -> QuerySet[DeduplicationRun]:
    if not caller.may(Permission.REVIEW_DUPLICATES):
        return DeduplicationRun.objects.none()
    return DeduplicationRun.objects.filter(organisation=caller.organisation).select_related("job")


def get_run(caller: Caller, run_id: int) -> DeduplicationRun:
    return runs_visible_to(caller).get(pk=run_id)


def latest_run(caller: Caller) -> DeduplicationRun | None:
    """The run started last, whatever its state (for its progress)."""
    return runs_visible_to(caller).first()


def latest_finished_run(caller: Caller) -> DeduplicationRun | None:
    """The last run that finished: its pairs are the review queue."""
    return runs_visible_to(caller).filter(job__status=Job.Status.DONE).first()


def registry_size(caller: Caller) -> int:
    """How many records a run would compare (those with names left to compare)."""
    if not caller.may(Permission.REVIEW_DUPLICATES):
        return 0
    return (
        Person.objects.filter(household__organisation=caller.organisation)
        .exclude(name_latin="")
        .count()
    )


def merges_of_run(caller: Caller, run: DeduplicationRun) -> QuerySet[Merge]:
    """The merges a run made, weakest first (the ones to check first), with their records."""
    return (
        merges_visible_to(caller)
        .filter(run=run, method=Merge.Method.AUTOMATIC, split_from__isnull=True)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MergeMember.objects.select_related("person__household").order_by(
                    "person_id"
                ),
            )
        )
        .order_by("weakest_link", "pk")
    )


def pairs_visible_to(caller: Caller) -> QuerySet[CandidatePair]:
    if not caller.may(Permission.REVIEW_DUPLICATES):
        return CandidatePair.objects.none()
    return CandidatePair.objects.filter(run__organisation=caller.organisation).select_related(
        "person_a__household__origin_settlement", "person_b__household__origin_settlement", "run"
    )


def get_pair(caller: Caller, pair_id: int) -> CandidatePair:
    return pairs_visible_to(caller).get(pk=pair_id)


def open_pairs(caller: Caller) -> QuerySet[CandidatePair]:
    """The review queue: pairs of the latest finished run nobody has decided and no merge
    has since joined, strongest first."""
    run = latest_finished_run(caller)
    if run is None:
        return CandidatePair.objects.none()
    decided = PairDecision.objects.filter(
        person_a=OuterRef("person_a"), person_b=OuterRef("person_b"), withdrawn_at__isnull=True
    )
    together = MergeMember.objects.filter(
        active=True,
        person=OuterRef("person_a"),
        merge__members__person=OuterRef("person_b"),
        merge__members__active=True,
    )
    return (
        pairs_visible_to(caller)
        .filter(run=run)
        .exclude(Exists(decided))
        .exclude(Exists(together))
        .order_by("-probability", "id")
    )


def decision_on(pair: CandidatePair) -> PairDecision | None:
    """The decision in force on this pair of persons, whichever run proposed it."""
    return (
        PairDecision.objects.filter(
            person_a=pair.person_a_id, person_b=pair.person_b_id, withdrawn_at__isnull=True
        )
        .select_related("decided_by", "merge")
        .first()
    )


def merges_visible_to(caller: Caller) -> QuerySet[Merge]:
    if not caller.may(Permission.REVIEW_DUPLICATES):
        return Merge.objects.none()
    return Merge.objects.filter(organisation=caller.organisation).select_related(
        "created_by", "undone_by", "run", "split_from", "given_back"
    )


def get_merge(caller: Caller, merge_id: int) -> Merge:
    return (
        merges_visible_to(caller)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=MergeMember.objects.select_related(
                    "person__household__origin_settlement"
                ).order_by("person_id"),
            )
        )
        .get(pk=merge_id)
    )


def active_merge_of(person: Person) -> Merge | None:
    member = MergeMember.objects.filter(person=person, active=True).select_related("merge").first()
    return member.merge if member else None


@dataclass(frozen=True)
class SamePerson:
    """Another record of the same person, for "same person as" notes."""

    merge_id: int
    person: Person


def same_person_as(caller: Caller | None, persons: Iterable) -> dict[int, list[SamePerson]]:
    """For each person (or search result) shown, the other records merged with it.

    One query for the whole list. Everyone who may see the persons sees the note; the
    merged records are of the same organisation, so they may see those too.
    """
    ids = [getattr(p, "person", p).pk for p in persons]
    if caller is None or not ids:
        return {}
    visible = persons_visible_to(caller)
    shown = MergeMember.objects.filter(active=True, person_id__in=ids, person__in=visible)
    members = (
        MergeMember.objects.filter(active=True, merge_id__in=shown.values("merge_id"))
        .select_related("person__household")
        .order_by("merge_id", "person_id")
    )
    by_merge: dict[int, list[Person]] = defaultdict(list)
    for member in members:
        by_merge[member.merge_id].append(member.person)
    notes: dict[int, list[SamePerson]] = {}
    for merge_id, group in by_merge.items():
        for person in group:
            if person.pk in ids:
                notes[person.pk] = [SamePerson(merge_id, o) for o in group if o.pk != person.pk]
    return notes


# What the engine is given: the organisation's registry and the decisions in force.


def registry_records(organisation: Organisation) -> tuple[list[int], list[dict[str, str]]]:
    """The organisation's persons in the engine's input contract (as the dedupe command reads
    it from files) and their household's reference, with their ids in the same order."""
    persons = (
        Person.objects.filter(household__organisation=organisation)
        # Anonymised persons (rights app) have no names left to compare.
        .exclude(name_latin="")
        .select_related("household__origin_settlement")
        .order_by("id")
    )
    ids: list[int] = []
    rows: list[dict[str, str]] = []
    phones: dict[int, str] = {}
    phone_holder: dict[int, int] = {}  # household -> the row that gets its phone
    for person in persons.iterator(chunk_size=5000):
        household = person.household
        if household.pk not in phone_holder or person.relation == Relation.HEAD:
            phone_holder[household.pk] = len(rows)
            phones[household.pk] = household.phone
        ids.append(person.pk)
        rows.append(
            {
                "source": person.source,
                "record_id": person.record_id,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "patronymic": person.patronymic,
                "sex": person.sex,
                "birth_date": person.birth_date_display,
                # A resolved origin is passed by its slug, which linkage_spellings() knows.
                "origin": (
                    household.origin_settlement.slug
                    if household.origin_settlement
                    else household.origin_written
                ),
                "phone": "",
                # Two records of one household are never merged by a run (twins, siblings).
                "household_ref": household.reference,
            }
        )
    # The registry keeps one phone per household (the first one a register gave). Given to
    # every member it would be evidence of one household, not of one person, and the model
    # would learn to merge relatives (splink issue #1817): it goes to the head alone, or to
    # the first person of a household without one.
    for household_id, row in phone_holder.items():
        rows[row]["phone"] = phones[household_id]
    columns = (*INPUT_COLUMNS, "household_ref")
    return ids, [{column: row[column] for column in columns} for row in rows]


def linkage_spellings() -> dict[str, str]:
    """Every spelling the gazetteer knows, and every slug, -> the settlement's slug."""
    spellings = dict(SettlementName.objects.values_list("name", "settlement__slug"))
    spellings.update((slug, slug) for slug in set(spellings.values()))
    return spellings


@dataclass
class Standing:
    """What people have decided, as the engine and the run's merging need it."""

    merged: dict[int, int]  # person -> active merge
    merge_members: dict[int, list[int]]  # active merge -> persons
    same: set[PersonPair]  # confirmations in force
    different: set[PersonPair]  # rejections in force
    undone: set[PersonPair]  # were merged, a person undid it, no merge joins them now


def standing_decisions(organisation: Organisation) -> Standing:
    merged: dict[int, int] = {}
    merge_members: dict[int, list[int]] = defaultdict(list)
    for merge_id, person_id in MergeMember.objects.filter(
        merge__organisation=organisation, active=True
    ).values_list("merge_id", "person_id"):
        merged[person_id] = merge_id
        merge_members[merge_id].append(person_id)
    same: set[PersonPair] = set()
    different: set[PersonPair] = set()
    for a, b, decision in PairDecision.objects.filter(
        organisation=organisation, withdrawn_at__isnull=True
    ).values_list("person_a", "person_b", "decision"):
        (same if decision == PairDecision.Decision.SAME else different).add((a, b))
    undone_groups: dict[int, list[int]] = defaultdict(list)
    for merge_id, person_id in MergeMember.objects.filter(
        merge__organisation=organisation, merge__state=Merge.State.UNDONE
    ).values_list("merge_id", "person_id"):
        undone_groups[merge_id].append(person_id)
    undone = {
        ordered(a, b)
        for group in undone_groups.values()
        for a, b in combinations(group, 2)
        if merged.get(a) is None or merged.get(a) != merged.get(b)
    }
    return Standing(merged, dict(merge_members), same, different, undone - different)
