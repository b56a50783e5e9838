"""Features: what the model compares, read from registrations as registers write them."""

import pandas as pd
import pytest

from homeward.engines.linkage import (
    INPUT_COLUMNS,
    PlaceIndex,
    prepare_records,
    settlement_spellings,
)
from homeward.engines.linkage.places import UNKNOWN_PREFIX
from homeward.engines.linkage.records import bare_name_key, looks_like_family_name

SETTLEMENTS = [
    {"slug": "stepanakert", "name_hy": "Ստեփանակերտ", "name_hy_latn": "Stepanakert",
     "name_az": "Xankəndi", "name_az_latn": "Khankendi", "name_ru": "Степанакерт",
     "alt_names": "Khankendy;Stepanakerd;Ханкенди"},
    {"slug": "hadrut", "name_hy": "Հադրութ", "name_hy_latn": "Hadrut", "name_az": "Hadrut",
     "name_az_latn": "Hadrut", "name_ru": "Гадрут", "alt_names": ""},
    {"slug": "martuni", "name_hy": "Մարտունի", "name_hy_latn": "Martuni", "name_az": "Xocavənd",
     "name_az_latn": "Khojavend", "name_ru": "Мартуни", "alt_names": "Ходжавенд"},
]  # fmt: skip


@pytest.fixture(scope="module")
def places() -> PlaceIndex:
    return PlaceIndex(settlement_spellings(SETTLEMENTS))


def features(places, *rows: dict) -> pd.DataFrame:
    table = pd.DataFrame([{c: row.get(c, "") for c in INPUT_COLUMNS} for row in rows])
    return prepare_records(table, places).features


@pytest.mark.parametrize(
    "spelling",
    ["Ստեփանակերտ", "Степанакерт", "Stepanakert", "Xankəndi", "Khankendi", "Ханкенди",
     "STEPANAKERT", "Stepanakerd", "Ստեփանակետր", "Stepanakrt"],
)  # fmt: skip
def test_origins_in_any_script_or_with_a_typo_reach_the_settlement(places, spelling):
    assert places.resolve(spelling) == "stepanakert"


def test_an_unknown_place_keeps_its_own_key_so_two_records_of_it_agree(places):
    assert places.resolve("Хнапат") == places.resolve("Khnapat")
    assert places.resolve("Хнапат").startswith(UNKNOWN_PREFIX)
    assert places.resolve("") is None


def test_a_settlement_named_in_azerbaijani_meets_its_armenian_name(places):
    assert places.resolve("Xocavənd") == places.resolve("Մարտունի") == "martuni"


def test_one_name_in_three_scripts_gives_one_key(places):
    table = features(
        places,
        {"source": "a", "record_id": "1", "given_name": "Հովհաննես", "family_name": "Հովհաննիսյան"},
        {"source": "a", "record_id": "2", "given_name": "Оганес", "family_name": "Оганесян"},
        {"source": "a", "record_id": "3", "given_name": "Hovannes", "family_name": "Hovannisian"},
        {"source": "a", "record_id": "4", "given_name": "Kevork", "family_name": "Hagopian"},
        {"source": "a", "record_id": "5", "given_name": "Геворг", "family_name": "Акопян"},
    )
    assert table["given_key"][0] == table["given_key"][1] == table["given_key"][2]
    assert table["family_key"][0] == table["family_key"][1] == table["family_key"][2]
    assert table["given_key"][3] == table["given_key"][4]  # Western Kevork = Геворг
    assert table["family_key"][3] == table["family_key"][4]  # Hagopian = Акопян


def test_given_and_family_names_written_in_each_others_place_are_put_back(places):
    table = features(
        places,
        {"source": "a", "record_id": "1", "given_name": "SARKISSIAN", "family_name": "GOHAR"},
        {"source": "a", "record_id": "2", "given_name": "Գոհար", "family_name": "Սարգսյան"},
        {"source": "a", "record_id": "3", "given_name": "Arman", "family_name": "Petrosyan"},
    )
    assert table["names_swapped"].tolist() == [True, False, False]
    assert table["given_key"][0] == table["given_key"][1]
    assert table["family_key"][0] == table["family_key"][1]
    assert table["given_latin"][2] == "arman"


