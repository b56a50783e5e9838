"""Writing tables that people open in spreadsheets, safely.

A cell that begins with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice
as a formula: a name typed as `=HYPERLINK(...)` in a registration form would run on the
machine of whoever opens the export. Such cells are prefixed with an apostrophe, which the
spreadsheet shows as text and does not display.
"""

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


def write_xlsx(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "export"
) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    workbook.save(path)
