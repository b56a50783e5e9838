"""A real browser (Debian's Chromium, driven by Playwright) signs in, registers, finds again."""

import pytest
from playwright.sync_api import expect

from homeward.places.models import Settlement
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_register_and_find_by_a_russian_spelling(
    live_server, browser_page, alice, gazetteer
):
    page = browser_page
    # First sign-in: the password, then enrolling an authenticator with the key shown.
    sign_in(page, live_server.url, "alice")
    page.get_by_role("link", name="Register a household").click()

    stepanakert = Settlement.objects.get(slug="stepanakert")
    page.select_option("#id_household-origin_settlement", str(stepanakert.pk))
    page.fill("#id_household-phone", "+374 97 123456")
    page.fill("#id_head-given_name", "Hovhannes")
    page.fill("#id_head-family_name", "Hovhannisyan")
    page.fill("#id_head-birth_date", "07.03.1954")
    page.select_option("#id_head-sex", "M")
    page.click("main button[type=submit]")
    expect(page.locator(".reference")).to_contain_text("HW-")
    reference = page.locator(".reference").inner_text()
    assert reference.startswith("HW-")

    page.get_by_role("link", name="Households").click()
    page.fill("#id_q", "Оганесян")
    page.press("#id_q", "Enter")
    row = page.locator("table.results tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hovhannes Hovhannisyan")
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".reference")).to_have_text(reference)
