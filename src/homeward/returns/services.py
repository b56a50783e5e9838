"""Every write of the returns app: intentions, survey imports, guarantees and their status.

Audit rows name codes and counts, never what a household said: the log cannot be erased.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.caller import Caller
from homeward.access.models import Organisation
from homeward.access.roles import Permission
from homeward.audit.services import record_event
from homeward.engines.projection import CONDITION_CODES, INTENTIONS
from homeward.people.models import Household
from homeward.people.validation import FieldProblem
from homeward.returns.models import Guarantee, GuaranteeStatusChange, Intention, Question
from homeward.returns.survey import TIMINGS

# A household's own words, typed or collected: long enough for a page, short enough to read.
MAX_TEXT = 4000


def check_conditions(codes: Iterable[str], field: str = "conditions") -> list[str]:
    codes = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    unknown = [code for code in codes if code not in CONDITION_CODES]
    if unknown:
        raise FieldProblem(
            field,
            _("%(codes)s: not a condition; choose among the conditions listed")
            % {"codes": ", ".join(unknown)},
        )
    return codes


@transaction.atomic
def record_intention(
    *,
    caller: Caller,
    household: Household,
    intention: str,
    timing: str = "",
    conditions: Iterable[str] = (),
    concerns: str = "",
    questions: str = "",
    source: str = Intention.Source.APP,
    submission_id: str = "",
    form_version: str = "",
) -> Intention:
    caller.require(Permission.RECORD_INTENTIONS)
    if household.organisation_id != caller.organisation.pk:
        raise Household.DoesNotExist
    if intention not in INTENTIONS:
        raise FieldProblem("intention", _("choose what the household intends"))
    if timing and timing not in TIMINGS:
        raise FieldProblem("timing", _("choose when the household would go back"))
    codes = check_conditions(conditions)
    if intention not in ("return", "undecided") and (codes or timing):
        # The survey does not ask for them then; keeping them would count the household
        # where it said it would not go.
        codes, timing = [], ""
    for name, text in (("concerns", concerns), ("questions", questions)):
        if len(text) > MAX_TEXT:
            raise FieldProblem(name, _("is longer than %(n)d characters") % {"n": MAX_TEXT})
    record = Intention.objects.create(
        organisation=caller.organisation,
        household=household,
        intention=intention,
        timing=timing,
        conditions=codes,
        concerns=concerns.strip(),
        questions=questions.strip(),
        source=source,
        submission_id=submission_id,
        form_version=form_version,
        recorded_at=timezone.now(),
        recorded_by=caller.user if getattr(caller.user, "pk", None) else None,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="returns.intention",
        target=record,
        details={"household": household.reference, "intention": intention, "source": source},
    )
    return record


@transaction.atomic
def add_guarantee(
    *,
    caller: Caller,
    code: str,
    group: str,
    texts: dict[str, str],
    responsible_party: str,
    answers: Iterable[str],
    status: str = Guarantee.Status.PROPOSED,
    status_since: datetime.date | None = None,
) -> Guarantee:
    caller.require(Permission.MANAGE_GUARANTEES)
    if group not in Guarantee.Group.values:
        raise FieldProblem("group", _("choose a group"))
    if status not in Guarantee.Status.values:
        raise FieldProblem("status", _("choose a status"))
    for language in ("hy", "ru", "en", "az"):
        if not (texts.get(language) or "").strip():
            raise FieldProblem(f"text_{language}", _("the text is needed in every language"))
    if Guarantee.objects.filter(code=code).exists():
        raise FieldProblem("code", _("another guarantee has this code"))
    since = status_since or timezone.localdate()
    guarantee = Guarantee.objects.create(
        code=code,
        group=group,
        text_hy=texts["hy"].strip(),
        text_ru=texts["ru"].strip(),
        text_en=texts["en"].strip(),
        text_az=texts["az"].strip(),
        status=status,
        status_since=since,
        responsible_party=responsible_party.strip(),
        answers=check_conditions(answers, "answers"),
    )
    GuaranteeStatusChange.objects.create(
        guarantee=guarantee,
        to_status=status,
        changed_on=since,
        changed_by=caller.user if getattr(caller.user, "pk", None) else None,
        organisation=caller.organisation,
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="returns.guarantee.add",
        target=guarantee,
        details={"code": code, "status": status},
    )
    return guarantee


@transaction.atomic
def change_guarantee_status(
    *,
    caller: Caller,
    guarantee: Guarantee,
    status: str,
    changed_on: datetime.date | None = None,
    note: str = "",
) -> GuaranteeStatusChange:
    caller.require(Permission.MANAGE_GUARANTEES)
    if status not in Guarantee.Status.values:
        raise FieldProblem("status", _("choose a status"))
    guarantee = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
    if status == guarantee.status:
        raise FieldProblem("status", _("the guarantee already has this status"))
    changed_on = changed_on or timezone.localdate()
    if changed_on > timezone.localdate():
        raise FieldProblem("changed_on", _("is in the future"))
    if changed_on < guarantee.status_since:
        raise FieldProblem("changed_on", _("is before the current status began"))
    change = GuaranteeStatusChange.objects.create(
        guarantee=guarantee,
        from_status=guarantee.status,
        to_status=status,
        changed_on=changed_on,
        changed_by=caller.user if getattr(caller.user, "pk", None) else None,
        organisation=caller.organisation,
        note=note.strip()[:500],
    )
    guarantee.status = status
    guarantee.status_since = changed_on
    guarantee.save(update_fields=["status", "status_since"])
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="returns.guarantee.status",
        target=guarantee,
        details={"from": change.from_status, "to": status, "on": changed_on.isoformat()},
    )
    return change


@transaction.atomic
def file_question(
    *,
    caller: Caller,
    theme: str,
    text: str,
    language: str,
    assigned_to: Organisation,
) -> Question:
    """A caseworker files a question people asked, worded for publication."""
    caller.require(Permission.RECORD_INTENTIONS)
    if theme not in Question.Theme.values:
        raise FieldProblem("theme", _("choose a theme"))
    if language not in ("hy", "ru", "en", "az"):
        raise FieldProblem("language", _("choose the language it was asked in"))
    text = text.strip()
    if not text:
        raise FieldProblem("text", _("write the question"))
    if len(text) > MAX_TEXT:
        raise FieldProblem("text", _("is longer than %(n)d characters") % {"n": MAX_TEXT})
    question = Question.objects.create(
        theme=theme,
        text=text,
        language=language,
        asked_by=caller.organisation,
        assigned_to=assigned_to,
        asked_on=timezone.localdate(),
    )
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="returns.question.file",
        target=question,
        details={"theme": theme, "assigned_to": assigned_to.slug},
    )
    return question


@transaction.atomic
def answer_question(*, caller: Caller, question: Question, answers: dict[str, str]) -> Question:
    """The organisation it was assigned to answers, in every language of the plan."""
    caller.require(Permission.ANSWER_QUESTIONS)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.assigned_to_id != caller.organisation.pk:
        raise Question.DoesNotExist
    for language in ("hy", "ru", "en", "az"):
        if not (answers.get(language) or "").strip():
            raise FieldProblem(f"answer_{language}", _("the answer is needed in every language"))
        setattr(question, f"answer_{language}", answers[language].strip()[:MAX_TEXT])
    question.status = Question.Status.ANSWERED
    question.answered_on = timezone.localdate()
    question.save()
    record_event(
        actor=caller.user,
        organisation=caller.organisation,
        action="returns.question.answer",
        target=question,
        details={"theme": question.theme},
    )
    return question
