"""Writing an XLSForm: the spreadsheet that ODK Collect and KoboToolbox turn into a form.

Three sheets, as the XLSForm standard names them: `survey` (one row a question or group),
`choices` (the answer lists) and `settings` (title, id, version, default language). Labels
and hints carry one column per language, `label::English (en)` and so on.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from homeward.interop.spreadsheets import safe_cell


@dataclass(frozen=True)
class FormRow:
    type: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)  # XLSForm language name -> text
    hints: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    calculation: str = ""


@dataclass(frozen=True)
class Choice:
    list_name: str
    name: str
    labels: dict[str, str]


@dataclass(frozen=True)
class XLSForm:
    title: str
    form_id: str
    version: str
    default_language: str
    languages: Sequence[str]
    rows: Sequence[FormRow]
    choices: Sequence[Choice]


def write_xlsform(path: Path, form: XLSForm) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    label_columns = [f"label::{language}" for language in form.languages]
    hint_columns = [f"hint::{language}" for language in form.languages]
    survey.append(
        ["type", "name", *label_columns, *hint_columns, "required", "relevant", "calculation"]
    )
    for row in form.rows:
        survey.append(
            [
                row.type,
                row.name,
                *(safe_cell(row.labels.get(language, "")) for language in form.languages),
                *(safe_cell(row.hints.get(language, "")) for language in form.languages),
                "yes" if row.required else "",
                row.relevant,
                row.calculation,
            ]
        )
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *label_columns])
    for choice in form.choices:
        choices.append(
            [
                choice.list_name,
                choice.name,
                *(safe_cell(choice.labels.get(language, "")) for language in form.languages),
            ]
        )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([form.title, form.form_id, form.version, form.default_language])
    workbook.save(path)
