"""The projection's files: intentions.csv and guarantees.toml in, projection.csv out.

Reading checks everything and reports every problem at once, each naming the file, the row
(as a spreadsheet numbers it: the header is row 1; for TOML, the line of the guarantee's
table), the field and what is wrong. Nothing is written unless all of it reads.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from homeward.engines.problems import InputRejected, RowProblem
from homeward.engines.projection.conditions import CONDITION_CODES, INTENTIONS
from homeward.engines.projection.model import HouseholdIntention, SettlementProjection

INTENTION_COLUMNS: tuple[str, ...] = (
    "household_id",
    "settlement",
    "people",
    "intention",
    "conditions",
)
OPTIONAL_INTENTION_COLUMNS: tuple[str, ...] = ("weight",)
PROJECTION_COLUMNS: tuple[str, ...] = (
    "settlement",
    "households_surveyed",
    "would_return_households",
    "would_return_people",
    "might_return_people",
    "would_return_people_low",
    "would_return_people_high",
)
# A cell starting with one of these runs as a formula in a spreadsheet; settlements come back
# out in projection.csv, so they may not start with one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def read_intentions_csv(path: Path) -> list[HouseholdIntention]:
    name = path.name
    problems: list[RowProblem] = []
    households: list[HouseholdIntention] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputRejected(
            [RowProblem(name, 0, "", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [column for column in INTENTION_COLUMNS if column not in header]
    if missing:
        raise InputRejected(
            [RowProblem(name, 1, column, "column is missing") for column in missing]
        )
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        problems_before = len(problems)

        def problem(field: str, what: str, row_number: int = row_number) -> None:
            problems.append(RowProblem(name, row_number, field, what))

        if None in row:
            problem("", "has more cells than the header")
        household_id = (row.get("household_id") or "").strip()
        if not household_id:
            problem("household_id", "is empty")
        elif household_id in seen:
            problem("household_id", f"'{household_id}' is also on row {seen[household_id]}")
        else:
            seen[household_id] = row_number
        settlement = (row.get("settlement") or "").strip()
        if not settlement:
            problem("settlement", "is empty")
        elif settlement.startswith(FORMULA_STARTS):
            problem("settlement", "may not start with = + - @ (a spreadsheet would run it)")
        people = _whole_number(row.get("people"))
        if people is None:
            problem("people", f"'{row.get('people') or ''}' is not a whole number")
        elif people < 0:
            problem("people", f"{people} is negative")
        intention = (row.get("intention") or "").strip()
        if intention not in INTENTIONS:
            problem("intention", f"'{intention}' is not one of {', '.join(INTENTIONS)}")
        conditions = [c.strip() for c in (row.get("conditions") or "").split(";") if c.strip()]
        for code in conditions:
            if code not in CONDITION_CODES:
                problem("conditions", f"'{code}' is not a condition code")
        weight = _weight(row.get("weight"))
        if weight is None:
            problem("weight", f"'{row.get('weight')}' is not a number of zero or more")
        if len(problems) == problems_before:
            assert people is not None and weight is not None
            households.append(
                HouseholdIntention(
                    household_id=household_id,
                    settlement=settlement,
                    people=people,
                    intention=intention,
                    conditions=frozenset(conditions),
                    weight=weight,
                )
            )
    if problems:
        raise InputRejected(problems)
    return households


def _whole_number(text: str | None) -> int | None:
    text = (text or "").strip()
    if not re.fullmatch(r"-?\d{1,9}", text):
        return None
    return int(text)


def _weight(text: str | None) -> float | None:
    text = (text or "").strip()
    if not text:
        return 1.0
    try:
        weight = float(text)
    except ValueError:
        return None
    return weight if math.isfinite(weight) and weight >= 0 else None


def read_guarantees_toml(path: Path) -> dict[str, frozenset[str]]:
    """`[guarantees.CODE]` tables with `answers = ["condition_code", …]`."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise InputRejected(
            [RowProblem(name, 0, "", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InputRejected([RowProblem(name, 0, "", f"is not valid TOML: {error}")]) from None
    tables = data.get("guarantees")
    if not isinstance(tables, dict) or not tables:
        raise InputRejected(
            [RowProblem(name, 0, "guarantees", "no [guarantees.CODE] table in the file")]
        )
    lines = text.splitlines()
    problems: list[RowProblem] = []
    guarantees: dict[str, frozenset[str]] = {}
    for code, table in tables.items():
        line = _line_of_table(lines, code)
        field = f"guarantees.{code}.answers"
        answers = table.get("answers") if isinstance(table, dict) else None
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            problems.append(RowProblem(name, line, field, "must be a list of condition codes"))
            continue
        unknown = [a for a in answers if a not in CONDITION_CODES]
        for answer in unknown:
            problems.append(RowProblem(name, line, field, f"'{answer}' is not a condition code"))
        if not unknown:
            guarantees[code] = frozenset(answers)
    if problems:
        raise InputRejected(problems)
    return guarantees


def _line_of_table(lines: Sequence[str], code: str) -> int:
    pattern = re.compile(rf"""^\s*\[\s*guarantees\s*\.\s*["']?{re.escape(code)}["']?\s*\]""")
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return number
    return 0


def check_given(given: Sequence[str], guarantees: dict[str, frozenset[str]]) -> None:
    problems = [
        RowProblem("--given", 0, "", f"'{code}' is not a guarantee of the guarantees file")
        for code in given
        if code not in guarantees
    ]
    if problems:
        raise InputRejected(problems)


def write_projection_csv(path: Path, rows: Iterable[SettlementProjection]) -> None:
    """Written to a temporary file beside the target, then moved: never half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=directory, suffix=".part", delete=False
    )
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(PROJECTION_COLUMNS)
            for row in rows:
                writer.writerow(
                    [
                        row.settlement,
                        row.households_surveyed,
                        row.would_return_households,
                        _people(row.would_return_people),
                        _people(row.might_return_people),
                        _people(row.would_return_people_low),
                        _people(row.would_return_people_high),
                    ]
                )
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _people(value: float) -> str:
    """Whole numbers as such; weighted sums to two decimals."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.2f}"
