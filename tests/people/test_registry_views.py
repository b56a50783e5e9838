import pytest
from django.test import Client

from homeward.people.models import Household
from tests.clients import PASSWORD, client_for


@pytest.fixture
def web(alice, gazetteer):
    return client_for(alice)


def register(web, **fields):
    data = {
        "household-phone": "097123456",
        "head-given_name": "Ashot",
        "head-family_name": "Hovhannisyan",
        "head-birth_date": "07.03.1954",
        "head-sex": "M",
        "head-relation": "head",
        **fields,
    }
    return web.post("/households/new/", data, follow=True)


def test_sign_in_with_argon2_and_see_the_registry(alice):
    assert alice.user.password.startswith("argon2")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Migration Service" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/households/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_register_view_and_edit_a_household(web):
    from homeward.places.models import Settlement

    stepanakert = Settlement.objects.get(slug="stepanakert")
    page = register(web, **{"household-origin_settlement": stepanakert.pk}).content.decode()
    household = Household.objects.get()
    assert household.reference in page and "Hovhannisyan" in page
    assert "Stepanakert" in page and "Xankəndi" in page  # the other names beside it
    edit = web.post(
        f"/households/{household.reference}/edit/",
        {"household-phone": "+374 41 000000"},
        follow=True,
    )
    assert "+374 41 000000" in edit.content.decode()


def test_add_and_edit_a_person(web):
    register(web)
    household = Household.objects.get()
    web.post(
        f"/households/{household.reference}/persons/new/",
        {
            "given_name": "Anahit",
            "family_name": "Hovhannisyan",
            "birth_date": "1980",
            "relation": "spouse",
            "vulnerabilities": ["pregnancy"],
        },
    )
    person = household.persons.get(given_name="Anahit")
    assert person.vulnerabilities == ["pregnancy"]
    web.post(
        f"/households/persons/{person.pk}/edit/",
        {
            "given_name": "Anahit",
            "family_name": "Hovhannisyan",
            "birth_date": "1980-04",
            "relation": "spouse",
        },
    )
    person.refresh_from_db()
    assert person.birth_precision == "month" and person.vulnerabilities == []


def test_form_shows_the_problem_with_a_birth_date(web):
    page = register(web, **{"head-birth_date": "1954/03/07"}).content.decode()
    assert "is not one of YYYY-MM-DD" in page
    assert Household.objects.count() == 0


def test_search_page_finds_across_scripts(web):
    register(web)
    page = web.get("/households/", {"q": "Оганесян"}).content.decode()
    assert "Hovhannisyan" in page


def test_another_organisation_gets_404_on_every_page(web, charlie):
    register(web)
    household = Household.objects.get()
    person = household.persons.get()
    other = client_for(charlie)
    for url in (
        f"/households/{household.reference}/",
        f"/households/{household.reference}/edit/",
        f"/households/{household.reference}/persons/new/",
        f"/households/persons/{person.pk}/edit/",
    ):
        assert other.get(url).status_code == 404, url
    page = other.get("/households/", {"q": "Hovhannisyan"}).content.decode()
    assert household.reference not in page and "Nobody matches" in page


def test_household_list_has_bounded_queries(web, django_assert_max_num_queries):
    for _ in range(5):
        register(web)
    with django_assert_max_num_queries(9):
        assert web.get("/households/").status_code == 200
