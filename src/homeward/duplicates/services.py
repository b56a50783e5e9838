"""Every write about duplicates: starting runs, recording what a run found, decisions on
pairs, merges and their undoing. Each runs in one transaction with its audit row.

Sure matches (scored at or above the engine's threshold) are merged by the run itself, not
proposed for confirmation: the threshold was chosen for precision (0.996 on synthetic
registers), a merge alters no record and is undone in one step, and asking a caseworker to
confirm thousands of near-certain pairs would bury the few uncertain ones that need them.
People decide the uncertain band (and what the guard kept apart); merges stand until a
person undoes them. Two records of one household, or of different recorded sex, are never
merged by a run, whatever their score (siblings and twins share everything the score adds
up): the engine's guard keeps them apart, and ``record_run`` checks again before merging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import combinations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.models import Organisation
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.duplicates.models import (
    CandidatePair,
    DeduplicationRun,
    Merge,
    MergeMember,
    PairDecision,
)
from homeward.duplicates.selectors import PersonPair, ordered, standing_decisions
from homeward.jobs.registry import JobAlreadyRunning, WhileRunning
from homeward.jobs.services import start_job
from homeward.people.models import Person

RUN_JOB = "duplicates.run"
# Pairs scored from here up to the threshold go to review. Below 0.5 the engine thinks them
# more likely two people than one; at 30,000 people that band holds a few hundred pairs.
REVIEW_FLOOR = 0.5


class DuplicatesConflict(Exception):
    """The action contradicts what is already decided; the message says what to do."""


@transaction.atomic
def start_deduplication(*, caller: Caller) -> DeduplicationRun:
    """Queue a run of the linkage engine over the caller's organisation's registry."""
    from homeward.engines.linkage import DEFAULT_THRESHOLD  # loads Splink: only when needed

    caller.require(Permission.REVIEW_DUPLICATES)
    run = DeduplicationRun.objects.create(
        organisation=caller.organisation,
        started_by=caller.user if getattr(caller.user, "pk", None) else None,
        threshold=DEFAULT_THRESHOLD,
        review_floor=REVIEW_FLOOR,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="duplicates.run.start",
        target=run,
        details={"threshold": run.threshold, "review_floor": run.review_floor},
    )
    # The job finds its run by id; with jobs run at once it has finished when this returns.
    # One run at a time: the jobs' constraint refuses a second, even one started at the same
    # moment (this transaction, run row included, is then rolled back); a run whose worker
    # died is ended by start_job and blocks nothing.
    try:
        job = start_job(
            caller=caller, kind=RUN_JOB, params={"run": run.pk}, while_running=WhileRunning.REFUSE
        )
    except JobAlreadyRunning:
        raise DuplicatesConflict(_("A run is already under way; wait for it to finish.")) from None
    DeduplicationRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class ScoredPair:
    """Two persons as the engine scored them, with the level each field reached."""

    person_a: int
    person_b: int
    probability: float
    match_weight: float
    agreements: dict[str, str]
    agreed: list[str] = field(default_factory=list)
    disagreed: list[str] = field(default_factory=list)
    why: str = CandidatePair.Why.UNCERTAIN

    @property
    def persons(self) -> PersonPair:
        return ordered(self.person_a, self.person_b)


@dataclass
class RunFindings:
    """What the engine found, in persons: what record_run turns into merges and pairs."""

    records: int
    groups: list[tuple[list[int], float | None]]  # persons linked as one, and their weakest link
    review: list[ScoredPair]
    kept_apart_by_guard: int = 0
    model: dict | None = None
    # The scored pairs among some persons at or above the threshold (for held-back groups).
    explain_within: Callable[[list[int]], list[ScoredPair]] = field(default=lambda group: [])


@transaction.atomic
def record_run(*, run: DeduplicationRun, findings: RunFindings) -> dict:
    """Merge the groups the engine linked and store the pairs for review.

    Decisions are read again here, not only before the engine ran: a rejection or an undo
    made while it ran still wins.
    """
    standing = standing_decisions(run.organisation)
    merges_made = held_back = 0
    review: list[ScoredPair] = []
    for group, weakest_link in findings.groups:
        existing = {standing.merged[p] for p in group if p in standing.merged}
        union = set(group).union(*(standing.merge_members[m] for m in existing))
        if len(existing) == 1 and union == set(standing.merge_members[next(iter(existing))]):
            continue
        new_pairs = {
            ordered(a, b)
            for a, b in combinations(union, 2)
            if standing.merged.get(a) is None or standing.merged.get(a) != standing.merged.get(b)
        }
        if new_pairs & standing.different:
            continue
        suspicious = _suspicious_pairs(new_pairs - standing.same)
        if suspicious:
            # Siblings or twins: a person decides, whatever the score (issue: never merge
            # twins automatically); the engine's guard should have kept them apart already.
            held_back += 1
            review += [
                replace(pair, why=suspicious.get(pair.persons, pair.why))
                for pair in findings.explain_within(group)
                if pair.persons in new_pairs
            ]
            continue
        if new_pairs & standing.undone:
            # Someone took these apart without saying they are different: a person decides.
            held_back += 1
            review += [
                replace(pair, why=CandidatePair.Why.UNDONE)
                for pair in findings.explain_within(group)
                if pair.persons in new_pairs
            ]
            continue
        merge = _merge(
            organisation=run.organisation,
            persons=sorted(union),
            replacing=sorted(existing),
            method=Merge.Method.AUTOMATIC,
            run=run,
            user=None,
            weakest_link=weakest_link,
        )
        merges_made += 1
        for merge_id in existing:
            del standing.merge_members[merge_id]
        standing.merge_members[merge.pk] = sorted(union)
        standing.merged.update((p, merge.pk) for p in union)

    seen: set[PersonPair] = set()
    rows = []
    for pair in review + findings.review:
        a, b = pair.persons
        together = standing.merged.get(a) is not None and standing.merged.get(
            a
        ) == standing.merged.get(b)
        if (a, b) in seen or together or (a, b) in standing.same or (a, b) in standing.different:
            continue
        seen.add((a, b))
        rows.append(
            CandidatePair(
                run=run,
                person_a_id=a,
                person_b_id=b,
                probability=pair.probability,
                match_weight=pair.match_weight,
                agreements=pair.agreements,
                agreed=pair.agreed,
                disagreed=pair.disagreed,
                why=pair.why,
            )
        )
    CandidatePair.objects.bulk_create(rows, batch_size=1000)
    run.records = findings.records
    run.merges_made = merges_made
    run.pairs_to_review = len(rows)
    run.held_back = held_back
    run.kept_apart_by_guard = findings.kept_apart_by_guard
    run.model = findings.model
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "records",
            "merges_made",
            "pairs_to_review",
            "held_back",
            "kept_apart_by_guard",
            "model",
            "finished_at",
        ]
    )
    summary = {
        "run": run.pk,
        "records": run.records,
        "merges_made": merges_made,
        "pairs_to_review": len(rows),
        "held_back": held_back,
        "kept_apart_by_guard": run.kept_apart_by_guard,
    }
    record_event(
        actor=None,
        organisation=run.organisation,
        action="duplicates.run.finish",
        target=run,
        details=summary,
    )
    return summary


def _suspicious_pairs(pairs: set[PersonPair]) -> dict[PersonPair, str]:
    """Those of ``pairs`` that a run must not merge, with why: one household, or a recorded
    sex that differs."""
    if not pairs:
        return {}
    ids = {p for pair in pairs for p in pair}
    facts = dict(
        (pk, (household, sex))
        for pk, household, sex in Person.objects.filter(pk__in=ids).values_list(
            "pk", "household_id", "sex"
        )
    )
    found: dict[PersonPair, str] = {}
    for a, b in pairs:
        (household_a, sex_a), (household_b, sex_b) = facts[a], facts[b]
        if household_a == household_b:
            found[a, b] = CandidatePair.Why.HOUSEHOLD
        elif sex_a and sex_b and sex_a != sex_b:
            found[a, b] = CandidatePair.Why.SEX
    return found


def _merge(
    *,
    organisation: Organisation,
    persons: list[int],
    replacing: Iterable[int],
    method: str,
    run: DeduplicationRun | None,
    user,
    reason: str = "",
    weakest_link: float | None = None,
) -> Merge:
    """One merge over ``persons``, taking in the active merges ``replacing`` (which stay, as
    history, and come back if this one is undone)."""
    replacing = list(replacing)
    # Members leave their old merges first: a person is in one active merge at a time.
    MergeMember.objects.filter(merge_id__in=replacing).update(active=False)
    merge = Merge.objects.create(
        organisation=organisation,
        method=method,
        run=run,
        created_by=user if getattr(user, "pk", None) else None,
        reason=reason,
        weakest_link=weakest_link,
    )
    Merge.objects.filter(pk__in=replacing).update(state=Merge.State.REPLACED, replaced_by=merge)
    MergeMember.objects.bulk_create(MergeMember(merge=merge, person_id=p) for p in persons)
    record_event(
        actor=user,
        organisation=organisation,
        action="duplicates.merge",
        target=merge,
        details={
            "persons": persons,
            "method": method,
            "run": run.pk if run else None,
            "replacing": replacing,
        },
        reason=reason,
    )
    return merge


def _group_of(person_id: int) -> tuple[Merge | None, list[int]]:
    member = (
        MergeMember.objects.select_for_update()
        .filter(person_id=person_id, active=True)
        .select_related("merge")
        .first()
    )
    if member is None:
        return None, [person_id]
    persons = list(
        MergeMember.objects.filter(merge=member.merge, active=True).values_list(
            "person_id", flat=True
        )
    )
    return member.merge, persons


@transaction.atomic
def decide_pair(
    *, caller: Caller, pair: CandidatePair, decision: str, reason: str = ""
) -> PairDecision:
    """A reviewer's answer on a pair: "same" merges the two (with whoever each is already
    merged with); "different" keeps them apart in every later run."""
    caller.require(Permission.REVIEW_DUPLICATES)
    if pair.run.organisation_id != caller.organisation.pk:
        raise CandidatePair.DoesNotExist
    if decision not in PairDecision.Decision.values:
        raise ValueError(f"decision must be one of {', '.join(PairDecision.Decision.values)}")
    a, b = pair.person_a_id, pair.person_b_id
    # Two reviewers answering at once on pairs of the same people queue here, in one order,
    # so that the second sees the first's answer instead of colliding with it.
    list(Person.objects.select_for_update().filter(pk__in=(a, b)).order_by("pk"))
    if PairDecision.objects.filter(person_a=a, person_b=b, withdrawn_at__isnull=True).exists():
        raise DuplicatesConflict(_("This pair has already been decided."))
    merge_a, group_a = _group_of(a)
    merge_b, group_b = _group_of(b)
    merge = None
    if decision == PairDecision.Decision.DIFFERENT:
        if merge_a is not None and merge_a == merge_b:
            raise DuplicatesConflict(
                _("These records are merged: undo merge #%(merge)s first.") % {"merge": merge_a.pk}
            )
    elif merge_a is None or merge_a != merge_b:
        union = sorted(set(group_a) | set(group_b))
        contradicted = PairDecision.objects.filter(
            person_a__in=union,
            person_b__in=union,
            decision=PairDecision.Decision.DIFFERENT,
            withdrawn_at__isnull=True,
        ).first()
        if contradicted is not None:
            raise DuplicatesConflict(
                _(
                    "Records %(a)s and %(b)s, which this would join, were decided to be "
                    "different people."
                )
                % {"a": contradicted.person_a_id, "b": contradicted.person_b_id}
            )
        merge = _merge(
            organisation=caller.organisation,
            persons=union,
            replacing=[m.pk for m in (merge_a, merge_b) if m is not None],
            method=Merge.Method.CONFIRMED,
            run=pair.run,
            user=caller.user,
            reason=reason,
        )
    decided = PairDecision.objects.create(
        organisation=caller.organisation,
        person_a_id=a,
        person_b_id=b,
        decision=decision,
        pair=pair,
        merge=merge,
        reason=reason,
        decided_by=caller.user if getattr(caller.user, "pk", None) else None,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action=f"duplicates.pair.{'confirm' if decision == 'same' else 'reject'}",
        target=decided,
        details={"persons": [a, b], "pair": pair.pk, "merge": merge.pk if merge else None},
        reason=reason,
    )
    return decided


@transaction.atomic
def undo_merge(*, caller: Caller, merge: Merge, different: bool = False, reason: str = "") -> Merge:
    """Take a merge apart. The merges it had taken in come back; its confirmations are
    withdrawn. Only when the person says so are the records recorded as different people;
    otherwise a later run that links them again sends them to review instead of merging."""
    caller.require(Permission.REVIEW_DUPLICATES)
    if merge.organisation_id != caller.organisation.pk:
        raise Merge.DoesNotExist
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if not merge.active:
        raise DuplicatesConflict(_("This merge is no longer in force."))
    now = timezone.now()
    persons = sorted(merge.members.values_list("person_id", flat=True))
    merge.members.update(active=False)
    merge.state = Merge.State.UNDONE
    merge.undone_at = now
    merge.undone_by = caller.user if getattr(caller.user, "pk", None) else None
    merge.undo_reason = reason
    merge.undone_as_different = different
    merge.save(
        update_fields=["state", "undone_at", "undone_by", "undo_reason", "undone_as_different"]
    )
    restored = list(merge.replaced.all())
    group_of: dict[int, int] = {}
    for old in restored:
        old.state, old.replaced_by = Merge.State.ACTIVE, None
        old.save(update_fields=["state", "replaced_by"])
        old.members.update(active=True)
        group_of.update((p, old.pk) for p in old.members.values_list("person_id", flat=True))
    withdrawn = PairDecision.objects.filter(merge=merge, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=merge.undone_by
    )
    rejections = []
    if different:
        in_force = set(
            PairDecision.objects.filter(
                person_a__in=persons, person_b__in=persons, withdrawn_at__isnull=True
            ).values_list("person_a", "person_b")
        )
        for a, b in combinations(persons, 2):
            if (group_of.get(a) is not None and group_of.get(a) == group_of.get(b)) or (
                a,
                b,
            ) in in_force:
                continue
            rejections.append(
                PairDecision(
                    organisation=caller.organisation,
                    person_a_id=a,
                    person_b_id=b,
                    decision=PairDecision.Decision.DIFFERENT,
                    reason=reason,
                    decided_by=merge.undone_by,
                )
            )
        PairDecision.objects.bulk_create(rejections)
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="duplicates.merge.undo",
        target=merge,
        details={
            "persons": persons,
            "restored": [m.pk for m in restored],
            "confirmations_withdrawn": withdrawn,
            "recorded_as_different": len(rejections),
        },
        reason=reason,
    )
    return merge


@transaction.atomic
def give_back(*, caller: Caller, merge: Merge, person: Person, reason: str = "") -> Merge:
    """Take one record out of a merge of three or more ("this one is someone else"); the
    others stay merged.

    The merge is closed as undone (history) and continued by a new merge of the others, which
    takes over what it had taken in and its confirmations among them. The record given back
    is recorded as a different person from each of the others, so that later runs do not
    merge it with them again. Returns the continuing merge.
    """
    caller.require(Permission.REVIEW_DUPLICATES)
    if merge.organisation_id != caller.organisation.pk:
        raise Merge.DoesNotExist
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if not merge.active:
        raise DuplicatesConflict(_("This merge is no longer in force."))
    persons = sorted(merge.members.filter(active=True).values_list("person_id", flat=True))
    if person.pk not in persons:
        raise DuplicatesConflict(_("This record is not in this merge."))
    if len(persons) < 3:
        raise DuplicatesConflict(_("A merge of two records is undone, not split."))
    rest = [p for p in persons if p != person.pk]
    now = timezone.now()
    user = caller.user if getattr(caller.user, "pk", None) else None

    merge.members.update(active=False)
    merge.state = Merge.State.UNDONE
    merge.undone_at = now
    merge.undone_by = user
    merge.undo_reason = reason
    merge.save(update_fields=["state", "undone_at", "undone_by", "undo_reason"])
    continued = Merge.objects.create(
        organisation=merge.organisation,
        method=merge.method,
        run=merge.run,
        weakest_link=merge.weakest_link,
        reason=merge.reason,
        created_by=user,
        split_from=merge,
        given_back=person,
    )
    MergeMember.objects.bulk_create(MergeMember(merge=continued, person_id=p) for p in rest)
    # What it had taken in goes with the continuing merge, unless it held the record given
    # back (undoing the continuation must not bring that record back in).
    holding = MergeMember.objects.filter(person=person).values("merge_id")
    merge.replaced.exclude(pk__in=holding).update(replaced_by=continued)
    # Confirmations among the others now belong to the continuing merge; those that joined
    # the record given back are withdrawn.
    confirmations = PairDecision.objects.filter(merge=merge, withdrawn_at__isnull=True)
    withdrawn = confirmations.filter(Q(person_a=person) | Q(person_b=person)).update(
        withdrawn_at=now, withdrawn_by=user
    )
    confirmations.update(merge=continued)
    PairDecision.objects.filter(
        Q(person_a=person, person_b__in=rest) | Q(person_b=person, person_a__in=rest),
        withdrawn_at__isnull=True,
        decision=PairDecision.Decision.SAME,
    ).update(withdrawn_at=now, withdrawn_by=user)
    decided = set(
        PairDecision.objects.filter(
            Q(person_a=person) | Q(person_b=person), withdrawn_at__isnull=True
        ).values_list("person_a", "person_b")
    )
    rejections = [
        PairDecision(
            organisation=caller.organisation,
            person_a_id=a,
            person_b_id=b,
            decision=PairDecision.Decision.DIFFERENT,
            reason=reason,
            decided_by=user,
        )
        for a, b in (ordered(person.pk, other) for other in rest)
        if (a, b) not in decided
    ]
    PairDecision.objects.bulk_create(rejections)
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="duplicates.merge.give_back",
        target=merge,
        details={
            "given_back": person.pk,
            "continued_as": continued.pk,
            "remaining": rest,
            "confirmations_withdrawn": withdrawn,
            "recorded_as_different": len(rejections),
        },
        reason=reason,
    )
    return continued
