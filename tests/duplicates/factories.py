"""A finished deduplication run with one pair to review and one merge, without the engine:
for tests that need the rows (the permission matrix), not what the engine would find."""

from homeward.access.caller import Caller
from homeward.duplicates.models import CandidatePair, DeduplicationRun, Merge
from homeward.duplicates.services import RUN_JOB, RunFindings, ScoredPair, record_run
from homeward.jobs.models import Job
from homeward.people import services as people
from homeward.people.models import Household


def finished_run_with_pair_and_merge(caller: Caller, household_reference: str) -> dict:
    household = Household.objects.get(reference=household_reference)
    # One woman in two households (two of one household a run would never merge).
    other = people.register_household(caller=caller, shelter=household.shelter)
    merged = [
        people.add_person(caller=caller, household=where, **written).pk
        for where, written in (
            (household, {"given_name": "Karine", "family_name": "Mkrtchyan", "birth_date": "1950-02-03"}),
            (other, {"given_name": "Карине", "family_name": "Мкртчян", "birth_date": "03.02.1950"}),
        )
    ]  # fmt: skip
    reviewed = [
        people.add_person(caller=caller, household=household, **written).pk
        for written in (
            {"given_name": "Levon", "family_name": "Ghukasyan", "birth_date": "1980"},
            {"given_name": "Tigran", "family_name": "Ghazaryan", "birth_date": "1999-09-09"},
        )
    ]
    job = Job.objects.create(kind=RUN_JOB, organisation=caller.organisation, status="done")
    run = DeduplicationRun.objects.create(
        organisation=caller.organisation, job=job, threshold=0.9, review_floor=0.5
    )
    record_run(
        run=run,
        findings=RunFindings(
            records=4,
            groups=[(merged, 0.97)],
            review=[
                ScoredPair(
                    *reviewed,
                    probability=0.6,
                    match_weight=0.6,
                    agreements={"family_name": "one letter apart", "given_name": "different"},
                    agreed=["family_name"],
                    disagreed=["given_name"],
                )
            ],
        ),
    )
    return {
        "dedupe_run": run.pk,
        "pair": CandidatePair.objects.get(run=run).pk,
        "merge": Merge.objects.get(run=run).pk,
    }
