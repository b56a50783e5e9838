import csv
import shutil

import pytest
from django.core.management import CommandError, call_command

from homeward.places.gazetteer_files import DATA_DIR
from homeward.places.models import HostRegion, Route, Settlement, SettlementName, Shelter
from homeward.places.selectors import SettlementLookup, find_settlements
from homeward.places.services import load_gazetteer
from tests.clients import client_for


@pytest.mark.parametrize(
    "spelling",
    [
        "Stepanakert",
        "Khankendi",
        "Xankəndi",
        "Степанакерт",
        "Ստեփանակերտ",
        "stepanakert",
        "  STEPANAKERT ",
    ],
)
def test_any_spelling_finds_the_settlement(gazetteer, spelling):
    assert [s.slug for s in find_settlements(spelling)] == ["stepanakert"]


def test_every_settlement_keeps_all_its_names(gazetteer):
    shushi = Settlement.objects.get(slug="shushi")
    assert (shushi.name_hy, shushi.name_az, shushi.name_ru) == ("Շուշի", "Şuşa", "Шуша")
    assert len(Settlement.objects.all()) >= 60
    for settlement in Settlement.objects.all():
        assert settlement.name_hy and settlement.name_hy_latn and settlement.name_ru, (
            settlement.slug
        )


def test_only_true_namesakes_are_ambiguous(gazetteer):
    # Two villages really are called Mets Shen, and Aghjakend was the Azerbaijani name of two.
    assert SettlementLookup().ambiguous_spellings() == ["aghjakend", "mets shen"]
    lookup = SettlementLookup()
    assert lookup.resolve("Mets Shen") is None
    # Sus and Sos share a phonetic key but not a spelling: each still resolves to itself.
    assert lookup.resolve("Sus") == Settlement.objects.get(slug="sus").pk
    assert lookup.resolve("Сос") == Settlement.objects.get(slug="sos").pk


def test_an_ambiguous_origin_asks_for_the_slug(alice, gazetteer):
    from tests.clients import token_client_for

    response = token_client_for(alice).post(
        "/api/v1/households", {"origin": "Mets Shen"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "names more than one settlement" in response.json()["detail"][0]["message"]


def test_every_settlement_is_on_a_route_and_shelters_hold_about_47000(gazetteer):
    on_routes = set(Route.objects.values_list("stops__settlement", flat=True))
    assert set(Settlement.objects.values_list("id", flat=True)) <= on_routes
    capacity = sum(Shelter.objects.values_list("capacity", flat=True))
    assert 40_000 <= capacity <= 55_000
    assert sum(HostRegion.objects.values_list("displaced_share", flat=True)) == 1


def test_loading_again_changes_nothing(gazetteer):
    before = sorted(SettlementName.objects.values_list("settlement__slug", "name", "key"))
    load_gazetteer()
    assert sorted(SettlementName.objects.values_list("settlement__slug", "name", "key")) == before


def test_a_bad_data_file_names_file_row_and_field_and_writes_nothing(db, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    rows = list(csv.reader((data / "shelters.csv").open(encoding="utf-8")))
    rows[3][rows[0].index("capacity")] = "-5"
    with (data / "shelters.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    Settlement.objects.all().delete() if not Shelter.objects.exists() else None
    before = Settlement.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("load-gazetteer", "--data-dir", str(data))
    assert "shelters.csv, row 4, capacity: must be a positive number" in str(error.value)
    assert Settlement.objects.count() == before


def test_the_page_shows_the_users_language_name_with_the_others_beside_it(alice, gazetteer):
    client = client_for(alice)
    english = client.get(
        "/places/", {"q": "Khankendi"}, headers={"accept-language": "en"}
    ).content.decode()
    assert (
        "<strong>Stepanakert</strong>" in english
        and "Xankəndi" in english
        and "Степанакерт" in english
    )
    russian = client.get(
        "/places/", {"q": "Khankendi"}, headers={"accept-language": "ru"}
    ).content.decode()
    assert "<strong>Степанакерт</strong>" in russian and "Stepanakert" in russian
    armenian = client.get(
        "/places/", {"q": "Khankendi"}, headers={"accept-language": "hy"}
    ).content.decode()
    assert "<strong>Ստեփանակերտ</strong>" in armenian
    azerbaijani = client.get(
        "/places/", {"q": "Khankendi"}, headers={"accept-language": "az"}
    ).content.decode()
    assert "<strong>Xankəndi</strong>" in azerbaijani and "Ստեփանակերտ" in azerbaijani


def test_the_api_finds_settlements_by_any_name(alice, gazetteer):
    from tests.clients import token_client_for

    body = token_client_for(alice).get("/api/v1/places/settlements", {"q": "Шуша"}).json()
    assert [s["slug"] for s in body] == ["shushi"]
    assert body[0]["name_az"] == "Şuşa"


def test_occupancy_shows_capacity_against_people_by_region(alice, gazetteer):
    from homeward.people import services

    shelter = (
        Shelter.objects.select_related("site__region").filter(site__region__slug="syunik").first()
    )
    household = services.register_household(caller=alice, shelter=shelter)
    for given in ("Ani", "Aram", "Arev"):
        services.add_person(
            caller=alice, household=household, given_name=given, family_name="Sargsyan"
        )
    page = client_for(alice).get("/places/occupancy/").content.decode()
    assert "Syunik" in page
    syunik_capacity = sum(
        Shelter.objects.filter(site__region__slug="syunik").values_list("capacity", flat=True)
    )
    assert f"{syunik_capacity:,}" in page
    region_page = client_for(alice).get("/places/occupancy/syunik/").content.decode()
    assert shelter.code in region_page
    rows = token_client_for_occupancy(alice)
    syunik = next(r for r in rows if r["region"] == "syunik")
    assert syunik["people"] == 3 and syunik["capacity"] == syunik_capacity


def token_client_for_occupancy(caller):
    from tests.clients import token_client_for

    return token_client_for(caller).get("/api/v1/places/occupancy").json()


def test_roles_without_case_access_see_no_small_counts(alice, gazetteer, migration_service):
    from homeward.access.caller import caller_for
    from homeward.access.roles import Role
    from homeward.access.services import create_staff_account
    from homeward.people import services
    from tests.clients import PASSWORD, token_client_for

    monitor = caller_for(
        create_staff_account(
            username="monitor", password=PASSWORD, organisation=migration_service, role=Role.MONITOR
        ).user
    )
    for region, people in (("syunik", 3), ("yerevan", 40), ("kotayk", 12)):
        shelter = Shelter.objects.filter(site__region__slug=region).first()
        household = services.register_household(caller=alice, shelter=shelter)
        for index in range(people):
            services.add_person(
                caller=alice, household=household, given_name=f"A{index}", family_name="B"
            )
    rows = {
        r["region"]: r["people"]
        for r in token_client_for(monitor).get("/api/v1/places/occupancy").json()
    }
    assert rows["syunik"] is None  # 3 people: hidden
    assert rows["yerevan"] == 40
    # Kotayk's 12 are hidden too: otherwise Syunik's 3 = total - the others.
    assert rows["kotayk"] is None
    page = client_for(monitor).get("/places/occupancy/").content.decode()
    assert ">3<" not in page and "× marks a count hidden" in page
    region_page = client_for(monitor).get("/places/occupancy/syunik/").content.decode()
    assert "People per shelter are shown only to roles with access to cases" in region_page
    # A caseworker sees the real figures.
    rows = {
        r["region"]: r["people"]
        for r in token_client_for(alice).get("/api/v1/places/occupancy").json()
    }
    assert rows["syunik"] == 3 and rows["kotayk"] == 12
