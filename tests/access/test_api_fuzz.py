"""schemathesis fuzzes every API operation twice: as someone allowed to use it, and as
another organisation.

Whatever it sends, the answer is never a server error. As a member of the organisation whose
records the identifiers name (the first of its roles that the operation does not refuse), the
fuzz reaches the validation and the services behind every operation. As charlie, of another
organisation, it gets nothing: an operation on a record of alice's organisation answers 404 (or
422 when the body itself is invalid), exactly as for a record that does not exist.

It runs on whatever database the settings select, with DEBUG off as pytest-django sets it; on
PostgreSQL (which refuses NUL in text and checks every column's length):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward \\
        .venv/bin/pytest -q -s tests/access/test_api_fuzz.py

-s prints the figures: operations, cases and server errors.
"""

import datetime
import json
from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from homeward.access.caller import caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account, issue_api_token
from homeward.people import services
from homeward.places.models import Route
from homeward.rights.services import record_correction_request, record_erasure_request
from homeward.visits import services as visits
from homeward.wsgi import application
from tests.clients import PASSWORD

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
SCOPED_PARAMETERS = {"reference", "person_id"}
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
# What the run saw, printed at the end (pytest -s).
FIGURES: Counter = Counter()
OPERATIONS: set[str] = set()
# The role that each operation was found to allow, so later cases go straight to it.
ALLOWED_ROLE: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    if OPERATIONS:
        print(
            f"\nschemathesis on {django_settings.DATABASES['default']['ENGINE']}, "
            f"DEBUG={django_settings.DEBUG}: {len(OPERATIONS)} operations, "
            f"{FIGURES['cases']} cases ({FIGURES['insider']} as a permitted role, "
            f"{FIGURES['outsider']} as another organisation), "
            f"{FIGURES['server errors']} server errors"
        )


@pytest.fixture
def keep_the_test_connection():
    """Calls through WSGI end with Django closing the connection, which would end the test's
    transaction; Django's own test client disconnects the same signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def targets(alice, charlie, gazetteer, keep_the_test_connection):
    household = services.register_household(caller=alice, phone="+374 97 123456")
    person = services.add_person(
        caller=alice, household=household, given_name="Ani", family_name="Sargsyan"
    )
    token = issue_api_token(user=charlie.user, name="fuzz")
    return {"reference": household.reference, "person_id": person.pk, "token": token}


def account(organisation, role: str, username: str):
    return caller_for(
        create_staff_account(
            username=username, password=PASSWORD, organisation=organisation, role=role
        ).user
    )


@pytest.fixture
def insiders(alice, bob, migration_service, gazetteer, keep_the_test_connection):
    """A token per role, each in an organisation of the kind that holds it, and identifiers of
    records of alice's organisation for the path parameters."""
    authority = create_organisation(
        slug="return-authority", name="Authority", kind=Organisation.Kind.HOME_AUTHORITY
    )
    mission = create_organisation(
        slug="mission", name="Monitoring mission", kind=Organisation.Kind.MONITORING
    )
    callers = {
        Role.CASEWORKER: alice,
        Role.PLANNER: bob,
        Role.DATA_PROTECTION_OFFICER: account(
            migration_service, Role.DATA_PROTECTION_OFFICER, "dpo"
        ),
        Role.CHECKPOINT_OFFICER: account(migration_service, Role.CHECKPOINT_OFFICER, "gate"),
        Role.CLEARANCE_OFFICER: account(authority, Role.CLEARANCE_OFFICER, "clearance"),
        Role.MONITOR: account(mission, Role.MONITOR, "monitor"),
    }
    tokens = {role: issue_api_token(user=c.user, name="fuzz") for role, c in callers.items()}
    household = services.register_household(
        caller=alice, origin_written="Shushi", phone="+374 97 123456"
    )
    person = services.add_person(
        caller=alice, household=household, given_name="Ani", family_name="Sargsyan", sex="F"
    )
    visits.save_capacity(
        caller=bob,
        start=timezone.localdate(),
        days=28,
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        checkpoint_people_per_day=120,
        convoys_per_day=2,
        seats_per_convoy=50,
        cargo_m3_per_convoy=60,
        meeting_point="Goris, bus station",
        departure_time=datetime.time(6, 30),
        routes=list(Route.objects.filter(slug="lachin-road")),
    )
    from homeward.places.models import Settlement

    visit = visits.request_visit(
        caller=alice,
        household=household,
        travellers=[person],
        purposes=["belongings"],
        earliest=timezone.localdate() + datetime.timedelta(days=1),
        destination=Settlement.objects.get(slug="shushi"),
        clearance_consent_method="written",
    )
    correction = record_correction_request(
        caller=alice, person=person, field="given_name", value_asked="Anna", channel="in_person"
    )
    erasure = record_erasure_request(caller=alice, person=person, channel="in_person")
    return tokens, {
        "reference": household.reference,
        "household": household.reference,
        "person_id": person.pk,
        "visit_reference": visit.reference,
        "correction_id": correction.pk,
        "erasure_id": erasure.pk,
        "traveller_id": visit.travellers.get().pk,
    }


def call_as_someone_allowed(case, tokens: dict[str, str]):
    """The response to the case from the first role it does not refuse outright."""
    label = case.operation.label
    roles = [ALLOWED_ROLE[label]] if label in ALLOWED_ROLE else list(tokens)
    for role in roles:
        response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
        if response.status_code != 403:
            # 400 and 422 may come from the request's shape, before the role is asked.
            if response.status_code not in (400, 422):
                ALLOWED_ROLE[label] = role
            break
    return response


@schema.parametrize()
@FUZZ
def test_every_operation_answers_a_permitted_caller_without_a_server_error(case, insiders):
    tokens, identifiers = insiders
    for name in set(identifiers) & set(case.path_parameters or {}):
        case.path_parameters[name] = identifiers[name]
    response = call_as_someone_allowed(case, tokens)
    OPERATIONS.add(case.operation.label)
    FIGURES.update(["cases", "insider"])
    FIGURES["server errors"] += response.status_code >= 500
    where = (case.method, case.formatted_path, case.query, case.body, response.status_code)
    assert not django_settings.DEBUG
    assert response.status_code < 500, (where, response.text[:2000])


@schema.parametrize()
@FUZZ
def test_another_organisation_gets_nothing_and_nothing_breaks(case, targets):
    scoped = SCOPED_PARAMETERS & set(case.path_parameters or {})
    for name in scoped:
        case.path_parameters[name] = targets[name]
    response = case.call(headers={"Authorization": f"Bearer {targets['token']}"})
    OPERATIONS.add(case.operation.label)
    FIGURES.update(["cases", "outsider"])
    FIGURES["server errors"] += response.status_code >= 500
    where = (case.method, case.formatted_path, case.query, case.body, response.status_code)
    assert response.status_code < 500, where
    if scoped:
        # 404 for the record; 403 when the role may not use the operation at all (checked
        # before any look-up, so it says nothing of the record); 400/405/422 for malformed
        # requests.
        assert response.status_code in (400, 403, 404, 405, 422), where
    body = response.text
    assert targets["reference"] not in body
    assert "123456" not in body
    if response.status_code == 200 and case.path.endswith("/households"):
        assert json.loads(body) == []
