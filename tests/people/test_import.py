import csv

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from homeward.audit.models import AuditEvent
from homeward.encryption import lookup_hash
from homeward.people.models import Household, Person

HEADER = [
    "source",
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "origin",
    "phone",
    "household_ref",
    "shelter",
    "vulnerabilities",
]
GOOD = [
    [
        "ms",
        "1",
        "Ашот",
        "Оганесян",
        "Ашотович",
        "M",
        "07.03.1954",
        "Степанакерт",
        "097123456",
        "H1",
        "",
        "older_person",
    ],
    ["ms", "2", "Անահիտ", "Հովհաննիսյան", "", "F", "1956-05", "Ստեփանակերտ", "", "H1", "", ""],
    [
        "ms",
        "3",
        "Gevorg",
        "Harutyunyan",
        "",
        "M",
        "1980",
        "Khankendi",
        "+374 41 000000",
        "H2",
        "",
        "",
    ],
    ["ms", "4", "Lilit", "Harutyunyan", "", "F", "", "Shushi", "", "", "", ""],
]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(path, *extra):
    call_command(
        "import-registrations",
        str(path),
        "--source",
        "ms",
        "--organisation",
        "migration-service",
        *extra,
        verbosity=0,
    )


@pytest.fixture
def setup(migration_service, gazetteer):
    return migration_service


def test_a_clean_file_is_imported_with_households_grouped(setup, tmp_path):
    run(write_csv(tmp_path / "in.csv", GOOD))
    assert Person.objects.count() == 4
    assert Household.objects.count() == 3  # H1, H2 and a household of one
    h1 = Household.objects.get(source_ref="H1")
    assert h1.origin_settlement.slug == "stepanakert"
    assert h1.phone == "097123456"
    assert h1.phone_lookup == lookup_hash("+37497123456")
    ashot = Person.objects.get(record_id="1")
    assert ashot.patronymic == "Ашотович" and ashot.vulnerabilities == ["older_person"]
    assert Person.objects.get(record_id="2").birth_precision == "month"
    assert AuditEvent.objects.filter(action="people.registrations.import").count() == 1


def test_re_running_the_same_file_changes_nothing(setup, tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    run(path)
    before = list(Person.objects.order_by("id").values())
    run(path)
    assert list(Person.objects.order_by("id").values()) == before
    assert Household.objects.count() == 3


def test_one_bad_row_and_nothing_is_written_with_every_problem_reported(setup, tmp_path):
    bad = [
        *GOOD,
        ["ms", "5", "", "Petrosyan", "", "M", "1954", "Martuni", "", "", "", ""],
        [
            "ms",
            "6",
            "Ani",
            "Petrosyan",
            "",
            "X",
            "1954-13-01",
            "Martuni",
            "",
            "",
            "NOPE-1",
            "homesick",
        ],
    ]
    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path / "in.csv", bad))
    message = str(error.value)
    assert "in.csv, row 6, given_name: is required" in message
    assert "row 7, sex:" in message
    assert "row 7, shelter: 'NOPE-1' is not a shelter code" in message
    assert "nothing was written" in message
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_every_bad_field_of_a_row_is_named(setup, tmp_path):
    with pytest.raises(CommandError) as error:
        run(
            write_csv(
                tmp_path / "in.csv",
                [["ms", "1", "A", "B", "", "M", "1954/01/01", "", "phone?", "", "", ""]],
            )
        )
    assert "birth_date" in str(error.value)


def test_skip_invalid_writes_the_good_rows_and_a_rejects_file(setup, tmp_path):
    bad = [*GOOD, ["ms", "5", "Ani", "Petrosyan", "", "M", "31.02.1954", "Martuni", "", "", "", ""]]
    path = write_csv(tmp_path / "in.csv", bad)
    run(path, "--skip-invalid")
    assert Person.objects.count() == 4
    with (tmp_path / "in.rejects.csv").open(encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert [r["record_id"] for r in rejects] == ["5"]
    assert rejects[0]["row"] == "6" and "birth_date" in rejects[0]["problems"]


def test_a_missing_column_is_named(setup, tmp_path):
    header = [c for c in HEADER if c != "birth_date"]
    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path / "in.csv", [r[:6] + r[7:] for r in GOOD], header=header))
    assert "in.csv, row 1, birth_date: column is missing" in str(error.value)


def test_duplicate_record_ids_in_one_file_are_refused(setup, tmp_path):
    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path / "in.csv", [GOOD[0], GOOD[0]]))
    assert "row 3, record_id: '1' already appears on row 2" in str(error.value)


def test_xlsx_is_read_like_csv(setup, tmp_path):
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    sheet.append(
        [
            "ms",
            99,
            "Karen",
            "Sargsyan",
            "",
            "M",
            datetime.datetime(1970, 1, 2),
            "Martakert",
            "",
            "",
            "",
            "",
        ]
    )
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    run(path)
    assert Person.objects.count() == 5
    karen = Person.objects.get(record_id="99")
    assert karen.birth_date_display == "1970-01-02"


def test_an_unknown_origin_is_kept_as_written(setup, tmp_path):
    run(
        write_csv(
            tmp_path / "in.csv", [["ms", "1", "A", "B", "", "", "", "Atlantis", "", "", "", ""]]
        )
    )
    household = Household.objects.get()
    assert household.origin_settlement is None and household.origin_written == "Atlantis"


def test_a_row_from_another_source_is_refused(setup, tmp_path):
    with pytest.raises(CommandError) as error:
        run(write_csv(tmp_path / "in.csv", [["unhcr", *GOOD[0][1:]]]))
    assert "source: 'unhcr' differs from --source 'ms'" in str(error.value)


def test_the_terminal_shows_progress_and_a_summary(setup, tmp_path, capsys):
    from io import StringIO

    out = StringIO()
    call_command(
        "import-registrations",
        str(write_csv(tmp_path / "in.csv", GOOD)),
        "--source",
        "ms",
        "--organisation",
        "migration-service",
        stdout=out,
    )
    assert "4 persons and 3 households created" in out.getvalue()
    assert "Checking in.csv" in capsys.readouterr().out


def test_two_organisations_import_the_same_register_each_for_itself(
    setup, other_organisation, tmp_path
):
    from io import StringIO

    path = write_csv(tmp_path / "shared.csv", GOOD)
    run(path)
    out = StringIO()
    call_command(
        "import-registrations",
        str(path),
        "--source",
        "ms",
        "--organisation",
        "other-ngo",
        stdout=out,
        verbosity=0,
    )
    # The second organisation gets every row, and its summary says nothing of the first's.
    assert "4 persons and 3 households created; 0 already imported" in out.getvalue()
    for organisation in (setup, other_organisation):
        assert Person.objects.filter(household__organisation=organisation).count() == 4
        assert Household.objects.filter(organisation=organisation).count() == 3
    # Each re-run is still idempotent within its own organisation.
    out = StringIO()
    call_command(
        "import-registrations",
        str(path),
        "--source",
        "ms",
        "--organisation",
        "other-ngo",
        stdout=out,
        verbosity=0,
    )
    assert "0 persons and 0 households created; 4 already imported" in out.getvalue()
    assert Person.objects.count() == 8
