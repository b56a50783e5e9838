"""Importing intention survey submissions from KoboToolbox and ODK Central exports.

All or nothing: every submission is checked first, and one that does not fit (an unknown
household, an unknown code, a newer form) stops the whole file, with each problem named by
file, row and field. Importing the same export again adds nothing: a submission is known by
its instanceID within the organisation.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.engines.projection import CONDITION_CODES, INTENTIONS
from homeward.errors import InputRejected, RowProblem
from homeward.interop.submissions import read_submissions
from homeward.people.models import Household
from homeward.returns import services
from homeward.returns.models import Intention
from homeward.returns.survey import FORM_VERSION, TIMINGS


@dataclass(frozen=True)
class SurveyImport:
    created: int
    already_imported: int


def import_survey(*, caller: Caller, path: Path) -> SurveyImport:
    caller.require(Permission.RECORD_INTENTIONS)
    name = path.name
    submissions = read_submissions(path)
    problems: list[RowProblem] = []
    references = {s.answers.get("household_ref", "").strip().upper() for s in submissions} - {""}
    households = {
        h.reference.upper(): h
        for h in Household.objects.filter(
            organisation=caller.organisation, reference__in=references
        )
    }
    known = set(
        Intention.objects.filter(
            organisation=caller.organisation,
            submission_id__in=[s.submission_id for s in submissions if s.submission_id],
        ).values_list("submission_id", flat=True)
    )
    to_create = []
    in_file: dict[str, int] = {}
    already = 0
    for submission in submissions:
        answers = submission.answers

        def problem(field: str, what: str, row: int = submission.row) -> None:
            problems.append(RowProblem(name, row, field, what))

        if not submission.submission_id:
            problem("instanceID", _("the submission has no instanceID or _uuid"))
            continue
        if submission.submission_id in known:
            already += 1
            continue
        if submission.submission_id in in_file:
            continue  # the same submission twice in one export: read once
        in_file[submission.submission_id] = submission.row
        version = answers.get("form_version", "").strip()
        if version and (len(version), version) > (len(FORM_VERSION), FORM_VERSION):
            problem(
                "form_version",
                _(
                    "made with form version %(found)s, newer than this Homeward's %(ours)s: "
                    "update Homeward before importing"
                )
                % {"found": version, "ours": FORM_VERSION},
            )
            continue
        reference = answers.get("household_ref", "").strip().upper()
        household = households.get(reference)
        if household is None:
            problem(
                "household_ref",
                _("no household %(reference)s is registered by this organisation")
                % {"reference": reference or "''"},
            )
        intention = answers.get("intention", "").strip()
        if intention not in INTENTIONS:
            problem(
                "intention",
                _("%(value)s is not an intention of the survey") % {"value": intention or "''"},
            )
        timing = answers.get("timing", "").strip()
        if timing and timing not in TIMINGS:
            problem("timing", _("%(value)s is not a timing of the survey") % {"value": timing})
        conditions = answers.get("conditions", "").split()
        unknown = [code for code in conditions if code not in CONDITION_CODES]
        if unknown:
            problem(
                "conditions",
                _("%(codes)s: not a condition of the survey") % {"codes": ", ".join(unknown)},
            )
        if household is not None and not unknown and intention in INTENTIONS:
            to_create.append((submission, household, intention, timing, conditions, version))
    if problems:
        raise InputRejected(problems)
    with transaction.atomic():
        for submission, household, intention, timing, conditions, version in to_create:
            services.record_intention(
                caller=caller,
                household=household,
                intention=intention,
                timing=timing,
                conditions=conditions,
                concerns=submission.answers.get("concerns", "")[: services.MAX_TEXT],
                questions=submission.answers.get("questions", "")[: services.MAX_TEXT],
                source=submission.tool,
                submission_id=submission.submission_id[:100],
                form_version=version[:20],
            )
    return SurveyImport(created=len(to_create), already_imported=already)
