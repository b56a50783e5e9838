from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.people import selectors, services
from homeward.people.forms import HouseholdForm, PersonForm, SearchForm
from homeward.people.models import Household, Person
from homeward.people.validation import FieldProblem


def _household_or_404(caller, reference: str) -> Household:
    try:
        return selectors.get_household(caller, reference)
    except Household.DoesNotExist:
        raise Http404 from None


@staff_view(Permission.VIEW_HOUSEHOLDS)
def household_list(request, caller):
    form = SearchForm(request.GET or None)
    search = None
    page = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["origin"]):
        search = selectors.search_persons(
            caller,
            form.cleaned_data["q"] or "",
            birth_year=form.cleaned_data["birth_year"],
            origin=form.cleaned_data["origin"],
        )
    else:
        households = (
            selectors.households_visible_to(caller)
            .select_related("origin_settlement", "shelter", "host_site")
            .order_by("-registered_on", "reference")
        )
        page = Paginator(households, 25).get_page(request.GET.get("page"))
    template = (
        "people/_search_results.html"
        if request.headers.get("HX-Request")
        else "people/household_list.html"
    )
    return render(request, template, {"form": form, "search": search, "page": page})


@staff_view(Permission.VIEW_HOUSEHOLDS)
def household_detail(request, caller, reference: str):
    household = _household_or_404(caller, reference)
    services.record_sensitive_read(caller=caller, households=[household], channel="web")
    return render(request, "people/household_detail.html", {"household": household})


@staff_view(Permission.EDIT_HOUSEHOLDS)
def household_create(request, caller):
    household_form = HouseholdForm(request.POST or None, prefix="household")
    person_form = PersonForm(request.POST or None, prefix="head")
    if request.method == "POST" and household_form.is_valid() and person_form.is_valid():
        try:
            with transaction.atomic():
                household = services.register_household(
                    caller=caller, **household_form.cleaned_data
                )
                services.add_person(caller=caller, household=household, **person_form.cleaned_data)
        except FieldProblem as problem:
            form = person_form if problem.field in person_form.fields else household_form
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request,
                _("Household %(reference)s registered.") % {"reference": household.reference},
            )
            return redirect("people:household-detail", reference=household.reference)
    return render(
        request,
        "people/household_form.html",
        {"household_form": household_form, "person_form": person_form, "creating": True},
    )


@staff_view(Permission.EDIT_HOUSEHOLDS)
def household_edit(request, caller, reference: str):
    household = _household_or_404(caller, reference)
    form = HouseholdForm(
        request.POST or None, initial=household.editable_values(), prefix="household"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_household(caller=caller, household=household, **form.cleaned_data)
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request, _("Household %(reference)s saved.") % {"reference": household.reference}
            )
            return redirect("people:household-detail", reference=household.reference)
    return render(
        request, "people/household_form.html", {"household_form": form, "household": household}
    )


@staff_view(Permission.EDIT_HOUSEHOLDS)
def person_create(request, caller, reference: str):
    household = _household_or_404(caller, reference)
    form = PersonForm(request.POST or None, initial={"relation": "child"})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_person(caller=caller, household=household, **form.cleaned_data)
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("Person added."))
            return redirect("people:household-detail", reference=household.reference)
    return render(request, "people/person_form.html", {"form": form, "household": household})


@staff_view(Permission.EDIT_HOUSEHOLDS)
def person_edit(request, caller, person_id: int):
    try:
        person = selectors.get_person(caller, person_id)
    except Person.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        services.record_sensitive_read(caller=caller, households=[person.household], channel="web")
    form = PersonForm(request.POST or None, initial=person.editable_values())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(caller=caller, person=person, **form.cleaned_data)
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("Person saved."))
            return redirect("people:household-detail", reference=person.household.reference)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "household": person.household, "person": person},
    )
