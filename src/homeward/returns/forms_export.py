"""The intention survey as an XLSForm, in Armenian, Russian and English, from `survey.py`."""

from pathlib import Path

from django.utils import translation

from homeward.interop.xlsform import Choice, FormRow, XLSForm, write_xlsform
from homeward.returns.survey import (
    CHOICE_LISTS,
    FORM_ID,
    FORM_LANGUAGES,
    FORM_VERSION,
    QUESTIONS,
    RELEVANT,
)


def _in_every_language(text) -> dict[str, str]:
    labels = {}
    for code, column in FORM_LANGUAGES:
        with translation.override(code):
            labels[column] = str(text) if text else ""
    return labels


def build_survey_form() -> XLSForm:
    rows: list[FormRow] = [
        # Every submission says which form it was made with, whatever the tool exports.
        FormRow(type="calculate", name="form_version", calculation=f"'{FORM_VERSION}'"),
    ]
    group = None
    for group_name, name, kind, label, hint, required in QUESTIONS:
        if group_name != group:
            if group is not None:
                rows.append(FormRow(type="end_group", name=group))
            rows.append(FormRow(type="begin_group", name=group_name))
            group = group_name
        rows.append(
            FormRow(
                type=kind,
                name=name,
                labels=_in_every_language(label),
                hints=_in_every_language(hint),
                required=required,
                relevant=RELEVANT.get(name, ""),
            )
        )
    if group is not None:
        rows.append(FormRow(type="end_group", name=group))
    choices = [
        Choice(list_name=list_name, name=code, labels=_in_every_language(label))
        for list_name, labels in CHOICE_LISTS.items()
        for code, label in labels.items()
    ]
    with translation.override("en"):
        title = "Homeward: intention to return"
    return XLSForm(
        title=title,
        form_id=FORM_ID,
        version=FORM_VERSION,
        default_language=FORM_LANGUAGES[0][1],
        languages=[column for _code, column in FORM_LANGUAGES],
        rows=rows,
        choices=choices,
    )


def export_survey(path: Path) -> None:
    write_xlsform(path, build_survey_form())
