"""A negotiator ticks a guarantee in Chromium and the figures change without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ticking_a_guarantee_updates_the_figures_in_place(live_server, browser_page, bob, survey):
    page = browser_page
    sign_in(page, live_server.url, "bob")
    page.get_by_role("link", name="Who would return").click()
    figure = page.get_by_test_id("would-return")
    expect(figure).to_have_text("6")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Armenian schools").check()
    expect(figure).to_have_text("30")
    assert page.evaluate("window.notReloaded === true")
    assert "given=schools" in page.url
    expect(page.get_by_text("After earlier returns")).to_be_visible()


def test_the_figures_fit_a_phone(live_server, chromium, bob, survey):
    page = chromium.new_page(locale="en-GB", viewport={"width": 390, "height": 844})
    sign_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/returns/projection/?given=schools")
    expect(page.get_by_test_id("would-return")).to_have_text("30")
    # Nothing in the page is laid out wider than the phone (a wide table scrolls in its box).
    widest = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => !e.closest('.scroll-box'))"
        ".reduce((m, e) => Math.max(m, e.getBoundingClientRect().right), 0)"
    )
    assert widest <= 390
