"""`homeward plan-visits`: requests.csv and capacity.toml in, plan.csv out, cost beside bound."""

import csv
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

REQUESTS = """\
request_id,household_id,people,destination,cargo_m3,earliest,latest,priority
R1,H1,4,shushi,3.5,2026-06-01,2026-06-12,1
R2,H2,3,stepanakert,2,2026-06-01,,3
R3,H3,2,askeran,0.5,2026-06-03,2026-06-05,2
R4,H4,5,berdzor,6,2026-06-02,2026-06-19,1
R5,H5,9,askeran,1,2026-06-01,,2
R6,H6,2,askeran,1,2026-06-06,2026-06-07,1
R7,H6,1,askeran,0,2026-06-01,2026-06-01,1
"""
CAPACITY = """\
start = 2026-06-01
days = 21
weekdays = [1, 2, 3, 4, 5]
checkpoint_people_per_day = 8
convoys_per_day = 2
seats_per_convoy = 8
cargo_m3_per_convoy = 10.0

[routes]
lachin-road = ["berdzor", "shushi", "stepanakert"]
askeran = ["askeran", "stepanakert"]
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "requests.csv").write_text(REQUESTS, encoding="utf-8")
    (tmp_path / "capacity.toml").write_text(CAPACITY, encoding="utf-8")
    return tmp_path


def plan_visits(directory, *extra, output="plan.csv"):
    out = StringIO()
    call_command(
        "plan-visits",
        "--requests",
        str(directory / "requests.csv"),
        "--capacity",
        str(directory / "capacity.toml"),
        "--output",
        str(directory / output),
        "--time-limit",
        "20",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def read_plan(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_writes_every_request_once_with_date_convoy_and_route(files):
    plan_visits(files)
    rows = read_plan(files / "plan.csv")
    assert list(rows[0]) == ["request_id", "date", "convoy", "route", "note"]
    assert [row["request_id"] for row in rows] == ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
    served = {row["request_id"]: row for row in rows if row["date"]}
    assert set(served) == {"R1", "R2", "R3", "R4", "R7"}
    for row in served.values():
        assert re.fullmatch(r"\d{4}-\d\d-\d\d/[12]", row["convoy"])
        assert row["convoy"].startswith(row["date"] + "/")
        assert row["route"] in {"lachin-road", "askeran"}
    assert served["R2"]["date"] == "2026-06-01"  # priority 3 goes at once
    # The 9-person household cannot ride in an 8-seat convoy, and R6's window is a weekend.
    unserved = {row["request_id"]: row for row in rows if not row["date"]}
    assert unserved["R5"]["convoy"] == "" and unserved["R5"]["route"] == ""
    assert unserved["R5"]["note"].startswith("unservable: household of 9 people")
    assert "opens on no day of its window" in unserved["R6"]["note"]


def test_it_prints_cost_bound_gap_and_counts(files):
    output = plan_visits(files)
    assert (
        "7 requests; 5 served (15 people), 2 unserved (11 people), 2 of them unservable" in output
    )
    cost = int(re.search(r"^cost: (\d+)$", output, re.M).group(1))
    bound = float(re.search(r"^lower bound: (\d+) \(fluid LP \(HiGHS\)\)$", output, re.M).group(1))
    gap = float(re.search(r"^gap: ([\d.]+)%", output, re.M).group(1))
    assert bound <= cost
    assert gap == pytest.approx(100 * (cost - bound) / bound, abs=0.01)
    assert re.search(r"^wall time: [\d.]+ s \(finished; limit 20 s\)$", output, re.M)
    assert "unservable R5: household of 9 people is larger than a convoy (8 seats)" in output
    assert "convoys:" in output and "by route:" in output


def test_each_convoy_is_listed_with_its_route_when_asked(files):
    output = plan_visits(files, "--verbosity", "2")
    rows = [row for row in read_plan(files / "plan.csv") if row["convoy"]]
    for row in rows:
        assert f"convoy {row['convoy']}: {row['route']}" in output


def test_the_same_seed_writes_the_same_plan(files):
    plan_visits(files, "--seed", "4", output="first.csv")
    plan_visits(files, "--seed", "4", output="second.csv")
    assert (files / "first.csv").read_bytes() == (files / "second.csv").read_bytes()


def test_replanning_keeps_pinned_requests_and_reports_moves(files):
    plan_visits(files)
    before = {row["request_id"]: row for row in read_plan(files / "plan.csv")}
    (files / "requests.csv").write_text(
        REQUESTS + "R8,H8,2,shushi,1,2026-06-01,2026-06-03,3\n", encoding="utf-8"
    )
    (files / "pinned.txt").write_text("R1\nR2\n", encoding="utf-8")
    output = plan_visits(
        files,
        "--previous",
        str(files / "plan.csv"),
        "--pinned",
        str(files / "pinned.txt"),
        output="replan.csv",
    )
    after = {row["request_id"]: row for row in read_plan(files / "replan.csv")}
    for request_id in ("R1", "R2"):
        assert after[request_id]["convoy"] == before[request_id]["convoy"]
    assert after["R8"]["date"]
    assert re.search(r"^moved from the previous plan: \d+ requests \(\d+ people\)$", output, re.M)


def problems(error):
    return str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "R3,H3,2,askeran",
            "R3,H3,2,gandzasar",
            "requests.csv, row 4, destination: unknown destination 'gandzasar'",
        ),
        (
            "R4,H4,5,berdzor,6",
            "R4,H4,5,berdzor,-6",
            "requests.csv, row 5, cargo_m3: cannot be negative",
        ),
        ("R1,H1,4,", "R1,H1,0,", "requests.csv, row 2, people: must be at least 1"),
        (
            "2026-06-01,2026-06-12,1",
            "2026-06-01,2026-06-12,5",
            "requests.csv, row 2, priority: must be 1, 2 or 3",
        ),
        (
            "2026-06-03,2026-06-05,2",
            "2026-06-05,2026-06-03,2",
            "requests.csv, row 4, latest: 2026-06-03 is before earliest",
        ),
        ("R2,H2", "R1,H2", "requests.csv, row 3, request_id: duplicate 'R1' (first on row 2)"),
        (",priority\n", ",urgency\n", "requests.csv, row 1, priority: missing column"),
    ],
)
def test_bad_requests_are_refused_naming_file_row_and_field(files, old, new, expected):
    path = files / "requests.csv"
    assert old in REQUESTS
    path.write_text(REQUESTS.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        plan_visits(files)
    assert expected in problems(error)
    assert "nothing was written" in problems(error)
    assert not (files / "plan.csv").exists()


def test_a_window_outlasting_the_horizon_is_planned_inside_it(files):
    # R4 asks until mid-July, past the horizon's 21 June: it is planned, not refused.
    outlasting = REQUESTS.replace("2026-06-02,2026-06-19,1", "2026-06-02,2026-07-19,1")
    (files / "requests.csv").write_text(outlasting, encoding="utf-8")
    output = plan_visits(files)
    rows = {row["request_id"]: row for row in read_plan(files / "plan.csv")}
    assert "2026-06-02" <= rows["R4"]["date"] <= "2026-06-21"
    assert "5 served" in output and "outside the horizon" not in output


def test_a_request_wholly_outside_the_horizon_is_unplanned_with_the_reason(files):
    after = "R8,H8,2,shushi,1,2026-07-01,2026-07-31,3\n"
    before = "R9,H9,2,shushi,1,2026-05-01,2026-05-20,3\n"
    (files / "requests.csv").write_text(REQUESTS + after + before, encoding="utf-8")
    output = plan_visits(files)
    rows = {row["request_id"]: row for row in read_plan(files / "plan.csv")}
    assert rows["R8"]["date"] == "" and rows["R9"]["date"] == ""
    assert rows["R8"]["note"] == (
        "unservable: its window (2026-07-01 to 2026-07-31) starts after the horizon ends "
        "(2026-06-21)"
    )
    assert rows["R9"]["note"] == (
        "unservable: its window (2026-05-01 to 2026-05-20) ends before the horizon starts "
        "(2026-06-01)"
    )
    # The rest of the file plans as it did without them.
    assert {r for r, row in rows.items() if row["date"]} == {"R1", "R2", "R3", "R4", "R7"}
    assert "9 requests; 5 served (15 people), 4 unserved (15 people), 4 of them unservable" in (
        output
    )
    assert "outside the horizon, not planned and not counted in the cost: 2 (R8, R9)" in output
    assert "unservable R8: its window (2026-07-01 to 2026-07-31) starts after" in output


RELOCATIONS = """\
request_id,household_id,people,destination,cargo_m3,earliest,latest,priority,forensic_teams
G1,H10,3,shushi,0,2026-06-01,2026-06-05,3,1
G2,H11,2,shushi,0,2026-06-01,2026-06-05,3,1
G3,H12,2,askeran,0,2026-06-01,2026-06-05,2,
"""


def test_relocations_take_the_forensic_teams_of_their_day(files):
    (files / "requests.csv").write_text(RELOCATIONS, encoding="utf-8")
    (files / "capacity.toml").write_text(
        CAPACITY.replace("days = 21\n", "days = 21\nforensic_teams_per_day = 1\n"),
        encoding="utf-8",
    )
    output = plan_visits(files)
    rows = {row["request_id"]: row for row in read_plan(files / "plan.csv")}
    # One team a day: the two relocations go on two days, though one convoy seats both.
    assert rows["G1"]["date"] and rows["G2"]["date"]
    assert rows["G1"]["date"] != rows["G2"]["date"]
    assert rows["G3"]["date"] == "2026-06-01"
    assert "forensic teams: 2 of 2 requests needing one served; the busiest day uses 1 of 1" in (
        output
    )
    bound = float(re.search(r"^lower bound: (\d+)", output, re.M).group(1))
    cost = int(re.search(r"^cost: (\d+)$", output, re.M).group(1))
    assert bound <= cost


def test_a_relocation_without_forensic_teams_in_the_capacity_is_unplanned_with_the_reason(files):
    (files / "requests.csv").write_text(RELOCATIONS, encoding="utf-8")
    output = plan_visits(files)
    rows = {row["request_id"]: row for row in read_plan(files / "plan.csv")}
    assert rows["G1"]["note"] == (
        "unservable: needs a forensic team, and no forensic team is available "
        "(forensic_teams_per_day is 0 or not set)"
    )
    assert rows["G3"]["date"] == "2026-06-01"
    assert "forensic teams: 0 of 2 requests needing one served" in output


def test_files_without_forensic_teams_plan_as_with_none_needed(files):
    plan_visits(files, output="without.csv")
    header, rest = REQUESTS.split("\n", 1)
    with_column = header + ",forensic_teams\n" + rest.replace("\n", ",0\n")
    (files / "requests.csv").write_text(with_column, encoding="utf-8")
    (files / "capacity.toml").write_text(
        CAPACITY.replace("days = 21\n", "days = 21\nforensic_teams_per_day = 2\n"),
        encoding="utf-8",
    )
    output = plan_visits(files, output="with.csv")
    assert (files / "with.csv").read_bytes() == (files / "without.csv").read_bytes()
    assert "forensic teams" not in output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-1", "requests.csv, row 3, forensic_teams: cannot be negative, got -1"),
        ("one", "requests.csv, row 3, forensic_teams: must be a whole number, got 'one'"),
    ],
)
def test_a_bad_forensic_team_need_is_refused_naming_file_row_and_field(files, value, expected):
    bad = RELOCATIONS.replace("2026-06-05,3,1\nG3", f"2026-06-05,3,{value}\nG3")
    (files / "requests.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        plan_visits(files)
    assert expected in problems(error)
    assert not (files / "plan.csv").exists()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("days = 21\n", "", "capacity.toml, days: missing"),
        (
            "days = 21\n",
            "days = 21\nforensic_teams_per_day = -2\n",
            "capacity.toml, forensic_teams_per_day: cannot be negative, got -2",
        ),
        (
            "convoys_per_day = 2",
            'convoys_per_day = "two"',
            "capacity.toml, convoys_per_day: must be a whole number, got 'two'",
        ),
        (
            'askeran = ["askeran", "stepanakert"]',
            "askeran = []",
            "capacity.toml, routes.askeran: the route has no settlements",
        ),
        (
            "weekdays = [1, 2, 3, 4, 5]",
            'weekdays = ["Mon"]',
            "capacity.toml, weekdays: must be a list of ISO weekday numbers",
        ),
    ],
)
def test_bad_capacity_is_refused_naming_the_key(files, old, new, expected):
    (files / "capacity.toml").write_text(CAPACITY.replace(old, new), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        plan_visits(files)
    assert expected in problems(error)
    assert not (files / "plan.csv").exists()


def test_a_refused_run_leaves_an_earlier_plan_untouched(files):
    plan_visits(files)
    earlier = (files / "plan.csv").read_bytes()
    (files / "requests.csv").write_text(REQUESTS.replace("shushi", "nowhere"), encoding="utf-8")
    with pytest.raises(CommandError):
        plan_visits(files)
    assert (files / "plan.csv").read_bytes() == earlier


def test_pinned_without_a_previous_plan_is_refused(files):
    (files / "pinned.txt").write_text("R1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--pinned needs --previous"):
        plan_visits(files, "--pinned", str(files / "pinned.txt"))
    assert not (files / "plan.csv").exists()
