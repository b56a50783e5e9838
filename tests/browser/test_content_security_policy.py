"""Under the Content-Security-Policy, the pages still work in a real browser and break no rule."""

import pytest
from playwright.sync_api import expect

from homeward.people import services
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_search_language_menu_and_api_docs_run_without_a_violation(
    live_server, browser_page, alice, gazetteer
):
    household = services.register_household(caller=alice)
    services.add_person(
        caller=alice, household=household, given_name="Ani", family_name="Petrosyan"
    )
    page = browser_page
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    sign_in(page, live_server.url, "alice")

    # The search answers as one types (htmx), without pressing Enter.
    page.goto(f"{live_server.url}/households/")
    page.locator("#id_q").press_sequentially("Petros")
    expect(page.locator("table.results tbody tr")).to_contain_text("Petrosyan")

    # The language menu switches on choosing (homeward.js, once an inline onchange).
    page.select_option("#language", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    # Swagger UI, from django-ninja's own files.
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Homeward API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []
