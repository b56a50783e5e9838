import csv
import io

import openpyxl
import pytest

from homeward.interop.spreadsheets import safe_cell, write_csv, write_xlsx

DANGEROUS = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\r=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_values_are_untouched():
    assert [safe_cell(v) for v in ("Ani", "Հովհաննիսյան", 42, None, "")] == [
        "Ani",
        "Հովհաննիսյան",
        42,
        None,
        "",
    ]


def test_csv_and_xlsx_exports_carry_no_formula(tmp_path):
    rows = [[value, "x"] for value in DANGEROUS]
    handle = io.StringIO()
    write_csv(handle, ["name", "other"], rows)
    cells = [row[0] for row in csv.reader(io.StringIO(handle.getvalue()))][1:]
    assert all(cell.startswith("'") for cell in cells)
    write_xlsx(tmp_path / "out.xlsx", ["name", "other"], rows)
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert all(sheet.cell(row=i, column=1).data_type == "s" for i in range(2, len(rows) + 2))
    assert all(
        str(sheet.cell(row=i, column=1).value).startswith("'") for i in range(2, len(rows) + 2)
    )


def test_an_import_rejects_file_is_neutralised_too(migration_service, gazetteer, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "in.csv"
    path.write_text(
        "source,record_id,given_name,family_name,patronymic,sex,birth_date,origin,phone\n"
        "ms,1,=cmd|' /C calc'!A0,Sargsyan,,X,,,\n",
        encoding="utf-8",
    )
    call_command(
        "import-registrations",
        str(path),
        "--source",
        "ms",
        "--organisation",
        "migration-service",
        "--skip-invalid",
        verbosity=0,
    )
    rejects = list(csv.DictReader((tmp_path / "in.rejects.csv").open(encoding="utf-8")))
    assert rejects[0]["given_name"].startswith("'=")
