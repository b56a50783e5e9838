"""Deduplication end to end: hard negatives stay apart, one person's records meet across scripts.

A generated population in three registers gives the model data to learn from; a handful of
hand-written people are added to it: twins, a father and son of one name, namesakes of one
town, a record with given and family names swapped.
"""

import pandas as pd
import pytest

from homeward.engines.linkage import (
    COMPARED_FIELDS,
    INPUT_COLUMNS,
    PairExplanation,
    deduplicate,
    pairwise_scores,
)
from homeward.engines.synthetic import HostRegion, Origin, generate_population

ORIGINS = [
    Origin("stepanakert", {"hy": "Ստեփանակերտ", "hy-Latn": "Stepanakert", "az": "Xankəndi",
                           "az-Latn": "Khankendi", "ru": "Степанакерт"}, 50_000),
    Origin("martuni", {"hy": "Մարտունի", "hy-Latn": "Martuni", "az": "Xocavənd",
                       "az-Latn": "Khojavend", "ru": "Мартуни"}, 5_000),
    Origin("askeran", {"hy": "Ասկերան", "hy-Latn": "Askeran", "az": "Əsgəran",
                       "az-Latn": "Asgaran", "ru": "Аскеран"}, 2_300),
    Origin("hadrut", {"hy": "Հադրութ", "hy-Latn": "Hadrut", "az": "Hadrut",
                      "az-Latn": "Hadrut", "ru": "Гадрут"}, 3_000),
]  # fmt: skip
REGIONS = [HostRegion("yerevan", 1.0, ["yerevan"], [("YR-1", 1000)])]
SPELLINGS = {name: o.slug for o in ORIGINS for name in o.names.values()}

# (person, source, record_id, given, family, patronymic, sex, birth date, origin, phone)
HAND_WRITTEN = [
    # Twins: one family, one birth day, one father, one town; two given names.
    ("twin-davit", "ms", "T1", "Դավիթ", "Պետրոսյան", "Արմենի", "M", "14.05.2010", "Ասկերան", ""),
    ("twin-davit", "unhcr", "T2", "Davit", "Petrosyan", "Armenovich", "M", "2010-05-14", "Askeran", ""),
    ("twin-davit", "icrc", "T3", "Давид", "Петросян", "Арменович", "M", "14.05.2010", "Аскеран", ""),
    ("twin-narek", "ms", "T4", "Նարեկ", "Պետրոսյան", "Արմենի", "M", "14.05.2010", "Ասկերան", ""),
    ("twin-narek", "unhcr", "T5", "Narek", "Petrosyan", "Armenovich", "M", "2010-05-14", "Askeran", ""),
    ("twin-narek", "icrc", "T6", "Нарек", "Петросян", "Арменович", "M", "14.05.2010", "Аскеран", ""),
    # Father and son, both Ashot Hovhannisyan, one household phone; the son is Ashot's son.
    ("father-ashot", "ms", "F1", "Աշոտ", "Հովհաննիսյան", "Վարդանի", "M", "03.02.1955", "Հադրութ", "+374 97 555111"),
    ("father-ashot", "unhcr", "F2", "ASHOT", "HOVHANNISIAN", "VARDAN", "M", "1955-02-03", "Hadrut", "097-55-51-11"),
    ("father-ashot", "icrc", "F3", "Ашот", "Оганесян", "Варданович", "M", "03.02.1955", "Гадрут", "(097) 55-51-11"),
    ("son-ashot", "ms", "S1", "Աշոտ", "Հովհաննիսյան", "Աշոտի", "M", "21.09.1982", "Հադրութ", "+374 97 555111"),
    ("son-ashot", "unhcr", "S2", "Ashot", "Hovhannisyan", "Ashotovich", "M", "1982-09-21", "Hadrut", "097-55-51-11"),
    ("son-ashot", "icrc", "S3", "Ашот", "Оганесян", "Ашотович", "M", "21.09.1982", "Гадрут", "(097) 55-51-11"),
    # Two Anna Grigoryans of Martuni.
    ("anna-1970", "ms", "A1", "Աննա", "Գրիգորյան", "Սամվելի", "F", "02.03.1970", "Մարտունի", "+374 94 111222"),
    ("anna-1970", "icrc", "A2", "Анна", "Григорян", "Самвеловна", "F", "02.03.1970", "Мартуни", ""),
    ("anna-1988", "ms", "A3", "Աննա", "Գրիգորյան", "Կարենի", "F", "20.11.1988", "Մարտունի", "+374 94 333444"),
    ("anna-1988", "unhcr", "A4", "Anna", "Grigorian", "Karenovna", "F", "1988-11-20", "Martuni", ""),
    # Given and family name swapped in one register; Western spelling in another.
    ("gohar", "ms", "G1", "Գոհար", "Սարգսյան", "Մանվելի", "F", "07.07.1961", "Ստեփանակերտ", "+374 77 123987"),
    ("gohar", "unhcr", "G2", "SARKISSIAN", "GOHAR", "MANVELOVNA", "F", "1961-07-07", "Xankəndi", "077-12-39-87"),
    ("gohar", "icrc", "G3", "Гоар", "Саркисян", "Манвеловна", "F", "07.07.1961", "Степанакерт", ""),
]  # fmt: skip
SOURCE_NAMES = {"ms": "migration-service", "unhcr": "unhcr", "icrc": "icrc"}


def hand_written_records() -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    rows, person = [], {}
    for who, source, record_id, *values in HAND_WRITTEN:
        source = SOURCE_NAMES[source]
        rows.append(dict(zip(INPUT_COLUMNS, (source, record_id, *values), strict=True)))
        person[source, record_id] = who
    return pd.DataFrame(rows), person


