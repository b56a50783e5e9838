"""requests.csv and capacity.toml: every problem is named by file, row, field and what is
wrong; plan.csv lists every request once."""

import csv
from datetime import date

import pytest

from homeward.engines.planning import (
    OPTIONAL_REQUEST_COLUMNS,
    PLAN_COLUMNS,
    REQUEST_COLUMNS,
    Placement,
    Plan,
    PlanningFilesRejected,
    read_capacity_toml,
    read_pinned,
    read_plan_csv,
    read_requests_csv,
    write_plan_csv,
)

CAPACITY = """\
start = 2026-06-01
days = 28
weekdays = [1, 2, 3, 4, 5]
checkpoint_people_per_day = 300
convoys_per_day = 6
seats_per_convoy = 50
cargo_m3_per_convoy = 60

[routes]
lachin-road = ["berdzor", "shushi", "stepanakert"]
askeran = ["askeran", "stepanakert"]
"""

GOOD_ROW = {
    "request_id": "R1",
    "household_id": "H1",
    "people": "4",
    "destination": "shushi",
    "cargo_m3": "3.5",
    "earliest": "2026-06-03",
    "latest": "2026-06-20",
    "priority": "2",
}


@pytest.fixture
def capacity_file(tmp_path):
    path = tmp_path / "capacity.toml"
    path.write_text(CAPACITY, encoding="utf-8")
    return path


def write_requests(path, rows, columns=REQUEST_COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems_of(tmp_path, capacity_file, rows, columns=REQUEST_COLUMNS):
    path = write_requests(tmp_path / "requests.csv", rows, columns)
    with pytest.raises(PlanningFilesRejected) as rejected:
        read_requests_csv(path, read_capacity_toml(capacity_file))
    return {(p.file, p.row, p.field): p.problem for p in rejected.value.problems}


def test_good_files_are_read(tmp_path, capacity_file):
    capacity = read_capacity_toml(capacity_file)
    assert capacity.start == date(2026, 6, 1)
    assert capacity.weekdays == frozenset({1, 2, 3, 4, 5})
    assert capacity.routes["askeran"] == ("askeran", "stepanakert")
    rows = [GOOD_ROW, {**GOOD_ROW, "request_id": "R2", "latest": "", "cargo_m3": ""}]
    instance = read_requests_csv(write_requests(tmp_path / "requests.csv", rows), capacity)
    first, second = instance.requests
    assert (first.people, first.cargo_m3, first.priority) == (4, 3.5, 2)
    assert second.latest == date(2026, 6, 28)  # empty latest: the horizon's end
    assert second.cargo_m3 == 0.0


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("destination", "gandzasar", "unknown destination 'gandzasar': it is on no route"),
        ("people", "0", "must be at least 1, got 0"),
        ("people", "-2", "must be at least 1, got -2"),
        ("people", "three", "must be a whole number, got 'three'"),
        ("cargo_m3", "-1", "cannot be negative, got -1"),
        ("cargo_m3", "lots", "must be a number of cubic metres, got 'lots'"),
        ("priority", "4", "must be 1, 2 or 3, got 4"),
        ("priority", "0", "must be 1, 2 or 3, got 0"),
        ("latest", "2026-06-02", "2026-06-02 is before earliest (2026-06-03)"),
        ("earliest", "03/06/2026", "must be a date like 2026-06-01, got '03/06/2026'"),
        ("earliest", "", "empty"),
        ("household_id", "", "empty"),
        ("request_id", "=HYPERLINK(1)", "may not start with = + - or @ (spreadsheets run it)"),
    ],
)
def test_a_bad_value_is_named_by_file_row_and_field(tmp_path, capacity_file, field, value, problem):
    rows = [GOOD_ROW, {**GOOD_ROW, "request_id": "R2", field: value}]
    problems = problems_of(tmp_path, capacity_file, rows)
    assert problems == {("requests.csv", 3, field): problem}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-1", "cannot be negative, got -1"),
        ("yes", "must be a whole number, got 'yes'"),
        ("0.5", "must be a whole number, got '0.5'"),
    ],
)
def test_a_bad_forensic_team_need_is_named_by_file_row_and_field(
    tmp_path, capacity_file, value, problem
):
    rows = [GOOD_ROW, {**GOOD_ROW, "request_id": "R2", "forensic_teams": value}]
    problems = problems_of(tmp_path, capacity_file, rows, REQUEST_COLUMNS + ("forensic_teams",))
    assert problems == {("requests.csv", 3, "forensic_teams"): problem}


