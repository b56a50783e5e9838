"""Reading form submissions as KoboToolbox and ODK Central export them, CSV or JSON.

What differs between the tools, and is read here so that the apps see one shape:
- column names carry the groups: `answers/intention` (Kobo), `answers-intention` (ODK
  Central's CSV), nested objects in JSON (ODK Central's OData); each answer is known here by
  its own name, the last part;
- Kobo's CSV export is separated by `;` by default, ODK Central's by `,`;
- the submission's identity: `meta/instanceID` (both), Kobo's `_uuid`, ODK's `KEY` or `__id`;
- select_multiple answers are the chosen codes separated by spaces in both.
"""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeward.errors import InputRejected, RowProblem

# Above this, an export is not one survey round of intentions: refuse rather than exhaust memory.
MAX_BYTES = 200 * 1024 * 1024
ID_FIELDS = ("instanceID", "_uuid", "KEY", "__id")


@dataclass(frozen=True)
class Submission:
    row: int  # CSV: the spreadsheet row (the header is row 1); JSON: the submission's number
    tool: str  # "kobo" or "odk"
    submission_id: str
    answers: dict[str, str]  # answer name (without its groups) -> value as exported


def read_submissions(path: Path) -> list[Submission]:
    name = path.name
    if path.stat().st_size > MAX_BYTES:
        raise InputRejected([RowProblem(name, 0, "", "is larger than 200 MB")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputRejected(
            [
                RowProblem(
                    name, 0, "", f"is not UTF-8 text (byte {error.start}); export it again as UTF-8"
                )
            ]
        ) from None
    if "\x00" in text:
        raise InputRejected([RowProblem(name, 0, "", "holds NUL bytes: not a text export")])
    if text.lstrip()[:1] in ("{", "["):
        return _read_json(name, text)
    return _read_csv(name, text)


def _leaf(column: str) -> str:
    return re.split(r"[/-]", column.strip())[-1]


def _identity(answers: dict[str, str]) -> str:
    for field in ID_FIELDS:
        value = answers.get(field, "").strip()
        if value:
            return value.removeprefix("uuid:")
    return ""


def _tool(columns: set[str]) -> str:
    return "kobo" if {"_uuid", "_submission_time", "_id"} & columns else "odk"


def _read_csv(name: str, text: str) -> list[Submission]:
    lines = text.splitlines()
    if not lines:
        raise InputRejected([RowProblem(name, 0, "", "is empty")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = next(reader)
    leaves = [_leaf(column) for column in header]
    seen: dict[str, int] = {}
    problems = []
    for position, leaf in enumerate(leaves):
        if leaf in seen and header[position] != header[seen[leaf]]:
            continue  # a select_multiple's one-column-per-choice copy: the answer is read once
        if leaf in seen:
            problems.append(RowProblem(name, 1, header[position], "column appears twice"))
        seen.setdefault(leaf, position)
    if problems:
        raise InputRejected(problems)
    tool = _tool(set(leaves))
    submissions = []
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(RowProblem(name, row_number, "", "has more cells than the header"))
            continue
        answers = {leaf: cells[pos] if pos < len(cells) else "" for leaf, pos in seen.items()}
        submissions.append(Submission(row_number, tool, _identity(answers), answers))
    if problems:
        raise InputRejected(problems)
    return submissions


def _read_json(name: str, text: str) -> list[Submission]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputRejected(
            [RowProblem(name, error.lineno, "", f"is not valid JSON: {error.msg}")]
        ) from None
    if isinstance(data, dict):
        # Kobo's API answers {"count", "results"}; ODK Central's OData {"value"}.
        data = data.get("results", data.get("value"))
    if not isinstance(data, list):
        raise InputRejected(
            [RowProblem(name, 0, "", "holds no list of submissions (results or value)")]
        )
    submissions = []
    problems = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(RowProblem(name, number, "", "is not a submission (an object)"))
            continue
        answers: dict[str, str] = {}
        _flatten(item, answers)
        tool = _tool(set(answers))
        submissions.append(Submission(number, tool, _identity(answers), answers))
    if problems:
        raise InputRejected(problems)
    return submissions


def _flatten(value: dict[str, Any], into: dict[str, str]) -> None:
    for key, item in value.items():
        if isinstance(item, dict):
            _flatten(item, into)
        elif isinstance(item, list):
            # A select_multiple exported as a list, or a repeat: codes joined as Kobo does.
            into.setdefault(_leaf(key), " ".join(str(x) for x in item if not isinstance(x, dict)))
        elif item is not None:
            into.setdefault(_leaf(key), str(item))
