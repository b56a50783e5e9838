from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.access.models import Consent
from homeward.people.forms import SettlementChoiceField
from homeward.places.models import Route, Settlement
from homeward.visits.models import Purpose, VisitRequest

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        year = f" ({obj.birth_year})" if obj.birth_year else ""
        return f"{obj.given_name} {obj.family_name}{year}"


class VisitRequestForm(forms.Form):
    travellers = PersonChoiceField(
        queryset=None, label=_("Who travels"), widget=forms.CheckboxSelectMultiple
    )
    purposes = forms.MultipleChoiceField(
        choices=Purpose.choices, label=_("Purposes"), widget=forms.CheckboxSelectMultiple
    )
    destination = SettlementChoiceField(
        queryset=Settlement.objects.all(), label=_("Destination"), required=False
    )
    cargo_m3 = forms.DecimalField(
        label=_("Cargo to bring back (m³)"), min_value=0, max_digits=6, decimal_places=2, initial=0
    )
    earliest = forms.DateField(label=_("Earliest date"), widget=DATE)
    latest = forms.DateField(
        label=_("Latest date"),
        required=False,
        widget=DATE,
        help_text=_("Empty: any date until the end of the planning horizon."),
    )
    language = forms.ChoiceField(
        choices=VisitRequest.Language.choices, label=_("Language for messages")
    )
    clearance_consent_method = forms.ChoiceField(
        choices=[("", _("Not given"))] + list(Consent.Method.choices),
        required=False,
        label=_("Consent to clearance"),
        help_text=_(
            "Every traveller agrees that the authorities of the area of return see their name, "
            "birth year, destination and convoy, to clear the visit. Without it nobody on the "
            "request can be cleared."
        ),
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["travellers"].queryset = household.persons.order_by("id")
        self.fields["destination"].initial = household.origin_settlement_id


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        choices=[("", _("As computed")), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Priority"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RouteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Route) -> str:
        return obj.display_name()


class CapacityForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DATE)
    days = forms.IntegerField(label=_("Days in the horizon"), min_value=1, max_value=366)
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        label=_("Weekdays the checkpoint opens"),
        widget=forms.CheckboxSelectMultiple,
    )
    checkpoint_people_per_day = forms.IntegerField(
        label=_("People the checkpoint can process a day"), min_value=1, max_value=1_000_000
    )
    convoys_per_day = forms.IntegerField(
        label=_("Convoys a day (one escort team each)"), min_value=1, max_value=50
    )
    seats_per_convoy = forms.IntegerField(label=_("Seats per convoy"), min_value=1, max_value=500)
    cargo_m3_per_convoy = forms.DecimalField(
        label=_("Cargo per convoy (m³)"), min_value=0.01, max_digits=7, decimal_places=2
    )
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=200)
    departure_time = forms.TimeField(
        label=_("Departure time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    routes = RouteChoiceField(
        queryset=Route.objects.all(), label=_("Routes"), widget=forms.CheckboxSelectMultiple
    )
