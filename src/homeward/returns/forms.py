from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.access.models import Organisation
from homeward.returns.models import Guarantee, Question
from homeward.returns.survey import CONDITION_LABELS, INTENTION_LABELS, TIMING_LABELS


class IntentionForm(forms.Form):
    """The survey's questions as a caseworker asks them, in the survey's words."""

    intention = forms.ChoiceField(
        label=_("Would the household go back to live in its home settlement?"),
        choices=INTENTION_LABELS.items(),
        widget=forms.RadioSelect,
    )
    timing = forms.ChoiceField(
        label=_("When would it go back?"),
        choices=[("", _("Not asked"))] + list(TIMING_LABELS.items()),
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label=_("What would the household need in order to go back?"),
        choices=CONDITION_LABELS.items(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only asked when the household would return or is undecided."),
    )
    concerns = forms.CharField(
        label=_("Concerns, in the household's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Kept sealed; seen only by caseworkers."),
    )
    questions = forms.CharField(
        label=_("Questions the household wants answered"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class GuaranteeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Guarantee.Status.choices)
    changed_on = forms.DateField(
        label=_("Since"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Published with the history: no personal data."),
    )


class QuestionForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=Question.Theme.choices)
    text = forms.CharField(
        label=_("The question, worded for publication"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "It will be published with its answer: leave out names, addresses and anything that points at a family."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language it is written in"),
        choices=[("hy", "Հայերեն"), ("ru", "Русский"), ("en", "English"), ("az", "Azərbaycanca")],
    )
    assigned_to = forms.ModelChoiceField(
        label=_("To be answered by"), queryset=Organisation.objects.order_by("name")
    )


class AnswerForm(forms.Form):
    answer_hy = forms.CharField(
        label=_("Answer in Armenian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    answer_ru = forms.CharField(
        label=_("Answer in Russian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    answer_en = forms.CharField(
        label=_("Answer in English"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    answer_az = forms.CharField(
        label=_("Answer in Azerbaijani"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
