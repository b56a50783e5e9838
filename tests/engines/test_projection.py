"""Who would return under which guarantees: the engine without a database."""

from pathlib import Path

import pytest

from homeward.engines.problems import InputRejected
from homeward.engines.projection import (
    HouseholdIntention,
    Survey,
    blocking_conditions,
    gains_if_given,
    project_returns,
    read_guarantees_toml,
    read_intentions_csv,
)

GUARANTEES = {
    "schools": frozenset({"school_armenian"}),
    "church": frozenset({"church_clergy"}),
    "security": frozenset({"security_guarantees", "international_presence"}),
}


def household(hid, settlement, people, intention, *conditions, weight=1.0):
    return HouseholdIntention(hid, settlement, people, intention, frozenset(conditions), weight)


def by_settlement(rows):
    return {row.settlement: row for row in rows}


def test_a_household_returns_only_when_every_condition_it_sets_is_answered():
    survey = Survey(
        [
            household("a", "Shushi", 4, "return", "school_armenian", "church_clergy"),
            household("b", "Shushi", 3, "return", "school_armenian"),
            household("c", "Shushi", 2, "return"),
        ]
    )
    rows = by_settlement(project_returns(survey, GUARANTEES, ["schools"], samples=0))
    assert rows["Shushi"].would_return_households == 2
    assert rows["Shushi"].would_return_people == 5
    rows = by_settlement(project_returns(survey, GUARANTEES, ["schools", "church"], samples=0))
    assert rows["Shushi"].would_return_people == 9


def test_undecided_households_might_return_and_others_never_count():
    survey = Survey(
        [
            household("a", "Martuni", 5, "undecided", "security_guarantees"),
            household("b", "Martuni", 2, "visit_only"),
            household("c", "Martuni", 6, "not_return"),
        ]
    )
    rows = by_settlement(project_returns(survey, GUARANTEES, ["security"], samples=0))
    assert rows["Martuni"].would_return_people == 0
    assert rows["Martuni"].might_return_people == 5
    assert (
        by_settlement(project_returns(survey, GUARANTEES, [], samples=0))[
            "Martuni"
        ].might_return_people
        == 0
    )


def test_people_are_weighted_and_households_are_counted_as_surveyed():
    survey = Survey([household("a", "Askeran", 4, "return", weight=2.5)])
    row = by_settlement(project_returns(survey, GUARANTEES, [], samples=0))["Askeran"]
    assert (row.households_surveyed, row.would_return_households) == (1, 1)
    assert row.would_return_people == 10


def test_the_total_comes_last_and_sums_the_settlements():
    survey = Survey(
        [
            household("a", "Shushi", 4, "return"),
            household("b", "Martuni", 3, "return"),
            household("c", "Askeran", 1, "not_return"),
        ]
    )
    rows = project_returns(survey, GUARANTEES, [], samples=200, seed=3)
    assert rows[-1].settlement == "ALL"
    assert rows[-1].would_return_people == 7
    assert rows[-1].households_surveyed == 3
    assert {row.settlement for row in rows[:-1]} == {"Shushi", "Martuni", "Askeran"}


def test_the_interval_holds_the_figure_and_the_same_seed_gives_the_same_interval():
    people = [1, 2, 3, 4, 5, 6, 7, 8] * 10
    households = [
        household(f"h{i}", "Hadrut", n, "return" if i % 3 else "not_return")
        for i, n in enumerate(people)
    ]
    survey = Survey(households)
    first = project_returns(survey, GUARANTEES, [], samples=500, seed=7)[-1]
    again = project_returns(survey, GUARANTEES, [], samples=500, seed=7)[-1]
    other = project_returns(survey, GUARANTEES, [], samples=500, seed=8)[-1]
    assert first.would_return_people_low < first.would_return_people
    assert first.would_return_people < first.would_return_people_high
    assert first == again
    assert other != first


def test_a_settlement_of_alike_households_has_no_uncertainty():
    survey = Survey([household(f"h{i}", "Karin Tak", 3, "return") for i in range(20)])
    row = project_returns(survey, GUARANTEES, [], samples=300, seed=1)[0]
    assert row.would_return_people_low == row.would_return_people_high == 60


def test_what_one_more_guarantee_would_add_is_exact():
    survey = Survey(
        [
            household("a", "Shushi", 4, "return", "school_armenian", "church_clergy"),
            household("b", "Shushi", 3, "return", "church_clergy"),
            household("c", "Shushi", 6, "return", "security_guarantees"),
            household("d", "Shushi", 9, "undecided", "church_clergy"),
        ]
    )
    gains = {g.code: g.people for g in gains_if_given(survey, GUARANTEES, ["schools"])}
    assert gains == {"church": 7, "security": 6}
    blocking = blocking_conditions(survey, GUARANTEES, [])
    assert [(g.code, g.people) for g in blocking] == [
        ("security_guarantees", 6),
        ("church_clergy", 3),
    ]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_row_is_named_by_file_row_and_field(tmp_path):
    path = write(
        tmp_path,
        "intentions.csv",
        "household_id,settlement,people,intention,conditions\n"
        "h1,Shushi,4,return,school_armenian\n"
        "h2,Shushi,-2,return,\n"
        "h3,Shushi,2,maybe,\n"
        "h4,Shushi,2,return,school_armenian;schools_russian\n",
    )
    with pytest.raises(InputRejected) as rejected:
        read_intentions_csv(path)
    assert [str(p) for p in rejected.value.problems] == [
        "intentions.csv, row 3, people: -2 is negative",
        "intentions.csv, row 4, intention: 'maybe' is not one of return, visit_only, "
        "not_return, undecided",
        "intentions.csv, row 5, conditions: 'schools_russian' is not a condition code",
    ]


def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path, "intentions.csv", "household_id,settlement,people\nh1,Shushi,4\n")
    with pytest.raises(InputRejected) as rejected:
        read_intentions_csv(path)
    assert {p.field for p in rejected.value.problems} == {"intention", "conditions"}


def test_an_unknown_condition_in_the_guarantees_names_its_line(tmp_path):
    path = write(
        tmp_path,
        "guarantees.toml",
        '[guarantees.G1]\nanswers = ["school_armenian"]\n\n'
        '[guarantees.G2]\nanswers = ["police_force"]\n',
    )
    with pytest.raises(InputRejected) as rejected:
        read_guarantees_toml(path)
    assert [str(p) for p in rejected.value.problems] == [
        "guarantees.toml, row 4, guarantees.G2.answers: 'police_force' is not a condition code"
    ]


def test_settlements_are_taken_as_written(tmp_path):
    path = write(
        tmp_path,
        "intentions.csv",
        "household_id,settlement,people,intention,conditions,weight\n"
        "h1,Շուշի,4,return,,\nh2,Шуши,4,return,,1.5\n",
    )
    households = read_intentions_csv(path)
    assert [(h.settlement, h.weight) for h in households] == [("Շուշի", 1.0), ("Шуши", 1.5)]
