from html import escape

import pytest

from tests.clients import client_for, token_client_for


@pytest.fixture
def api(alice, gazetteer):
    return token_client_for(alice)


def register(client, **overrides):
    payload = {
        "origin": "Ханкенди",
        "phone": "+374 97 123456",
        "persons": [
            {
                "given_name": "Ashot",
                "family_name": "Оганесян",
                "sex": "M",
                "birth_date": "1954",
                "relation": "head",
                "vulnerabilities": ["older_person"],
            }
        ],
        **overrides,
    }
    return client.post("/api/v1/households", payload, content_type="application/json")


def test_register_and_read_back_with_a_token(api):
    created = register(api)
    assert created.status_code == 201
    body = created.json()
    assert body["origin"] == "stepanakert"
    assert body["origin_written"] == "Ханкенди"
    assert body["persons"][0]["birth_precision"] == "year"
    again = api.get(f"/api/v1/households/{body['reference']}")
    assert again.status_code == 200 and again.json()["persons"][0]["family_name"] == "Оганесян"


def test_the_api_refuses_what_the_form_refuses(api, alice):
    response = register(
        api, persons=[{"given_name": "Ashot", "family_name": "X", "birth_date": "31.02.1954"}]
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "birth_date"
    # Nothing half-written: the household of the refused person is not there either.
    assert api.get("/api/v1/households").json() == []
    form = client_for(alice).post(
        "/households/new/",
        {
            "head-given_name": "Ashot",
            "head-family_name": "X",
            "head-birth_date": "31.02.1954",
            "head-relation": "head",
        },
    )
    assert form.status_code == 200
    assert escape(response.json()["detail"][0]["message"]) in form.content.decode()


def test_unknown_place_is_a_field_error(api):
    response = register(api, origin="Atlantis")
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "field": "origin",
        "message": "'Atlantis' is not a settlement in the gazetteer",
    }


def test_edit_household_and_person(api):
    body = register(api).json()
    patched = api.patch(
        f"/api/v1/households/{body['reference']}",
        {"phone": "097-11-22-33"},
        content_type="application/json",
    )
    assert patched.json()["phone"] == "097-11-22-33"
    person_id = body["persons"][0]["id"]
    person = api.patch(
        f"/api/v1/persons/{person_id}",
        {"birth_date": "1954-03-07"},
        content_type="application/json",
    )
    assert person.json()["birth_precision"] == "day"
    added = api.post(
        f"/api/v1/households/{body['reference']}/persons",
        {"given_name": "Anahit", "family_name": "Оганесян", "relation": "spouse"},
        content_type="application/json",
    )
    assert added.status_code == 201


def test_search_across_scripts_through_the_api(api):
    register(api)
    hits = api.get("/api/v1/persons/search", {"q": "Hovhannisyan"}).json()
    assert [h["person"]["family_name"] for h in hits] == ["Оганесян"]


def test_another_organisation_gets_404_everywhere(api, charlie):
    body = register(api).json()
    other = token_client_for(charlie)
    person_id = body["persons"][0]["id"]
    assert other.get(f"/api/v1/households/{body['reference']}").status_code == 404
    assert other.get("/api/v1/households/HW-0000-0000").status_code == 404
    assert (
        other.patch(
            f"/api/v1/households/{body['reference']}",
            {"phone": ""},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/api/v1/households/{body['reference']}/persons",
            {"given_name": "A", "family_name": "B"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other.get(f"/api/v1/persons/{person_id}").status_code == 404
    assert (
        other.patch(
            f"/api/v1/persons/{person_id}", {"given_name": "X"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert other.get("/api/v1/persons/search", {"q": "Oganesyan"}).json() == []
    assert other.get("/api/v1/households").json() == []


def test_no_token_no_data(api):
    from django.test import Client

    assert Client().get("/api/v1/households").status_code == 401
    assert (
        Client(headers={"Authorization": "Bearer hw_forged"}).get("/api/v1/households").status_code
        == 401
    )


def test_a_revoked_token_stops_working(alice, gazetteer):
    from django.utils import timezone

    from homeward.access.models import ApiToken

    client = token_client_for(alice)
    assert client.get("/api/v1/households").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/households").status_code == 401


def test_the_openapi_schema_describes_the_registry(api):
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/households" in schema["paths"]
    assert "/api/v1/persons/search" in schema["paths"]
