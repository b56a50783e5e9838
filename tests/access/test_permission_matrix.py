"""Every role × every page and API endpoint × a record of one's own organisation and of another.

The expected answer comes from the one definition (access/roles.py): a role without the
permission gets 403, a role with it gets the page for its own organisation's record and 404
for another organisation's, exactly as for a record that does not exist.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.access.caller import caller_for
from homeward.access.roles import Permission, Role, may
from homeward.access.services import create_staff_account, issue_api_token
from homeward.people import services
from homeward.places.models import Shelter
from tests.clients import PASSWORD, verified_client

# (method, url with {household}/{person} placeholders, permission, scoped to a record?)
PAGES = [
    ("GET", "/", None, False),
    ("GET", "/households/", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/households/?q=Sargsyan", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/households/new/", Permission.EDIT_HOUSEHOLDS, False),
    ("GET", "/households/{household}/", Permission.VIEW_HOUSEHOLDS, True),
    ("GET", "/households/{household}/edit/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/households/{household}/persons/new/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/households/persons/{person}/edit/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/places/", Permission.VIEW_PLACES, False),
    ("GET", "/places/occupancy/", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/places/occupancy/syunik/", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/sharing/", Permission.MANAGE_SHARING, False),
    ("GET", "/sharing/received/", Permission.VIEW_SHARED, False),
    ("GET", "/sharing/consent/{person}/", Permission.RECORD_CONSENT, True),
]
API = [
    ("GET", "/api/v1/households", Permission.VIEW_HOUSEHOLDS, False),
    ("POST", "/api/v1/households", Permission.EDIT_HOUSEHOLDS, False),
    ("GET", "/api/v1/households/{household}", Permission.VIEW_HOUSEHOLDS, True),
    ("PATCH", "/api/v1/households/{household}", Permission.EDIT_HOUSEHOLDS, True),
    ("POST", "/api/v1/households/{household}/persons", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/api/v1/persons/search?q=Sargsyan", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/api/v1/persons/{person}", Permission.VIEW_HOUSEHOLDS, True),
    ("GET", "/api/v1/persons/{person}/everything", Permission.ANSWER_ACCESS_REQUESTS, True),
    ("PATCH", "/api/v1/persons/{person}", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/api/v1/places/settlements?q=Shushi", Permission.VIEW_PLACES, False),
    ("GET", "/api/v1/places/occupancy", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/api/v1/sharing/agreements", Permission.MANAGE_SHARING, False),
    ("POST", "/api/v1/sharing/agreements", Permission.MANAGE_SHARING, False),
    ("POST", "/api/v1/sharing/agreements/{agreement}/approve", Permission.MANAGE_SHARING, True),
    ("GET", "/api/v1/sharing/received?purpose=visit_planning", Permission.VIEW_SHARED, False),
    ("POST", "/api/v1/sharing/persons/{person}/consents", Permission.RECORD_CONSENT, True),
    (
        "DELETE",
        "/api/v1/sharing/persons/{person}/consents/visit_planning",
        Permission.RECORD_CONSENT,
        True,
    ),
]
# Routes that the matrix does not need to cover, and why.
NOT_IN_MATRIX = {
    "accounts/login/",  # sign-in itself, open to all
    "accounts/logout/",
    "accounts/second-factor/",
    "i18n/",  # language choice
    "admin/",  # read-only, staff-superuser only
    "sharing/<int:agreement_id>/approve/",  # a POST-only action; tests/access/test_sharing.py
    "api/v1/",  # the API's own routes are listed in API above (the test checks them apart)
}
BODIES = {
    "POST /api/v1/households": {"persons": [{"given_name": "Ani", "family_name": "Sargsyan"}]},
    "PATCH /api/v1/households/{household}": {"host_address": "Goris, 5 Mashtots St."},
    "POST /api/v1/households/{household}/persons": {
        "given_name": "Aram",
        "family_name": "Sargsyan",
    },
    "PATCH /api/v1/persons/{person}": {"patronymic": "Aramovich"},
    "POST /api/v1/sharing/agreements": {
        "recipient": "other-ngo",
        "purpose": "monitoring",
        "fields": ["given_name"],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    },
    "POST /api/v1/sharing/persons/{person}/consents": {
        "purpose": "monitoring",
        "given": True,
        "method": "verbal",
    },
}


def expected_status(
    role: str, permission, scoped: bool, own: bool, method: str, url: str = ""
) -> int:
    if permission is not None and not may(role, permission):
        return 403
    if scoped and not own:
        return 404
    return 201 if method == "POST" and not url.endswith("/approve") else 200


@pytest.fixture
def world(migration_service, other_organisation, alice, charlie, gazetteer):
    import datetime

    from homeward.access.sharing import propose_agreement

    records = {}
    dpos = {}
    for organisation in (migration_service, other_organisation):
        dpos[organisation.slug] = caller_for(
            create_staff_account(
                username=f"dpo-{organisation.slug}",
                password=PASSWORD,
                organisation=organisation,
                role=Role.DATA_PROTECTION_OFFICER,
            ).user
        )
    today = datetime.date.today()
    # Own: proposed to alice's organisation (its DPO may approve); other: proposed to another.
    to_us = propose_agreement(
        caller=dpos["other-ngo"],
        recipient=migration_service,
        purpose="monitoring",
        fields=["given_name"],
        starts_on=today,
        ends_on=today,
    )
    to_them = propose_agreement(
        caller=dpos["migration-service"],
        recipient=other_organisation,
        purpose="monitoring",
        fields=["given_name"],
        starts_on=today,
        ends_on=today,
    )
    for caller, name in ((alice, "own"), (charlie, "other")):
        shelter = Shelter.objects.filter(site__region__slug="syunik").first()
        household = services.register_household(caller=caller, shelter=shelter)
        person = services.add_person(
            caller=caller, household=household, given_name="Ani", family_name="Sargsyan"
        )
        records[name] = {
            "household": household.reference,
            "person": person.pk,
            "agreement": (to_us if name == "own" else to_them).pk,
        }
    accounts = {}
    for role in Role:
        membership = create_staff_account(
            username=f"matrix-{role.value}",
            password=PASSWORD,
            organisation=migration_service,
            role=role,
        )
        accounts[role.value] = caller_for(membership.user)
    return records, accounts


def test_every_page_answers_as_the_roles_say(world):

    records, accounts = world
    failures = []
    for role, caller in accounts.items():
        client = verified_client(caller.user)
        for method, template, permission, scoped in PAGES:
            for own in (True, False) if scoped else (True,):
                url = template.format(**records["own" if own else "other"])
                status = client.generic(method, url).status_code
                want = expected_status(role, permission, scoped, own, "GET")
                if status != want:
                    failures.append(f"{role} {method} {url}: {status}, expected {want}")
    assert failures == []


def test_every_api_endpoint_answers_as_the_roles_say(world):
    import json

    from django.test import Client

    records, accounts = world
    failures = []
    for role, caller in accounts.items():
        client = Client(
            headers={"Authorization": f"Bearer {issue_api_token(user=caller.user, name='matrix')}"}
        )
        for method, template, permission, scoped in API:
            for own in (True, False) if scoped else (True,):
                url = template.format(**records["own" if own else "other"])
                body = BODIES.get(f"{method} {template}")
                response = client.generic(
                    method, url, json.dumps(body) if body else "", content_type="application/json"
                )
                want = expected_status(role, permission, scoped, own, method, template)
                if response.status_code != want:
                    failures.append(
                        f"{role} {method} {url}: {response.status_code}, expected {want}"
                    )
    assert failures == []


def test_the_matrix_covers_every_route():
    def routes(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    listed = {url.split("?")[0].strip("/").split("{")[0] for _m, url, _p, _s in PAGES}
    missing = []
    for route in routes(get_resolver().url_patterns):
        if any(route.startswith(skip) for skip in NOT_IN_MATRIX):
            continue
        literal = route.split("<")[0].strip("/")
        if literal not in listed and not any(
            item.startswith(literal) for item in listed if literal
        ):
            missing.append(route)
    assert missing == []


def test_the_api_matrix_covers_every_endpoint():
    from homeward.api import api

    def normalise(path):
        for name, placeholder in (
            ("reference", "household"),
            ("person_id", "person"),
            ("agreement_id", "agreement"),
            ("purpose", "visit_planning"),
        ):
            path = path.replace(
                "{" + name + "}", placeholder if name == "purpose" else "{" + placeholder + "}"
            )
        return path

    schema = api.get_openapi_schema()
    documented = {
        (method.upper(), normalise(path))
        for path, item in schema["paths"].items()
        for method in item
    }
    listed = {(m, url.split("?")[0]) for m, url, _p, _s in API}
    assert documented == listed


def test_the_data_protection_document_shows_the_current_roles():
    from django.core.management import call_command

    call_command("render-permissions", "--check")
