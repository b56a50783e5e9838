from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.rights.models import Channel, CorrectableField


class RequestForm(forms.Form):
    statement = forms.CharField(
        label=_("What the person said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In their words, as far as it matters for the decision."),
    )
    channel = forms.ChoiceField(label=_("Received"), choices=Channel.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CorrectionRequestForm(RequestForm):
    field = forms.ChoiceField(label=_("Field to correct"), choices=CorrectableField.choices)
    value_asked = forms.CharField(
        label=_("Value asked for"),
        max_length=300,
        required=False,
        help_text=_(
            "As the person gives it. Birth date: 1954-03-07, 1954-03 or 1954; sex: F or M; "
            "vulnerabilities: codes separated by ;"
        ),
    )
    field_order = ["field", "value_asked", "statement", "channel", "received_on"]


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: correct the record")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: the person is told it."),
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("erase", _("Erase: anonymise the person's data now")),
            ("keep", _("Keep, under a retention rule")),
        ],
        widget=forms.RadioSelect,
    )
    retention_rule = forms.ChoiceField(label=_("Retention rule"), required=False, choices=[])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retention_rule"].choices = [("", "—")] + [
            (rule.key, f"{rule.record} ({rule.key})") for rule in rules
        ]
