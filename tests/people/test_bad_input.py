"""Bad input never gives a server error: the API, the form and the importer refuse it alike,
with a 422 naming the field, and nothing is written."""

import datetime

import pytest
from django.utils import timezone

from homeward.people import services
from homeward.people.models import Household, Person
from homeward.people.validation import FieldProblem, clean_person
from tests.clients import client_for, token_client_for


@pytest.fixture
def api(alice, gazetteer):
    return token_client_for(alice)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {item["field"]: item["message"] for item in response.json()["detail"]}


@pytest.mark.parametrize("body", ["null", "[]", "1", '"household"', "true"])
def test_a_body_that_is_not_a_json_object_registers_nothing(api, body):
    response = post(api, "/api/v1/households", body)
    assert problems(response) == {"body": "must be a JSON object"}
    assert Household.objects.count() == 0


def test_a_nul_byte_anywhere_in_a_body_is_refused_naming_the_field(api):
    response = post(
        api,
        "/api/v1/households",
        {"origin_address": "12 Tumanyan\x00 St.", "persons": []},
    )
    assert problems(response) == {"origin_address": "contains a NUL character"}
    response = post(
        api,
        "/api/v1/households",
        {"persons": [{"given_name": "A\x00ni", "family_name": "Sargsyan"}]},
    )
    assert problems(response) == {"persons.0.given_name": "contains a NUL character"}
    assert Household.objects.count() == 0


def test_a_lone_surrogate_is_refused_naming_the_field(api):
    # JSON can carry half of a UTF-16 pair, which is no character and cannot be stored.
    response = post(
        api, "/api/v1/households", b'{"persons": [{"given_name": "\\ud800", "family_name": "S"}]}'
    )
    assert "surrogate" in problems(response)["persons.0.given_name"]
    assert Household.objects.count() == 0


def test_nul_in_a_query_or_path_parameter_is_refused(api):
    assert "NUL" in problems(api.get("/api/v1/persons/search?q=Ani%00"))["q"]
    assert "NUL" in problems(api.get("/api/v1/households/HW-%00"))["reference"]


def test_a_name_whose_latin_form_outgrows_its_column_is_refused_not_a_server_error(api):
    # 100 letters fit the name's column; "щ" is "shch" in Latin letters, and the search key
    # would not fit its own.
    response = post(
        api,
        "/api/v1/households",
        {"persons": [{"given_name": "Щ" * 100, "family_name": "Оганесян"}]},
    )
    assert "too long once written in Latin letters" in problems(response)["given_name"]
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_an_address_longer_than_its_column_is_a_field_error(api):
    response = post(api, "/api/v1/households", {"host_address": "x" * 301})
    assert problems(response) == {"host_address": "is longer than 300 characters"}


def test_the_api_refuses_a_phone_longer_than_the_form_allows(api):
    response = post(api, "/api/v1/households", {"phone": "+374 " + "- " * 20 + "97 123456"})
    assert problems(response) == {"phone": "is longer than 40 characters"}
    assert Household.objects.count() == 0


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Ani\u200b", "Ani"),  # zero-width space
        ("\ufeffAni", "Ani"),  # byte order mark
        ("A\u200dni", "Ani"),  # zero-width joiner
        ("\u202eAni", "Ani"),  # right-to-left override: would print "inA"
        ("\u2067Ani\u2069", "Ani"),  # right-to-left isolate
        ("E\u0301va", "\u00c9va"),  # e + combining accent is the one letter é (NFC)
    ],
)
def test_names_are_nfc_without_invisible_characters(written, stored):
    assert clean_person(given_name=written, family_name="Sargsyan").given_name == stored


@pytest.mark.parametrize("written", ["\u200b", "\u202e\u200b\ufeff", "\u0301\u0301", "   "])
def test_a_name_that_only_looks_blank_is_refused(written):
    with pytest.raises(FieldProblem) as problem:
        clean_person(given_name=written, family_name="Sargsyan")
    assert problem.value.field == "given_name"


def test_the_form_refuses_a_reversed_blank_name_like_the_api(alice, gazetteer):
    household = services.register_household(caller=alice)
    client = client_for(alice)
    response = client.post(
        f"/households/{household.reference}/persons/new/",
        {"given_name": "\u202e\u200b", "family_name": "Sargsyan", "relation": "head"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert Person.objects.count() == 0


def test_the_api_stores_a_name_cleaned_the_same_way(api):
    response = post(
        api,
        "/api/v1/households",
        {"persons": [{"given_name": "\u202eAni\u200b", "family_name": "Sargsyan"}]},
    )
    assert response.status_code == 201
    assert response.json()["persons"][0]["given_name"] == "Ani"


@pytest.mark.parametrize("birth_date", ["1899", "1899-12-31", "2999"])
def test_birth_dates_outside_1900_to_today_are_refused(api, birth_date):
    response = post(
        api,
        "/api/v1/households",
        {"persons": [{"given_name": "Ani", "family_name": "S", "birth_date": birth_date}]},
    )
    assert "birth_date" in problems(response)


def test_tomorrow_is_not_a_birth_date(api):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(
        api,
        "/api/v1/households",
        {"persons": [{"given_name": "A", "family_name": "S", "birth_date": tomorrow.isoformat()}]},
    )
    assert "future" in problems(response)["birth_date"]
