"""Pages for visit requests, capacity and convoy planning.

Clearance pages live in clearance_views.py; the checkpoint, manifests and slips in
crossing_views.py.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.jobs.models import Job
from homeward.jobs.services import start_job
from homeward.people import selectors as people_selectors
from homeward.people.models import Household
from homeward.people.validation import FieldProblem
from homeward.visits import selectors, services
from homeward.visits.forms import CapacityForm, PriorityForm, VisitRequestForm
from homeward.visits.models import Convoy, VisitRequest


def _request_or_404(caller, reference: str) -> VisitRequest:
    try:
        return selectors.get_request(caller, reference)
    except VisitRequest.DoesNotExist:
        raise Http404 from None


@staff_view(Permission.VIEW_VISITS)
def request_list(request, caller):
    status = request.GET.get("status", "")
    visits = selectors.requests_visible_to(caller).order_by("-created_at")
    if status in VisitRequest.Status.values:
        visits = visits.filter(status=status)
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/request_list.html",
        {"page": page, "status": status, "statuses": VisitRequest.Status.choices},
    )


@staff_view(Permission.REQUEST_VISITS)
def request_create(request, caller, household: str):
    try:
        household_record = people_selectors.get_household(caller, household)
    except Household.DoesNotExist:
        raise Http404 from None
    form = VisitRequestForm(
        request.POST or None,
        household=household_record,
        initial={"earliest": timezone.localdate(), "language": "hy"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.request_visit(
                caller=caller,
                household=household_record,
                travellers=list(data["travellers"]),
                purposes=data["purposes"],
                earliest=data["earliest"],
                latest=data["latest"],
                destination=data["destination"],
                cargo_m3=data["cargo_m3"],
                language=data["language"],
                clearance_consent_method=data["clearance_consent_method"],
            )
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request, _("Visit request %(reference)s recorded.") % {"reference": visit.reference}
            )
            return redirect("visits:request-detail", reference=visit.reference)
    return render(
        request, "visits/request_form.html", {"form": form, "household": household_record}
    )


@staff_view(Permission.VIEW_VISITS)
def request_detail(request, caller, reference: str):
    visit = _request_or_404(caller, reference)
    priority_form = PriorityForm(
        initial={"priority": visit.priority_override, "reason": visit.override_reason}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "priority":
                caller.require(Permission.PLAN_VISITS)
                priority_form = PriorityForm(request.POST)
                if priority_form.is_valid():
                    services.override_priority(
                        caller=caller,
                        visit=visit,
                        priority=priority_form.cleaned_data["priority"],
                        reason=priority_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Priority saved."))
                    return redirect("visits:request-detail", reference=visit.reference)
            elif action == "seat":
                caller.require(Permission.PLAN_VISITS)
                convoy = selectors.convoys_of(caller).get(pk=int(request.POST.get("convoy", "0")))
                services.confirm_seat(caller=caller, visit=visit, convoy=convoy)
                messages.success(
                    request, _("Seat confirmed on convoy %(convoy)s.") % {"convoy": convoy.code}
                )
                return redirect("visits:request-detail", reference=visit.reference)
            elif action == "cancel":
                services.cancel_request(
                    caller=caller, visit=visit, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Request cancelled."))
                return redirect("visits:request-detail", reference=visit.reference)
        except FieldProblem as problem:
            priority_form.add_error(None, problem.message)
        except services.SeatRefused as refusal:
            messages.error(request, _("No seat: %(reason)s.") % {"reason": refusal})
        except (Convoy.DoesNotExist, ValueError):
            messages.error(request, _("Choose a convoy."))
    convoys = []
    if caller.may(Permission.PLAN_VISITS) and visit.status in (
        VisitRequest.Status.WAITING,
        VisitRequest.Status.PLANNED,
    ):
        convoys = (
            selectors.convoys_of(caller)
            .filter(
                status=Convoy.Status.PLANNED,
                date__gte=max(visit.earliest, timezone.localdate()),
                route__stops__settlement=visit.destination,
            )
            .order_by("date", "number")[:30]
        )
    return render(
        request,
        "visits/request_detail.html",
        {
            "visit": visit,
            "travellers": visit.travellers.select_related("person").order_by("id"),
            "priority_form": priority_form,
            "convoys": convoys,
            "capacity": selectors.capacity_of(caller),
        },
    )


@staff_view(Permission.PLAN_VISITS)
def capacity_edit(request, caller):
    capacity = selectors.capacity_of(caller)
    initial = selectors.capacity_values(capacity) if capacity is not None else {}
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_capacity(caller=caller, **form.cleaned_data)
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("Capacity saved."))
            return redirect("visits:plan")
    return render(request, "visits/capacity_form.html", {"form": form})


@staff_view(Permission.PLAN_VISITS)
def plan_overview(request, caller):
    if request.method == "POST":
        job = start_job(caller=caller, kind="visits.plan", params={})
        return redirect("visits:plan-run", job_id=job.pk)
    today = timezone.localdate()
    convoys = selectors.convoys_of(caller).filter(date__gte=today).order_by("date", "number")
    waiting = selectors.requests_visible_to(caller).filter(status=VisitRequest.Status.WAITING)
    return render(
        request,
        "visits/plan.html",
        {
            "capacity": selectors.capacity_of(caller),
            "convoys": Paginator(convoys, 60).get_page(request.GET.get("page")),
            "waiting": waiting.count(),
            "planned": selectors.requests_visible_to(caller)
            .filter(status=VisitRequest.Status.PLANNED)
            .count(),
            "runs": selectors.planning_runs(caller)[:5],
        },
    )


@staff_view(Permission.PLAN_VISITS)
def plan_run(request, caller, job_id: int):
    try:
        job = selectors.get_planning_run(caller, job_id)
    except Job.DoesNotExist:
        raise Http404 from None
    return render(request, "visits/plan_run.html", {"job": job, "result": job.result or {}})
