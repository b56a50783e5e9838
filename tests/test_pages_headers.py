"""Every response: a Content-Security-Policy without inline script, and `Cache-Control: no-store`."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.people import services
from tests.clients import client_for, token_client_for

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + sorted(
    Path(settings.BASE_DIR).glob("*/templates")
)
STATIC_JS = Path(settings.BASE_DIR) / "static" / "js"


def every_path() -> list[str]:
    """Every URL the application routes, with a stand-in for each parameter."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + re.sub(r"<(?:(\w+):)?\w+>", stand_in, route).lstrip("^"))

    def stand_in(match: re.Match) -> str:
        return "1" if match.group(1) == "int" else "x"

    walk(get_resolver().url_patterns, "")
    return sorted({p.rstrip("$") for p in paths if "(?P" not in p})


def assert_protected(response, path: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, f"{path}: {response.status_code} without a CSP"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    assert "no-store" in response.get("Cache-Control", ""), f"{path}: may be cached"


@pytest.fixture
def household(alice, gazetteer):
    household = services.register_household(caller=alice)
    services.add_person(
        caller=alice, household=household, given_name="Ani", family_name="Petrosyan"
    )
    return household


def test_every_page_and_api_answer_has_the_policy_and_is_not_stored(alice, household):
    paths = every_path()
    assert "/households/x/" in paths and "/api/v1/docs" in paths and "/admin/" in paths
    signed_in, anonymous = client_for(alice), Client()
    for path in paths:
        assert_protected(signed_in.get(path), path)
        assert_protected(anonymous.get(path), path)


def test_pages_with_personal_data_are_not_stored(alice, household):
    client = client_for(alice)
    for path in (f"/households/{household.reference}/", "/households/?q=Petrosyan"):
        response = client.get(path)
        assert response.status_code == 200 and "Petrosyan" in response.content.decode()
        assert_protected(response, path)
    api = token_client_for(alice).get(f"/api/v1/households/{household.reference}")
    assert api.status_code == 200 and "Petrosyan" in api.content.decode()
    assert_protected(api, "API")


def test_the_policy_forbids_framing_plugins_and_foreign_forms():
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ):
        assert directive in policy


def templates() -> list[Path]:
    found = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(found) > 40
    return found


def test_no_template_holds_inline_script_handlers_or_styles():
    problems = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag and 'type="application/json"' not in tag:
                problems.append(f"{path.name}: inline {tag}")
        for handler in re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", text, flags=re.IGNORECASE):
            problems.append(f"{path.name}: event handler in {handler}")
        if re.search(r"javascript:", text, flags=re.IGNORECASE):
            problems.append(f"{path.name}: javascript: URL")
        # The policy allows no inline style either (style-src 'self').
        if re.search(r"<style\b|\sstyle\s*=", text, flags=re.IGNORECASE):
            problems.append(f"{path.name}: inline style")
    assert problems == []


def test_what_the_inline_handlers_did_is_in_a_static_script(alice):
    page = client_for(alice).get("/").content.decode()
    assert "js/homeward.js" in page and "data-submit-on-change" in page
    script = (STATIC_JS / "homeward.js").read_text(encoding="utf-8")
    assert "data-submit-on-change" in script and "data-print" in script


def test_htmx_keeps_no_copy_of_pages_in_the_browser(alice):
    # htmx's history cache would store pages with people's data in localStorage.
    page = client_for(alice).get("/households/").content.decode()
    assert '"historyCacheSize": 0' in page and '"allowEval": false' in page


def test_the_api_docs_are_public_and_run_only_scripts_from_this_site():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert_protected(response, "/api/v1/docs")
    page = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert Client().get("/api/v1/openapi.json").status_code == 200
