"""The deduplication job: the linkage engine over one organisation's registry.

Reviewers' decisions go in as the engine's must-link and cannot-link pairs: confirmations and
every merge in force stay together, rejections stay apart.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from homeward.access.roles import Permission
from homeward.duplicates.models import CandidatePair, DeduplicationRun
from homeward.duplicates.selectors import linkage_spellings, registry_records, standing_decisions
from homeward.duplicates.services import RUN_JOB, RunFindings, ScoredPair, record_run
from homeward.duplicates.steps import ENGINE_STEPS
from homeward.jobs.registry import JobKind, Report, register


def run_deduplication(job, report: Report) -> dict:
    run = DeduplicationRun.objects.select_related("organisation").get(pk=job.params["run"])
    report(_("Reading the registry"), 0.02)
    persons, rows = registry_records(run.organisation)
    if len(persons) < 2:
        return record_run(run=run, findings=RunFindings(records=len(persons), groups=[], review=[]))
    findings = _find(run, persons, rows, report)
    report(_("Recording merges and pairs to review"), 0.9)
    return record_run(run=run, findings=findings)


def _find(run: DeduplicationRun, persons: list[int], rows: list[dict], report: Report):
    import pandas as pd

    from homeward.engines.linkage import INPUT_COLUMNS, deduplicate

    reference = {p: (row["source"], row["record_id"]) for p, row in zip(persons, rows, strict=True)}
    person_of = {ref: p for p, ref in reference.items()}
    standing = standing_decisions(run.organisation)
    must_link = [
        (reference[a], reference[b]) for a, b in standing.same if a in reference and b in reference
    ]
    for members in standing.merge_members.values():
        known = [reference[p] for p in members if p in reference]
        must_link += list(itertools.pairwise(known))
    cannot_link = [
        (reference[a], reference[b])
        for a, b in standing.different
        if a in reference and b in reference
    ]

    def progress(step: str) -> None:
        label, fraction = ENGINE_STEPS.get(step, (step, 0.5))
        report(label, fraction)

    result = deduplicate(
        pd.DataFrame(rows, columns=[*INPUT_COLUMNS, "household_ref"]),
        places=linkage_spellings(),
        threshold=run.threshold,
        review_band=(run.review_floor, run.threshold),
        must_link=must_link,
        cannot_link=cannot_link,
        progress=progress,
    )

    def scored(explanations) -> list[ScoredPair]:
        return [
            ScoredPair(
                why=_why(e.kept_apart, e.probability >= result.threshold),
                person_a=person_of[e.record_a],
                person_b=person_of[e.record_b],
                probability=e.probability,
                match_weight=e.match_weight,
                agreements=e.agreements,
                agreed=e.agreed,
                disagreed=e.disagreed,
            )
            for e in explanations
        ]

    clusters = result.cluster_ids
    linked = result.pairs[result.pairs["match_probability"] >= result.threshold]
    left = linked["unique_id_l"].to_numpy()
    right = linked["unique_id_r"].to_numpy()
    weakest: dict[int, float] = {}
    for l_, r_, probability in zip(
        left, right, linked["match_probability"].to_numpy(), strict=True
    ):
        if clusters[l_] == clusters[r_]:
            cluster = int(clusters[l_])
            weakest[cluster] = min(weakest.get(cluster, 1.0), float(probability))
    members: dict[int, list[int]] = defaultdict(list)
    for person, cluster in zip(persons, clusters.tolist(), strict=True):
        members[cluster].append(person)
    position = {p: i for i, p in enumerate(persons)}

    def explain_within(group: list[int]) -> list[ScoredPair]:
        inside = linked["unique_id_l"].isin([position[p] for p in group]) & linked[
            "unique_id_r"
        ].isin([position[p] for p in group])
        return scored(result.explain(linked[inside]))

    return RunFindings(
        records=len(persons),
        # A must-linked group may have no scored link at all: its weakest link is unknown.
        groups=[(group, weakest.get(c)) for c, group in members.items() if len(group) > 1],
        review=[pair for pair in scored(result.review) if not _linked(pair, position, clusters)],
        kept_apart_by_guard=result.refused_pairs,
        model=result.model,
        explain_within=explain_within,
    )


def _why(kept_apart: str, above_threshold: bool) -> str:
    if kept_apart in (CandidatePair.Why.HOUSEHOLD, CandidatePair.Why.SEX):
        return kept_apart
    return CandidatePair.Why.GUARD if above_threshold else CandidatePair.Why.UNCERTAIN


def _linked(pair: ScoredPair, position: dict[int, int], clusters) -> bool:
    # Pairs the clustering joined anyway (through others) are merged, not reviewed.
    return clusters[position[pair.person_a]] == clusters[position[pair.person_b]]


register(
    JobKind(
        name=RUN_JOB,
        label=_("Find duplicate records"),
        permission=Permission.REVIEW_DUPLICATES,
        run=run_deduplication,
    )
)
