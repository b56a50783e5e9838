"""English, Armenian and Russian complete for every page; Azerbaijani for place names."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from homeward.people import services
from homeward.places.models import Settlement, Shelter
from tests.clients import client_for

LOCALE = Path(__file__).resolve().parents[2] / "src" / "homeward" / "locale"
COMPLETE = ["hy", "ru"]


def po_entries(language: str) -> dict[tuple[str, str], str]:
    """(context, msgid) -> msgstr of a .po file (plural entries by their singular msgid)."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            entries[(_field(block, "msgctxt"), _field(block, "msgid"))] = ""  # ignored at runtime
            continue
        msgid = _field(block, "msgid")
        if msgid:
            translation_ = _field(block, "msgstr") or _field(block, r"msgstr\[0\]")
            entries[(_field(block, "msgctxt"), msgid)] = translation_
    return entries


def _field(block: str, name: str) -> str:
    match = re.search(rf'^{name} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return ""
    return "".join(re.findall(r'"(.*)"', match.group(1)))


@pytest.mark.parametrize("language", COMPLETE)
def test_every_interface_string_is_translated(language):
    untranslated = [key for key, msgstr in po_entries(language).items() if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", COMPLETE)
def test_the_compiled_catalogue_matches_the_translations(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        (context, msgid)
        for (context, msgid), msgstr in po_entries(language).items()
        if "\\" not in msgid + msgstr
        and msgstr
        not in (
            catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid),
            catalogue.ngettext(msgid, msgid, 1),
        )
    ]
    assert stale == [], "run `make messages` to compile the catalogues"


@pytest.fixture
def pages(alice, gazetteer):
    household = services.register_household(
        caller=alice,
        origin_settlement=Settlement.objects.get(slug="shushi"),
        shelter=Shelter.objects.filter(site__region__slug="syunik").first(),
    )
    person = services.add_person(
        caller=alice,
        household=household,
        given_name="Ani",
        family_name="Petrosyan",
        vulnerabilities=["disability"],
        relation="head",
        sex="F",
    )
    return {
        "/": "Homeward",
        "/households/": "Households",
        "/households/?q=Petrosyan": "Households",
        "/households/new/": "Register a household",
        f"/households/{household.reference}/": "Persons",
        f"/households/{household.reference}/edit/": "Edit household",
        f"/households/{household.reference}/persons/new/": "Add a person",
        f"/households/persons/{person.pk}/edit/": "Edit person",
        "/places/": "Settlements of origin",
        "/places/occupancy/": "Collective shelters: capacity and people, by region",
        "/places/occupancy/syunik/": "collective shelters",
    }


@pytest.mark.parametrize("language", COMPLETE)
def test_every_page_speaks_the_users_language(alice, pages, language):
    client = client_for(alice)
    english_only = ["Sign out", "Households", "Register a household", "Shelter occupancy"]
    for url, heading in pages.items():
        page = client.get(url, headers={"accept-language": language}).content.decode()
        with translation.override(language):
            translated = translation.gettext(heading)
        assert translated != heading or heading == "Homeward", (language, heading)
        assert translated in page, (language, url)
        for english in english_only:
            assert f">{english}<" not in page, (language, url, english)


@pytest.mark.parametrize("language", COMPLETE)
def test_the_sign_in_page_is_translated(db, language):
    from django.test import Client

    page = Client().get("/accounts/login/", headers={"accept-language": language}).content.decode()
    with translation.override(language):
        assert translation.gettext("Sign in") in page
        assert translation.gettext("Password") in page


def test_choosing_a_language_keeps_it(alice, gazetteer):
    client = client_for(alice)
    client.post("/i18n/setlang/", {"language": "hy", "next": "/places/"})
    page = client.get("/places/").content.decode()
    assert "<strong>Ստեփանակերտ</strong>" in page


def test_engine_messages_are_all_marked_for_translation():
    from homeward.engines.linkage import dates, phones
    from homeward.people.validation import ENGINE_MESSAGES

    assert set(ENGINE_MESSAGES) == set(dates.MESSAGES + phones.MESSAGES)


def test_a_validation_message_comes_in_the_users_language(alice, gazetteer):
    page = (
        client_for(alice)
        .post(
            "/households/new/",
            {
                "head-given_name": "A",
                "head-family_name": "B",
                "head-birth_date": "31.02.1954",
                "head-relation": "head",
            },
            headers={"accept-language": "ru"},
        )
        .content.decode()
    )
    with translation.override("ru"):
        expected = translation.gettext("'%(value)s' is not a real date") % {"value": "31.02.1954"}
    assert expected != "'31.02.1954' is not a real date"
    assert expected.replace("'", "&#x27;") in page
