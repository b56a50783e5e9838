"""Pages for clearance (the authority), appeals (the caseworker) and notifying households."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.jobs.models import Job
from homeward.jobs.services import start_job
from homeward.people.validation import FieldProblem
from homeward.visits import clearance, notifications
from homeward.visits.models import Convoy, Traveller


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=clearance.Decision.choices, label=gettext_lazy("Decision"))
    reason = forms.ChoiceField(
        choices=[("", "—"), *clearance.RefusalReason.choices],
        required=False,
        label=gettext_lazy("Reason for a refusal"),
    )
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Note"))


class AppealForm(forms.Form):
    grounds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        label=gettext_lazy("Grounds for the appeal"),
    )


@staff_view(Permission.CLEAR_VISITS)
def clearance_list(request, caller):
    return render(
        request,
        "visits/clearance_list.html",
        {"manifests": clearance.clearance_manifests(caller)},
    )


@staff_view(Permission.CLEAR_VISITS)
def clearance_convoy(request, caller, convoy_id: int):
    try:
        manifest = clearance.clearance_manifest(caller, convoy_id)
    except Convoy.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "visits/clearance_convoy.html",
        {"manifest": manifest, "form": DecisionForm(), "reasons": clearance.RefusalReason.choices},
    )


@require_POST
@staff_view(Permission.CLEAR_VISITS)
def clearance_decide(request, caller, traveller_id: int):
    form = DecisionForm(request.POST)
    try:
        traveller = clearance.get_traveller_for_clearance(caller, traveller_id)
    except Traveller.DoesNotExist:
        raise Http404 from None
    convoy_id = traveller.request.convoy_id
    if not form.is_valid():
        messages.error(request, _("Choose a decision, and a reason for a refusal."))
    else:
        try:
            clearance.decide_clearance(
                caller=caller, traveller_id=traveller_id, **form.cleaned_data
            )
        except FieldProblem as problem:
            messages.error(request, f"{problem.field}: {problem.message}")
        except Traveller.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("visits:clearance-convoy", convoy_id=convoy_id)


@staff_view(Permission.REQUEST_VISITS)
def refusal_list(request, caller):
    return render(
        request,
        "visits/clearance_refusals.html",
        {
            "refusals": clearance.refusals_of(caller),
            "not_reached": notifications.clearance_not_told(caller),
        },
    )


@staff_view(Permission.REQUEST_VISITS)
def refusal_appeal(request, caller, traveller_id: int):
    try:
        traveller = clearance.get_refusal(caller, traveller_id)
    except Traveller.DoesNotExist:
        raise Http404 from None
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clearance.lodge_appeal(
                caller=caller, traveller_id=traveller.pk, grounds=form.cleaned_data["grounds"]
            )
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("Appeal lodged: the authority will decide again."))
            return redirect("visits:clearance-refusals")
    return render(
        request,
        "visits/clearance_appeal.html",
        {
            "traveller": traveller,
            "form": form,
            "can_appeal": traveller.clearance == Traveller.Clearance.REFUSED
            and traveller.appealed_at is None,
        },
    )


@staff_view(Permission.PLAN_VISITS)
def notify(request, caller):
    if request.method == "POST":
        # Each message may be a call to an SMS gateway: thousands go out from a worker.
        job = start_job(caller=caller, kind="visits.notify", params={})
        return redirect("visits:notify-run", job_id=job.pk)
    return render(
        request,
        "visits/clearance_notify.html",
        {
            "waiting": notifications.requests_to_notify(caller).count(),
            "unreached": notifications.unreached(caller),
            "on_the_way": notifications.on_the_way(caller),
        },
    )


@staff_view(Permission.PLAN_VISITS)
def notify_run(request, caller, job_id: int):
    try:
        job = Job.objects.get(pk=job_id, organisation=caller.organisation, kind="visits.notify")
    except Job.DoesNotExist:
        raise Http404 from None
    return render(request, "visits/notify_run.html", {"job": job, "result": job.result or {}})