def test_surname_endings_are_recognised_in_every_script():
    for family in ("Petrosyan", "Petrosian", "Petrosjan", "Петросян", "Պետրոսյան", "Vardanyants"):
        assert looks_like_family_name(family), family
    for given in ("Arman", "Anahit", "Vahan", "Ашот", "Աշոտ"):
        assert not looks_like_family_name(given), given


def test_patronymics_in_any_form_give_the_fathers_name(places):
    table = features(
        places,
        {"source": "a", "record_id": "1", "patronymic": "Ашотович"},
        {"source": "a", "record_id": "2", "patronymic": "Աշոտի"},
        {"source": "a", "record_id": "3", "patronymic": "Ashotovna"},
        {"source": "a", "record_id": "4", "patronymic": "ASHOT"},
        {"source": "a", "record_id": "5", "given_name": "Ашот"},
    )
    assert len(set(table["patronymic_key"][:4])) == 1
    assert table["patronymic_key"][0] == table["given_key"][4]
    assert pd.isna(table["patronymic_key"][4])


def test_the_russian_g_for_an_armenian_h_meets_it_without_the_first_sound():
    assert bare_name_key("Гайк") == bare_name_key("Hayk") == bare_name_key("Aik")
    assert bare_name_key("Гамлет") == bare_name_key("Համլետ")
    assert bare_name_key("Рипсиме") == bare_name_key("Hripsime")


def test_birth_dates_are_read_in_every_format_and_bad_ones_counted_as_unknown(places):
    prepared = prepare_records(
        pd.DataFrame(
            {
                "source": ["a"] * 5,
                "record_id": list("12345"),
                "birth_date": ["07.03.1954", "1954-03-07", "1954", "31.02.1954", "yesterday"],
            }
        ),
        places,
    )
    table = prepared.features
    assert table["birth_date"].tolist()[:2] == ["1954-03-07", "1954-03-07"]
    assert table["birth_date"].isna().tolist() == [False, False, True, True, True]
    assert table["birth_year"].tolist()[:3] == [1954, 1954, 1954]
    assert table["birth_month"].isna().tolist() == [False, False, True, True, True]
    assert table["birth_year"].isna().tolist()[3:] == [True, True]
    assert prepared.warnings.unreadable_birth_dates == 2
    assert [(row, field) for row, field, _, _ in prepared.warnings.examples] == [
        (3, "birth_date"),
        (4, "birth_date"),
    ]


def test_phones_in_any_format_become_one_and_bad_ones_are_unknown(places):
    prepared = prepare_records(
        pd.DataFrame(
            {
                "source": ["a"] * 5,
                "record_id": list("12345"),
                "phone": [
                    "+374 97 123456",
                    "097-12-34-56",
                    "(097) 12-34-56",
                    "097123456",
                    "call me",
                ],
            }
        ),
        places,
    )
    assert set(prepared.features["phone"][:4]) == {"+37497123456"}
    assert pd.isna(prepared.features["phone"][4])
    assert prepared.warnings.unreadable_phones == 1


def test_sex_is_read_in_three_languages(places):
    table = features(
        places,
        *({"source": "a", "record_id": str(i), "sex": s} for i, s in enumerate("FMжм", 1)),
        {"source": "a", "record_id": "9", "sex": ""},
    )
    assert table["sex"].tolist()[:4] == ["F", "M", "F", "M"]
    assert pd.isna(table["sex"][4])


def test_missing_optional_columns_count_as_blank(places):
    table = prepare_records(pd.DataFrame({"source": ["a"], "record_id": ["1"]}), places).features
    assert pd.isna(table["given_key"][0]) and pd.isna(table["phone"][0])