def test_forensic_teams_are_optional_and_empty_means_none(tmp_path, capacity_file):
    assert OPTIONAL_REQUEST_COLUMNS == ("forensic_teams",)
    rows = [
        {**GOOD_ROW, "forensic_teams": "1"},
        {**GOOD_ROW, "request_id": "R2", "forensic_teams": ""},
    ]
    capacity = read_capacity_toml(capacity_file)
    columns = REQUEST_COLUMNS + ("forensic_teams",)
    with_column = read_requests_csv(write_requests(tmp_path / "a.csv", rows, columns), capacity)
    assert [q.forensic_teams for q in with_column.requests] == [1, 0]
    without = read_requests_csv(write_requests(tmp_path / "b.csv", rows), capacity)
    assert [q.forensic_teams for q in without.requests] == [0, 0]
    assert capacity.forensic_teams_per_day == 0  # the key is absent: no team available


def test_dates_outside_the_horizon_are_read_for_the_planner_to_report(tmp_path, capacity_file):
    rows = [
        {**GOOD_ROW, "earliest": "2026-05-20", "latest": "2026-07-31"},  # reaches both ways
        {**GOOD_ROW, "request_id": "R2", "earliest": "2026-08-03", "latest": ""},  # after
        {**GOOD_ROW, "request_id": "R3", "earliest": "2026-05-01", "latest": "2026-05-10"},
    ]
    instance = read_requests_csv(
        write_requests(tmp_path / "requests.csv", rows), read_capacity_toml(capacity_file)
    )
    first, second, third = instance.requests
    assert (first.earliest, first.latest) == (date(2026, 5, 20), date(2026, 7, 31))
    # An empty latest after an earliest past the horizon is open, not "before earliest".
    assert second.latest == date(2026, 8, 3)
    assert third.latest == date(2026, 5, 10)


def test_a_duplicate_request_id_names_both_rows(tmp_path, capacity_file):
    problems = problems_of(tmp_path, capacity_file, [GOOD_ROW, GOOD_ROW])
    assert problems == {("requests.csv", 3, "request_id"): "duplicate 'R1' (first on row 2)"}


def test_a_missing_column_is_named(tmp_path, capacity_file):
    columns = tuple(c for c in REQUEST_COLUMNS if c != "priority")
    problems = problems_of(tmp_path, capacity_file, [GOOD_ROW], columns)
    assert problems == {("requests.csv", 1, "priority"): "missing column"}


def test_every_problem_is_reported_at_once(tmp_path, capacity_file):
    rows = [
        {**GOOD_ROW, "people": "0"},
        {**GOOD_ROW, "request_id": "R2", "destination": "nowhere", "priority": "9"},
    ]
    problems = problems_of(tmp_path, capacity_file, rows)
    assert set(problems) == {
        ("requests.csv", 2, "people"),
        ("requests.csv", 3, "destination"),
        ("requests.csv", 3, "priority"),
    }


def test_a_household_too_big_for_a_convoy_is_not_a_file_problem(tmp_path, capacity_file):
    rows = [{**GOOD_ROW, "people": "51", "cargo_m3": "75"}]
    instance = read_requests_csv(
        write_requests(tmp_path / "requests.csv", rows), read_capacity_toml(capacity_file)
    )
    assert instance.requests[0].people == 51


def test_a_missing_requests_file_is_named(tmp_path, capacity_file):
    with pytest.raises(PlanningFilesRejected) as rejected:
        read_requests_csv(tmp_path / "absent.csv", read_capacity_toml(capacity_file))
    assert str(rejected.value.problems[0]) == "absent.csv: no such file"


