"""Reading the tables registering bodies send, and writing tables people open, safely.

Reading: a CSV or XLSX file becomes a header and numbered rows, or a list of problems naming
the file, the row and the column; never a traceback. Files from Russian-language bodies often
come in Windows-1251 or UTF-16 (Excel's "Unicode text"): a byte order mark decides first, then
UTF-8, then charset-normalizer's guess among the encodings such files are written in; any other
encoding is refused by name rather than read into wrong letters.

Writing:
A cell that begins with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice
as a formula: a name typed as `=HYPERLINK(...)` in a registration form would run on the
machine of whoever opens the export. Such cells are prefixed with an apostrophe, which the
spreadsheet shows as text and does not display.
"""

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from homeward.errors import InputRejected, RowProblem

# Longer cells are refused: no column of a registration file needs more, and a cell of
# megabytes is a broken export or an attack, not data.
FIELD_MAX = 1000
# Encodings read when the file is not UTF-8 (the names charset-normalizer gives them).
ACCEPTED_ENCODINGS = {"cp1251": "Windows-1251", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16"}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class TableRow:
    number: int  # as a spreadsheet shows it: the header is row 1
    values: dict[str, str]
    # Non-empty cells beyond the header's last column: data with no column to go in.
    beyond_header: list[str] = field(default_factory=list)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[TableRow]
    encoding: str = ""


def read_table(path: Path) -> Table:
    """The header and rows of a CSV or XLSX file; InputRejected naming what is wrong."""
    name = str(path)
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".xlsx":
        return _read_xlsx(path, data)
    if suffix in {".csv", ".txt"}:
        return _read_csv(name, data)
    raise InputRejected(
        [
            RowProblem(
                name,
                0,
                "",
                _("%(suffix)s is neither CSV nor XLSX: use a .csv or .xlsx file")
                % {"suffix": suffix or _("a name without a suffix")},
            )
        ]
    )


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in."""

    def refuse(problem: str) -> InputRejected:
        return InputRejected([RowProblem(name, 0, "", problem)])

    if data.startswith(ZIP_MAGIC):
        raise refuse(_("is an XLSX workbook or a ZIP archive, not CSV: name it .xlsx"))
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.upper().replace("-SIG", "")
            except UnicodeDecodeError:
                raise refuse(
                    _("starts as %(encoding)s but is not valid %(encoding)s")
                    % {"encoding": encoding.upper().replace("-SIG", "")}
                ) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise refuse(_("is not text: neither a CSV nor an XLSX file"))
    if guess.encoding not in ACCEPTED_ENCODINGS:
        raise refuse(
            _(
                "is encoded as %(encoding)s, which is not read: save it as UTF-8 "
                "(or Windows-1251 or UTF-16)"
            )
            % {"encoding": guess.encoding}
        )
    return str(guess), ACCEPTED_ENCODINGS[guess.encoding]


def _checked_header(name: str, cells: Iterable[Any]) -> list[str]:
    header = [str(h or "").strip().lower() for h in cells]
    seen: dict[str, int] = {}
    problems = []
    for index, column in enumerate(header, start=1):
        if not column:
            continue
        if column in seen:
            problems.append(
                RowProblem(
                    name,
                    1,
                    column,
                    _("appears twice in the header (columns %(first)s and %(second)s)")
                    % {"first": seen[column], "second": index},
                )
            )
        else:
            seen[column] = index
    if problems:
        raise InputRejected(problems)
    return header


def _row(number: int, header: list[str], cells: list[str]) -> TableRow:
    return TableRow(
        number,
        dict(zip(header, cells, strict=False)),
        [c for c in cells[len(header) :] if c],
    )


def _read_csv(name: str, data: bytes) -> Table:
    text, encoding = decode_text(name, data)
    if "\x00" in text:
        raise InputRejected(
            [RowProblem(name, 0, "", _("contains NUL bytes: it is not a CSV text file"))]
        )
    reader = csv.reader(io.StringIO(text, newline=""))

    def broken(error: csv.Error) -> InputRejected:
        # The csv module refuses fields over its own limit (131,072 characters) and stray
        # quotes; the line it stopped on is the row to fix.
        return InputRejected(
            [
                RowProblem(
                    name,
                    reader.line_num,
                    "",
                    _("cannot be read as CSV (%(error)s)") % {"error": error},
                )
            ]
        )

    try:
        header = _checked_header(name, next(reader, []))
    except csv.Error as error:
        raise broken(error) from None

    def rows() -> Iterator[TableRow]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise broken(error) from None
            number += 1
            if any(c.strip() for c in cells):
                yield _row(number, header, [c.strip() for c in cells])

    return Table(header, rows(), encoding)


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, data: bytes) -> Table:
    import zipfile

    import openpyxl

    name = str(path)
    if not data.startswith(ZIP_MAGIC):
        raise InputRejected([RowProblem(name, 0, "", _("is not an XLSX workbook"))])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputRejected(
            [
                RowProblem(
                    name, 0, "", _("is not a readable XLSX workbook (%(error)s)") % {"error": error}
                )
            ]
        ) from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = _checked_header(name, next(lines, ()))

    def rows() -> Iterator[TableRow]:
        for number, values in enumerate(lines, start=2):
            cells = [_xlsx_cell(v) for v in values]
            if any(cells):
                yield _row(number, header, cells)
        workbook.close()

    return Table(header, rows(), "XLSX")


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
