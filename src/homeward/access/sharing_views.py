from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.access import sharing
from homeward.access.caller import caller_for
from homeward.access.models import (
    SHAREABLE_FIELDS,
    Consent,
    Organisation,
    Purpose,
    SharingAgreement,
)
from homeward.access.roles import Permission
from homeward.access.views import staff_view
from homeward.people.models import Person
from homeward.people.selectors import get_person
from homeward.people.validation import FieldProblem


class AgreementForm(forms.Form):
    recipient = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), label=gettext_lazy("Recipient")
    )
    purpose = forms.ChoiceField(choices=Purpose.choices, label=gettext_lazy("Purpose"))
    fields = forms.MultipleChoiceField(
        choices=list(SHAREABLE_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Fields shared"),
    )
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Starts on")
    )
    ends_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label=gettext_lazy("Ends on")
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices, label=gettext_lazy("Purpose"))
    given = forms.TypedChoiceField(
        choices=[("yes", gettext_lazy("Yes, consents")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        label=gettext_lazy("Answer"),
    )
    method = forms.ChoiceField(choices=Consent.Method.choices, label=gettext_lazy("How"))


@staff_view(Permission.MANAGE_SHARING)
def agreements(request, caller):
    form = AgreementForm(request.POST or None)
    form.fields["recipient"].queryset = Organisation.objects.exclude(pk=caller.organisation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.propose_agreement(caller=caller, **form.cleaned_data)
        except FieldProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(
                request,
                _(
                    "Agreement proposed; it applies once the recipient's data protection officer approves it."
                ),
            )
            return redirect("sharing-agreements")
    return render(
        request,
        "access/agreements.html",
        {
            "agreements": sharing.agreements_of(caller),
            "form": form,
            "caller_org": caller.organisation,
        },
    )


@staff_view(Permission.MANAGE_SHARING)
def approve(request, caller, agreement_id: int):
    if request.method != "POST":
        return redirect("sharing-agreements")
    try:
        agreement = sharing.agreements_of(caller).get(
            pk=agreement_id, recipient=caller.organisation
        )
    except SharingAgreement.DoesNotExist:
        raise Http404 from None
    try:
        sharing.approve_agreement(caller=caller, agreement=agreement)
    except FieldProblem as problem:
        messages.error(request, _("Not approved: %(problem)s") % {"problem": problem.message})
    else:
        messages.success(request, _("Agreement approved."))
    return redirect("sharing-agreements")


# The columns of the clearance read beyond the shareable fields.
RECEIVED_COLUMNS = ["provider", *SHAREABLE_FIELDS, "destination", "convoy"]


def received(request):
    """Who reads depends on the purpose (sharing.read_permission): caseworkers and planners the
    agreed fields, clearance officers the clearance minimum; each lands on what they may read."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    caller = caller_for(request.user)
    readable = sharing.readable_purposes(caller) if caller is not None else []
    if not readable:
        raise PermissionDenied
    request._homeward_caller = caller
    purpose = request.GET.get("purpose") or readable[0]
    if purpose in Purpose.values and purpose not in readable:
        raise PermissionDenied
    rows = sharing.shared_with(caller, purpose)
    columns = [c for c in RECEIVED_COLUMNS if rows and c in rows[0]]
    labels = {
        "provider": _("provided by"),
        **SHAREABLE_FIELDS,
        "destination": _("destination"),
        "convoy": _("convoy"),
    }
    return render(
        request,
        "access/received.html",
        {
            "rows": [[row.get(c) for c in columns] for row in rows],
            "headers": [labels[c] for c in columns],
            "purposes": [(value, label) for value, label in Purpose.choices if value in readable],
            "purpose": purpose,
        },
    )


@staff_view(Permission.RECORD_CONSENT)
def consent(request, caller, person_id: int):
    try:
        person = get_person(caller, person_id)
    except Person.DoesNotExist:
        raise Http404 from None
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and request.POST.get("withdraw"):
        sharing.withdraw_consent(caller=caller, person=person, purpose=request.POST["withdraw"])
        messages.success(request, _("Consent withdrawn; it takes effect at once."))
        return redirect("sharing-consent", person_id=person.pk)
    if request.method == "POST" and form.is_valid():
        sharing.record_consent(caller=caller, person=person, **form.cleaned_data)
        messages.success(request, _("Answer recorded."))
        return redirect("sharing-consent", person_id=person.pk)
    return render(
        request,
        "access/consent.html",
        {
            "person": person,
            "form": form,
            "history": Consent.objects.filter(person=person).select_related(
                "recorded_by", "withdrawn_by"
            ),
        },
    )