@pytest.fixture(scope="module")
def registers() -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    population = generate_population(
        people=3000, seed=11, origins=ORIGINS, regions=REGIONS, sources=3
    )
    generated = pd.DataFrame(
        [
            {column: getattr(r, column) for column in INPUT_COLUMNS}
            for records in population.registrations.values()
            for r in records
        ]
    )
    person = {(s, r): p for s, r, p in population.truth}
    extra, extra_person = hand_written_records()
    return pd.concat([generated, extra], ignore_index=True), {**person, **extra_person}


@pytest.fixture(scope="module")
def result(registers):
    records, _ = registers
    return deduplicate(records, places=SPELLINGS, review_band=(0.5, 0.99))


def clusters_of(result, who: str, person: dict) -> set[int]:
    return {
        int(cluster)
        for ref, cluster in zip(result.references, result.cluster_ids, strict=True)
        if person.get(ref) == who
    }


def test_it_gives_every_record_one_cluster(registers, result):
    records, _ = registers
    assert len(result.cluster_ids) == len(records)
    assert result.references[0] == (records["source"][0], records["record_id"][0])
    assert result.cluster_count == len(set(result.cluster_ids.tolist()))


def test_it_finds_most_people_across_scripts_and_registers(registers, result):
    records, person = registers
    truth = [person[ref] for ref in result.references]
    scores = pairwise_scores(truth, result.cluster_ids)
    assert scores.precision > 0.98
    assert scores.recall > 0.97


@pytest.mark.parametrize(
    "who", ["twin-davit", "twin-narek", "father-ashot", "son-ashot", "anna-1970", "anna-1988"]
)
def test_each_hand_written_person_is_one_cluster(registers, result, who):
    _, person = registers
    assert len(clusters_of(result, who, person)) == 1


def test_twins_are_not_merged(registers, result):
    _, person = registers
    assert clusters_of(result, "twin-davit", person).isdisjoint(
        clusters_of(result, "twin-narek", person)
    )


def test_father_and_son_of_one_name_are_not_merged(registers, result):
    _, person = registers
    assert clusters_of(result, "father-ashot", person).isdisjoint(
        clusters_of(result, "son-ashot", person)
    )


def test_namesakes_of_one_town_are_not_merged(registers, result):
    _, person = registers
    assert clusters_of(result, "anna-1970", person).isdisjoint(
        clusters_of(result, "anna-1988", person)
    )


def test_swapped_names_and_western_spelling_join_the_person(registers, result):
    _, person = registers
    assert len(clusters_of(result, "gohar", person)) == 1


def test_each_pair_says_which_fields_agreed(result):
    explanations = result.explain()
    assert explanations and all(isinstance(e, PairExplanation) for e in explanations)
    ashot = next(
        e
        for e in explanations
        if {e.record_a, e.record_b} == {("migration-service", "F1"), ("icrc", "F3")}
    )
    assert set(ashot.agreements) == set(COMPARED_FIELDS)
    assert ashot.agreements["family_name"] == "same name, other spelling"  # Оганесян
    assert ashot.agreements["patronymic"] == "same father"  # Вардани / Варданович
    assert ashot.agreements["birth_date"] == "same day"
    assert ashot.agreements["phone"] == "same"
    assert ashot.linked and ashot.probability >= result.threshold
    assert "birth_date" in ashot.agreed and not ashot.disagreed


def test_twins_scored_high_are_kept_apart_and_sent_to_review(result):
    twins = [
        e
        for e in result.review
        if {e.record_a, e.record_b} == {("migration-service", "T1"), ("migration-service", "T4")}
    ]
    assert len(twins) == 1
    (pair,) = twins
    assert not pair.linked
    assert pair.agreements["given_name"] == "different"
    assert pair.agreements["birth_date"] == "same day"
    assert pair.agreements["family_name"] == "same spelling"


def test_review_holds_the_band_and_nothing_certain(result):
    for pair in result.review:
        assert 0.5 <= pair.probability
        assert pair.probability < 0.99 or not pair.linked


def test_repeated_record_ids_are_refused(registers):
    records, _ = registers
    twice = pd.concat([records.head(3), records.head(1)], ignore_index=True)
    with pytest.raises(ValueError, match="repeated"):
        deduplicate(twice, places=SPELLINGS)


@pytest.fixture(scope="module")
def small_registers():
    population = generate_population(
        people=800, seed=5, origins=ORIGINS, regions=REGIONS, sources=3
    )
    records = pd.DataFrame(
        [
            {column: getattr(r, column) for column in INPUT_COLUMNS}
            for rows in population.registrations.values()
            for r in rows
        ]
    )
    extra, _ = hand_written_records()
    return pd.concat([records, extra], ignore_index=True)


def test_reviewers_decisions_are_respected(small_registers):
    confirmed = (("migration-service", "T1"), ("migration-service", "T4"))  # told: one person
    rejected = (("migration-service", "G1"), ("unhcr", "G2"))  # told: two people
    unknown = (("migration-service", "T1"), ("nowhere", "X"))
    result = deduplicate(
        small_registers,
        places=SPELLINGS,
        must_link=[confirmed, unknown],
        cannot_link=[rejected],
    )
    cluster = dict(zip(result.references, result.cluster_ids.tolist(), strict=True))
    assert cluster[confirmed[0]] == cluster[confirmed[1]]
    assert cluster[rejected[0]] != cluster[rejected[1]]
    assert result.unknown_decisions == [unknown]
