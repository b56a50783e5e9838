"""The importer answers a file, not a traceback: encodings read or refused by name, files that
are not CSV or XLSX, cells over the size limit, a column named twice, a row longer than its
header, a value too long for its column; each a problem naming file, row and field, with
nothing written."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError

from homeward.people.models import Household, Person
from tests.people.test_import import GOOD, HEADER, run, write_csv

# Windows-1251 has no Armenian letters: the files Russian-language bodies send in it carry
# names in Russian script.
RUSSIAN = [
    GOOD[0],
    ["ms", "5", "Сирануш", "Аветисян", "Вардановна", "F", "1948", "Шуши", "", "", "", ""],
]


@pytest.fixture
def setup(migration_service, gazetteer):
    return migration_service


def encoded(path, rows, encoding, header=HEADER):
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(handle.getvalue().encode(encoding))
    return path


def refused(path, *extra) -> str:
    with pytest.raises(CommandError) as error:
        run(path, *extra)
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    return str(error.value)


def test_a_windows_1251_file_is_imported_with_its_names_correct(setup, tmp_path):
    run(encoded(tmp_path / "cp1251.csv", RUSSIAN, "cp1251"))
    assert sorted(Person.objects.values_list("given_name", "family_name", "patronymic")) == [
        ("Ашот", "Оганесян", "Ашотович"),
        ("Сирануш", "Аветисян", "Вардановна"),
    ]
    assert Household.objects.get(source_ref="record:5").origin_settlement.slug == "shushi"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf_16_file_is_imported_with_armenian_and_russian_names(setup, tmp_path, encoding):
    # "utf-16" writes a byte order mark, as Excel's "Unicode text" does; "utf-16-le" has none.
    run(encoded(tmp_path / "unicode.csv", GOOD, encoding))
    assert Person.objects.get(record_id="2").family_name == "Հովհաննիսյան"
    assert Person.objects.get(record_id="1").patronymic == "Ашотович"
    assert Person.objects.count() == 4


def test_a_file_with_a_utf_8_byte_order_mark_is_read(setup, tmp_path):
    run(encoded(tmp_path / "bom.csv", GOOD, "utf-8-sig"))
    assert Person.objects.get(record_id="1").given_name == "Ашот"


def test_an_encoding_that_is_not_read_is_refused_by_name(setup, tmp_path):
    message = refused(encoded(tmp_path / "koi8.csv", RUSSIAN, "koi8_r"))
    assert "koi8.csv: is encoded as koi8_r" in message


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(setup, tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\x01\x02\xff\xfe binary")
    assert "scan.pdf: .pdf is neither CSV nor XLSX" in refused(pdf)
    disguised = tmp_path / "register.csv"
    disguised.write_bytes(bytes(range(256)) * 8)
    assert "register.csv: " in refused(disguised)
    fake = tmp_path / "register.xlsx"
    fake.write_text("source,record_id\n", encoding="utf-8")
    assert "register.xlsx: is not an XLSX workbook" in refused(fake)
    workbook_as_csv = tmp_path / "book.csv"
    book = openpyxl.Workbook()
    book.save(workbook_as_csv)
    assert "book.csv: is an XLSX workbook or a ZIP archive, not CSV" in refused(workbook_as_csv)


def test_a_cell_over_the_size_limit_is_a_row_problem(setup, tmp_path):
    huge = [*GOOD[0][:10], "x" * 5000, GOOD[0][11]]
    message = refused(write_csv(tmp_path / "in.csv", [GOOD[1], huge]))
    assert "in.csv, row 3, shelter: is longer than 1000 characters" in message


def test_a_cell_over_the_csv_modules_own_limit_is_a_row_problem(setup, tmp_path):
    huge = [*GOOD[0][:10], "x" * 200_000, GOOD[0][11]]
    message = refused(write_csv(tmp_path / "in.csv", [GOOD[1], huge]))
    assert "in.csv, row 3: cannot be read as CSV (field larger than field limit" in message


def test_a_column_named_twice_is_refused(setup, tmp_path):
    header = [*HEADER, "given_name"]
    message = refused(write_csv(tmp_path / "in.csv", [[*r, "Other"] for r in GOOD], header))
    assert "in.csv, row 1, given_name: appears twice in the header (columns 3 and 13)" in message


def test_a_row_longer_than_the_header_is_refused(setup, tmp_path):
    message = refused(write_csv(tmp_path / "in.csv", [GOOD[0], [*GOOD[1], "stray"]]))
    assert "in.csv, row 3, column 13: the row has 13 or more cells" in message


def test_a_nul_byte_in_a_csv_file_is_refused(setup, tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    path.write_bytes(path.read_bytes().replace(b"Lilit", b"Li\x00lit"))
    assert "in.csv: contains NUL bytes" in refused(path)


def test_a_value_too_long_for_its_column_is_a_row_problem(setup, tmp_path):
    # 300 characters fit the cell limit but not the column of the origin as written (200),
    # and a Russian name can outgrow its search key's column once in Latin letters.
    rows = [
        [*GOOD[0][:7], "Степанакерт" * 30, *GOOD[0][8:]],
        ["ms", "7", "Щ" * 100, "Оганесян", "", "", "", "", "", "", "", ""],
    ]
    message = refused(write_csv(tmp_path / "in.csv", rows))
    assert "in.csv, row 2, origin: is longer than 200 characters" in message
    assert "in.csv, row 3, given_name: is too long once written in Latin letters" in message


def test_a_household_of_one_with_a_long_record_id_fits(setup, tmp_path):
    run(write_csv(tmp_path / "in.csv", [["ms", "R" * 64, "Ani", "Sargsyan", *[""] * 8]]))
    assert Household.objects.get().source_ref == "record:" + "R" * 64


def test_a_source_too_long_for_its_column_is_refused(setup, tmp_path):
    from django.core.management import call_command

    with pytest.raises(CommandError) as error:
        call_command(
            "import-registrations",
            str(write_csv(tmp_path / "in.csv", [["s" * 65, *GOOD[0][1:]]])),
            "--source",
            "s" * 65,
            "--organisation",
            "migration-service",
            verbosity=0,
        )
    assert "--source must be 1 to 64 characters" in str(error.value)
