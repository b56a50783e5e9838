"""A real browser (Debian's Chromium, driven by Playwright) signs in, registers, finds again."""

import base64
import os
import shutil

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from homeward.places.models import Settlement
from tests.clients import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, so Django's async-safety guard does not apply here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="en-GB")
        page.set_default_timeout(15000)
        yield page
        browser.close()


def test_sign_in_register_and_find_by_a_russian_spelling(
    live_server, browser_page, alice, gazetteer
):
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    # First sign-in: enrol an authenticator with the key shown, then give its code.
    secret = page.locator(".totp-secret").inner_text()
    page.fill("#id_code", f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}")
    page.click("main button[type=submit]")
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
