from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.people.models import Relation, Sex, Vulnerability
from homeward.places.models import HostSite, Settlement, Shelter


class SettlementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Settlement) -> str:
        others = obj.other_names()
        return f"{obj.display_name()} ({' / '.join(others)})" if others else obj.display_name()


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name()


class ShelterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Shelter) -> str:
        return f"{obj.code} — {obj.display_name()}"


class HouseholdForm(forms.Form):
    origin_settlement = SettlementChoiceField(
        queryset=Settlement.objects.all(), required=False, label=_("Settlement of origin")
    )
    origin_address = forms.CharField(label=_("Address of origin"), required=False, max_length=300)
    shelter = ShelterChoiceField(
        queryset=Shelter.objects.select_related("site"),
        required=False,
        label=_("Collective shelter"),
    )
    host_site = PlaceChoiceField(
        queryset=HostSite.objects.all(), required=False, label=_("Host community")
    )
    host_address = forms.CharField(label=_("Host address"), required=False, max_length=300)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    registered_on = forms.DateField(
        label=_("Registration date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        max_length=10,
        help_text=_(
            "Day, month or year only: 1954-03-07, 1954-03, 1954 or 07.03.1954; empty if unknown."
        ),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the head"), choices=Relation.choices, initial=Relation.HEAD
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "placeholder": _("Name in any script")}
        ),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    origin = forms.CharField(label=_("Origin"), required=False, max_length=100)
