from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.people.models import Household
from homeward.people.selectors import get_household
from homeward.people.validation import FieldProblem
from homeward.returns import services
from homeward.returns.forms import AnswerForm, GuaranteeStatusForm, IntentionForm, QuestionForm
from homeward.returns.models import Guarantee, Question
from homeward.returns.projection import prior_cases, project
from homeward.returns.selectors import (
    answered_questions,
    guarantees,
    intentions_for,
    questions_to_answer,
    unanswered_by_theme,
)
from homeward.returns.survey import CONDITION_LABELS


@staff_view(Permission.VIEW_PROJECTIONS)
def projection(request, caller):
    """The negotiator's what-if: tick guarantees, see who would return. htmx swaps the
    figures in place; without JavaScript the form submits and the page reloads."""
    guarantees = list(Guarantee.objects.all())
    given = request.GET.getlist("given")
    figures = project(given, with_small_counts=caller.may(Permission.VIEW_HOUSEHOLDS))
    language = (translation.get_language() or "en")[:2]
    texts = {g.code: g.text(language) for g in guarantees}
    context = {
        "guarantees": [(g, texts[g.code]) for g in guarantees],
        "given": set(given),
        "figures": figures,
        "largest": max((r.figures.would_return_people_high for r in figures.rows), default=0) or 1,
        "gains": [(texts[g.code], g) for g in figures.gains[:5]],
        "blocking": [(CONDITION_LABELS[g.code], g) for g in figures.blocking[:5]],
        "cases": prior_cases(),
    }
    template = (
        "returns/projection_figures.html"
        if request.headers.get("HX-Request")
        else "returns/projection.html"
    )
    return render(request, template, context)


def _show_problem(form, problem: FieldProblem) -> None:
    form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@staff_view(Permission.RECORD_INTENTIONS)
def record_intention(request, caller, reference: str):
    try:
        household = get_household(caller, reference)
    except Household.DoesNotExist:
        raise Http404 from None
    form = IntentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_intention(caller=caller, household=household, **form.cleaned_data)
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(request, _("The household's answer is recorded."))
            return redirect("returns:household-intentions", reference=household.reference)
    history = intentions_for(caller).filter(household=household)
    return render(
        request,
        "returns/intention_form.html",
        {"form": form, "household": household, "history": history},
    )


@staff_view(Permission.VIEW_PROJECTIONS)
def guarantee_list(request, caller):
    language = (translation.get_language() or "en")[:2]
    items = [(g, g.text(language)) for g in guarantees()]
    return render(
        request,
        "returns/guarantee_list.html",
        {"items": items, "may_change": caller.may(Permission.MANAGE_GUARANTEES)},
    )


@staff_view(Permission.MANAGE_GUARANTEES)
def change_status(request, caller, code: str):
    guarantee = get_object_or_404(Guarantee, code=code)
    form = GuaranteeStatusForm(request.POST or None, initial={"status": guarantee.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_guarantee_status(
                caller=caller, guarantee=guarantee, **form.cleaned_data
            )
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(request, _("The new status is recorded and dated."))
            return redirect("returns:guarantee-list")
    return render(request, "returns/guarantee_status.html", {"form": form, "guarantee": guarantee})


@staff_view(Permission.VIEW_PROJECTIONS)
def question_list(request, caller):
    """Answered questions as the public will read them, the unanswered counted by theme, and
    for an organisation that answers, the questions waiting for it."""
    language = (translation.get_language() or "en")[:2]
    themes = dict(Question.Theme.choices)
    return render(
        request,
        "returns/question_list.html",
        {
            "answered": [(q, q.answer(language)) for q in answered_questions()[:200]],
            "unanswered": [(themes[t], n) for t, n in unanswered_by_theme().items()],
            "waiting": questions_to_answer(caller)[:200],
            "may_file": caller.may(Permission.RECORD_INTENTIONS),
        },
    )


@staff_view(Permission.RECORD_INTENTIONS)
def file_question(request, caller):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_question(caller=caller, **form.cleaned_data)
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(
                request, _("The question is filed with the organisation that will answer it.")
            )
            return redirect("returns:question-list")
    return render(request, "returns/question_form.html", {"form": form})


@staff_view(Permission.ANSWER_QUESTIONS)
def answer_question(request, caller, question_id: int):
    question = get_object_or_404(questions_to_answer(caller), pk=question_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {key.removeprefix("answer_"): value for key, value in form.cleaned_data.items()}
        try:
            services.answer_question(caller=caller, question=question, answers=answers)
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(request, _("The answer is published."))
            return redirect("returns:question-list")
    return render(request, "returns/answer_form.html", {"form": form, "question": question})
