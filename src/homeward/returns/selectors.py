"""Reads of the returns app, scoped to what the caller may see."""

from django.db.models import Count, OuterRef, QuerySet, Subquery

from homeward.access.caller import Caller
from homeward.access.roles import Permission
from homeward.returns.models import Guarantee, Intention, Question


def intentions_for(caller: Caller) -> QuerySet[Intention]:
    """The organisation's intention records; nothing for a role that may not record them."""
    if not caller.may(Permission.RECORD_INTENTIONS):
        return Intention.objects.none()
    return Intention.objects.filter(organisation=caller.organisation).select_related("household")


def current_intentions_for(caller: Caller) -> QuerySet[Intention]:
    """Each household's newest answer only."""
    newest = (
        Intention.objects.filter(household=OuterRef("household"))
        .order_by("-recorded_at", "-id")
        .values("id")[:1]
    )
    return intentions_for(caller).filter(id=Subquery(newest))


def guarantees() -> QuerySet[Guarantee]:
    """The rights framework is public: every guarantee, with its history."""
    return Guarantee.objects.prefetch_related("history")


def questions_to_answer(caller: Caller) -> QuerySet[Question]:
    if not caller.may(Permission.ANSWER_QUESTIONS):
        return Question.objects.none()
    return Question.objects.filter(assigned_to=caller.organisation, status=Question.Status.OPEN)


def answered_questions() -> QuerySet[Question]:
    """Published: the question as worded for publication and its answer; no one's name."""
    return Question.objects.filter(status=Question.Status.ANSWERED).order_by(
        "theme", "-answered_on"
    )


def unanswered_by_theme() -> dict[str, int]:
    """Counts only: public, like the answered list."""
    rows = (
        Question.objects.filter(status=Question.Status.OPEN)
        .values("theme")
        .annotate(n=Count("id"))
        .values_list("theme", "n")
    )
    counts = dict.fromkeys(Question.Theme.values, 0)
    counts.update(dict(rows))
    return counts