def capacity_problems(tmp_path, text):
    path = tmp_path / "capacity.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanningFilesRejected) as rejected:
        read_capacity_toml(path)
    return {(p.file, p.field): p.problem for p in rejected.value.problems}


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("days = 28\n", "", "days", "missing"),
        ("days = 28", 'days = "28"', "days", "must be a whole number, got '28'"),
        ("days = 28", "days = 0", "days", "must be at least 1, got 0"),
        ("days = 28", "days = true", "days", "must be a whole number, got True"),
        (
            "start = 2026-06-01",
            'start = "June"',
            "start",
            "must be a date like 2026-06-01, got 'June'",
        ),
        (
            "start = 2026-06-01",
            "start = 2026-06-01T08:00:00",
            "start",
            "must be a date without a time, got 2026-06-01T08:00:00",
        ),
        (
            "weekdays = [1, 2, 3, 4, 5]",
            "weekdays = [0, 8]",
            "weekdays",
            "must be a list of ISO weekday numbers, 1 (Monday) to 7, got [0, 8]",
        ),
        (
            "cargo_m3_per_convoy = 60",
            "cargo_m3_per_convoy = -60",
            "cargo_m3_per_convoy",
            "must be positive, got -60",
        ),
        (
            "seats_per_convoy = 50",
            "seats_per_convoy = 50.5",
            "seats_per_convoy",
            "must be a whole number, got 50.5",
        ),
        (
            'askeran = ["askeran", "stepanakert"]',
            "askeran = []",
            "routes.askeran",
            "the route has no settlements",
        ),
        (
            'askeran = ["askeran", "stepanakert"]',
            "askeran = 3",
            "routes.askeran",
            "must be a list of destination names, got 3",
        ),
        ("convoys_per_day = 6", "convoys_per_day = 6\nconvoy_per_day = 6", "convoy_per_day", None),
        (
            "convoys_per_day = 6",
            "convoys_per_day = 6\nforensic_teams_per_day = -1",
            "forensic_teams_per_day",
            "cannot be negative, got -1",
        ),
        (
            "convoys_per_day = 6",
            'convoys_per_day = 6\nforensic_teams_per_day = "two"',
            "forensic_teams_per_day",
            "must be a whole number, got 'two'",
        ),
        (
            "convoys_per_day = 6",
            "convoys_per_day = 6\nforensic_teams_per_day = 1.5",
            "forensic_teams_per_day",
            "must be a whole number, got 1.5",
        ),
    ],
)
def test_a_bad_capacity_key_is_named(tmp_path, old, new, field, problem):
    assert old in CAPACITY
    problems = capacity_problems(tmp_path, CAPACITY.replace(old, new))
    assert ("capacity.toml", field) in problems
    if problem:
        assert problems[("capacity.toml", field)] == problem
    assert len(problems) == 1


def test_forensic_teams_per_day_is_read_when_given(tmp_path):
    path = tmp_path / "capacity.toml"
    path.write_text(CAPACITY.replace("days = 28\n", "days = 28\nforensic_teams_per_day = 2\n"))
    assert read_capacity_toml(path).forensic_teams_per_day == 2


def test_a_capacity_file_that_is_not_toml_is_refused(tmp_path):
    problems = capacity_problems(tmp_path, "start = = 2026\n")
    ((where, problem),) = problems.items()
    assert where == ("capacity.toml", "")
    assert problem.startswith("is not valid TOML")


def test_the_plan_lists_every_request_once_and_reads_back(tmp_path, capacity_file):
    capacity = read_capacity_toml(capacity_file)
    rows = [
        GOOD_ROW,
        {**GOOD_ROW, "request_id": "R2"},
        {**GOOD_ROW, "request_id": "R3", "people": "60"},
    ]
    instance = read_requests_csv(write_requests(tmp_path / "requests.csv", rows), capacity)
    convoy = Placement(date(2026, 6, 3), 2)
    plan = Plan(placements={"R1": convoy}, convoy_routes={convoy: "lachin-road"})
    path = tmp_path / "plan.csv"
    write_plan_csv(
        path,
        instance,
        plan,
        unservable={"R3": "household of 60 people is larger than a convoy (50 seats)"},
    )
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert tuple(lines[0]) == PLAN_COLUMNS
    assert lines[1:] == [
        ["R1", "2026-06-03", "2026-06-03/2", "lachin-road", ""],
        ["R2", "", "", "", "unserved: no room in its window"],
        ["R3", "", "", "", "unservable: household of 60 people is larger than a convoy (50 seats)"],
    ]
    assert read_plan_csv(path) == plan


def test_a_previous_plan_with_a_broken_convoy_is_refused(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "request_id,date,convoy,route\nR1,2026-06-03,2026-06-04/1,askeran\n"
        "R2,2026-06-03,2026-06-03/1,askeran\nR3,2026-06-03,2026-06-03/1,lachin-road\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanningFilesRejected) as rejected:
        read_plan_csv(path)
    found = {(p.row, p.field) for p in rejected.value.problems}
    assert found == {(2, "convoy"), (4, "route")}


def test_pinned_ids_come_one_a_line_or_from_a_plan(tmp_path):
    listed = tmp_path / "pinned.txt"
    listed.write_text("request_id\nR1\n\n# cleared on Monday\nR7\n", encoding="utf-8")
    assert read_pinned(listed) == {"R1", "R7"}
    plan = tmp_path / "plan.csv"
    plan.write_text("request_id,date,convoy,route\nR3,2026-06-03,2026-06-03/1,askeran\n")
    assert read_pinned(plan) == {"R3"}
