"""A small registry for alice's organisation: 150 synthetic people registered by three bodies,
and a few handmade records whose answer is known."""

import csv

import pytest

from homeward.engines.linkage.records import INPUT_COLUMNS
from homeward.engines.synthetic import generate_population, write_registrations_csv
from homeward.people.imports import import_registrations
from homeward.people.management.commands.generate import gazetteer_for_generator
from homeward.people.models import Person

# The linkage contract, plus the household reference the registry import groups by.
COLUMNS = (*INPUT_COLUMNS, "household_ref")
HANDMADE = [
    # One woman, registered three times in three scripts.
    ("A1", "Անահիտ", "Հովհաննիսյան", "Աշոտի", "F", "1961-03-07", "Ստեփանակերտ", "+37497123456", "HA1"),
    ("A2", "Анаит", "Оганесян", "Ашотовна", "F", "07.03.1961", "Степанакерт", "+37497123456", "HA2"),
    ("A3", "ANAHIT", "HOVHANNISYAN", "ASHOT", "F", "1961-03-07", "Stepanakert", "", "HA3"),
    # Twin brothers: one family, father, birth day and phone; two people.
    ("T1", "Davit", "Petrosyan", "Aramovich", "M", "2001-06-15", "Martuni", "+37497555111", "HT"),
    ("T2", "Gor", "Petrosyan", "Aramovich", "M", "2001-06-15", "Martuni", "+37497555111", "HT"),
    # Twins of one household, as one body registered them: a boy and a girl, and two boys
    # whose given names are one letter apart (Erik, Edik). Everything a family shares agrees.
    ("B1", "Narek", "Petrosyan", "Armenovich", "M", "2011-04-17", "Askeran", "+37497555222", "HTW1"),
    ("B2", "Nare", "Petrosyan", "Armenovich", "F", "2011-04-17", "Askeran", "", "HTW1"),
    ("S1", "Erik", "Avetisyan", "Karoi", "M", "2014-09-02", "Hadrut", "+37497555333", "HTW2"),
    ("S2", "Edik", "Avetisyan", "Karoi", "M", "2014-09-02", "Hadrut", "", "HTW2"),
    # Perhaps one woman: the second record has nothing but her names.
    ("W1", "Armine", "Sahakyan", "", "F", "1958", "Martakert", "", "HW1"),
    ("W2", "Armine", "Sahakyan", "", "", "", "", "", "HW2"),
    # More records that share names, as a registry holds: namesakes, partial dates.
    ("X1", "Anna", "Grigoryan", "", "F", "1990-01-01", "Askeran", "", "HX1"),
    ("X2", "Anna", "Grigoryan", "", "F", "1991-01-01", "Askeran", "", "HX2"),
    ("Y1", "Gohar", "Melkonyan", "Karoi", "F", "1992-08-08", "Askeran", "", "HY1"),
    ("Y2", "Gohar", "Melkonyan", "", "F", "1992", "Martuni", "", "HY2"),
    ("Z1", "Mariam", "Avagyan", "", "F", "2010-05-05", "Hadrut", "", "HZ1"),
    ("Z2", "Mariam", "Avagyan", "", "F", "2010", "Martuni", "", "HZ2"),
    ("V1", "Sargis", "Baghdasaryan", "", "M", "1944", "Shushi", "", "HV1"),
    ("V2", "Sargis", "Baghdasaryan", "", "M", "", "Shushi", "", "HV2"),
]  # fmt: skip


@pytest.fixture
def registry(alice, gazetteer, tmp_path) -> dict[str, Person]:
    """The handmade persons by record id, among the synthetic ones."""
    origins, regions = gazetteer_for_generator()
    population = generate_population(
        people=150, seed=1, origins=origins, regions=regions, sources=3
    )
    for source, registrations in population.registrations.items():
        path = tmp_path / f"{source}.csv"
        write_registrations_csv(path, registrations)
        import_registrations(caller=alice, path=path, source=source)
    path = tmp_path / "caseworkers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(("caseworkers", *row) for row in HANDMADE)
    import_registrations(caller=alice, path=path, source="caseworkers")
    return {p.record_id: p for p in Person.objects.filter(source="caseworkers")}
