"""`homeward project-returns`: its file contract, followed exactly."""

import csv

import pytest
from django.core.management import CommandError, call_command

INTENTIONS = (
    "household_id,settlement,people,intention,conditions,weight\n"
    "h1,Shushi,4,return,school_armenian;church_clergy,\n"
    "h2,Shushi,3,return,,\n"
    "h3,Martuni,5,undecided,security_guarantees,2\n"
    "h4,Martuni,2,return,security_guarantees,\n"
    "h5,Martuni,6,not_return,,\n"
)
GUARANTEES = (
    '[guarantees.G1]\nanswers = ["school_armenian", "church_clergy"]\n\n'
    '[guarantees.G2]\nanswers = ["security_guarantees"]\n'
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "intentions.csv").write_text(INTENTIONS, encoding="utf-8")
    (tmp_path / "guarantees.toml").write_text(GUARANTEES, encoding="utf-8")
    return tmp_path


def project(files, given, samples=100, seed=0):
    call_command(
        "project-returns",
        f"--intentions={files / 'intentions.csv'}",
        f"--guarantees={files / 'guarantees.toml'}",
        f"--given={given}",
        f"--output={files / 'projection.csv'}",
        f"--samples={samples}",
        f"--seed={seed}",
        verbosity=0,
    )
    with (files / "projection.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_it_writes_one_row_per_settlement_and_all_last(files):
    rows = project(files, "G1,G2", samples=200, seed=1)
    assert list(rows[0]) == [
        "settlement",
        "households_surveyed",
        "would_return_households",
        "would_return_people",
        "might_return_people",
        "would_return_people_low",
        "would_return_people_high",
    ]
    assert rows[-1]["settlement"] == "ALL"
    by_name = {row["settlement"]: row for row in rows}
    assert by_name["Shushi"]["would_return_people"] == "7"
    assert by_name["Martuni"]["would_return_people"] == "2"
    assert by_name["Martuni"]["might_return_people"] == "10"
    assert by_name["ALL"]["households_surveyed"] == "5"
    assert by_name["ALL"]["would_return_people"] == "9"


def test_without_the_guarantee_families_with_conditions_stay(files):
    rows = {row["settlement"]: row for row in project(files, "", samples=0)}
    assert rows["Shushi"]["would_return_people"] == "3"
    assert rows["Martuni"]["would_return_people"] == "0"


def test_an_unknown_guarantee_is_refused_and_nothing_is_written(files):
    with pytest.raises(CommandError, match="'G7' is not a guarantee"):
        project(files, "G1,G7")
    assert not (files / "projection.csv").exists()


def test_a_bad_file_is_refused_naming_row_and_field(files):
    (files / "intentions.csv").write_text(INTENTIONS + "h6,Shushi,-1,return,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"intentions.csv, row 7, people: -1 is negative"):
        project(files, "G1")
    assert not (files / "projection.csv").exists()
