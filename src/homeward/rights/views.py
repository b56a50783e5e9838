from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.people.models import Person
from homeward.people.selectors import get_person
from homeward.people.services import record_sensitive_read
from homeward.people.validation import FieldProblem
from homeward.rights import retention, selectors, services
from homeward.rights.anonymisation import is_anonymised
from homeward.rights.forms import (
    CorrectionDecisionForm,
    CorrectionRequestForm,
    ErasureDecisionForm,
    RequestForm,
)
from homeward.rights.models import HOUSEHOLD_FIELDS, CorrectionRequest, ErasureRequest

SENSITIVE_FIELDS = {"phone", "vulnerabilities"}


def _person_or_404(caller, person_id: int) -> Person:
    try:
        return get_person(caller, person_id)
    except Person.DoesNotExist:
        raise Http404 from None


def _show_problem(form, problem: FieldProblem) -> None:
    form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@staff_view(Permission.RECORD_RIGHTS_REQUESTS)
def request_list(request, caller):
    return render(
        request,
        "rights/request_list.html",
        {
            "corrections": selectors.correction_requests_visible_to(caller)[:200],
            "erasures": selectors.erasure_requests_visible_to(caller)[:200],
            "rules": retention.RULES,
        },
    )


@staff_view(Permission.RECORD_RIGHTS_REQUESTS)
def correction_create(request, caller, person_id: int):
    person = _person_or_404(caller, person_id)
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.record_correction_request(
                caller=caller, person=person, **form.cleaned_data
            )
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(request, _("Correction request recorded."))
            return redirect("rights:correction-detail", request_id=created.pk)
    return render(
        request,
        "rights/request_form.html",
        {"form": form, "person": person, "kind": _("Request to correct a record")},
    )


@staff_view(Permission.RECORD_RIGHTS_REQUESTS)
def erasure_create(request, caller, person_id: int):
    person = _person_or_404(caller, person_id)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.record_erasure_request(
                caller=caller, person=person, **form.cleaned_data
            )
        except FieldProblem as problem:
            _show_problem(form, problem)
        else:
            messages.success(request, _("Erasure request recorded."))
            return redirect("rights:erasure-detail", request_id=created.pk)
    return render(
        request,
        "rights/request_form.html",
        {
            "form": form,
            "person": person,
            "kind": _("Request to erase a person's data"),
            # So that the person can be told at once when a rule will keep their data.
            "holding": retention.rules_holding(person, timezone.now()),
        },
    )


def _current_value(caller, correction: CorrectionRequest) -> str:
    person = correction.person
    if correction.field in SENSITIVE_FIELDS:
        if not caller.may(Permission.VIEW_SENSITIVE):
            return ""
        record_sensitive_read(caller=caller, households=[person.household], channel="web")
    if correction.field in HOUSEHOLD_FIELDS:
        return str(getattr(person.household, correction.field))
    value = person.editable_values()[correction.field]
    return "; ".join(value) if isinstance(value, list) else str(value)


@staff_view(Permission.RECORD_RIGHTS_REQUESTS)
def correction_detail(request, caller, request_id: int):
    try:
        correction = selectors.get_correction_request(caller, request_id)
    except CorrectionRequest.DoesNotExist:
        raise Http404 from None
    form = CorrectionDecisionForm(request.POST or None)
    if request.method == "POST":
        if not caller.may(Permission.DECIDE_CORRECTIONS):
            raise PermissionDenied
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    services.accept_correction(
                        caller=caller, request=correction, note=form.cleaned_data["reason"]
                    )
                else:
                    services.refuse_correction(
                        caller=caller, request=correction, reason=form.cleaned_data["reason"]
                    )
            except FieldProblem as problem:
                form.add_error(None if problem.field != "reason" else "reason", problem.message)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("rights:correction-detail", request_id=correction.pk)
    return render(
        request,
        "rights/correction_detail.html",
        {
            "correction": correction,
            "current": ""
            if is_anonymised(correction.person)
            else _current_value(caller, correction),
            "form": form,
        },
    )


@staff_view(Permission.RECORD_RIGHTS_REQUESTS)
def erasure_detail(request, caller, request_id: int):
    try:
        erasure = selectors.get_erasure_request(caller, request_id)
    except ErasureRequest.DoesNotExist:
        raise Http404 from None
    now = timezone.now()
    holding = retention.rules_holding(erasure.person, now) if erasure.pending else []
    form = ErasureDecisionForm(
        request.POST or None, rules=retention.rules_to_keep(erasure.person, now)
    )
    if request.method == "POST":
        if not caller.may(Permission.DECIDE_ERASURES):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "erase":
                    services.erase_on_request(caller=caller, request=erasure, note=data["note"])
                else:
                    services.keep_on_request(
                        caller=caller,
                        request=erasure,
                        retention_rule=data["retention_rule"],
                        note=data["note"],
                    )
            except FieldProblem as problem:
                _show_problem(form, problem)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect("rights:erasure-detail", request_id=erasure.pk)
    rule = retention.rule_named(erasure.retention_rule) if erasure.retention_rule else None
    return render(
        request,
        "rights/erasure_detail.html",
        {"erasure": erasure, "holding": holding, "form": form, "rule": rule},
    )
