"""schemathesis fuzzes every API operation as another organisation, with this one's identifiers.

Whatever it sends, the answer is never a server error, and never another organisation's data:
an operation on a record of alice's organisation, asked by charlie, answers 404 (or 422 when the
body itself is invalid), exactly as for a record that does not exist.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from homeward.access.services import issue_api_token
from homeward.people import services
from homeward.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
SCOPED_PARAMETERS = {"reference", "person_id"}


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


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_another_organisation_gets_nothing_and_nothing_breaks(case, targets):
    scoped = SCOPED_PARAMETERS & set(case.path_parameters or {})
    for name in scoped:
        case.path_parameters[name] = targets[name]
    response = case.call(headers={"Authorization": f"Bearer {targets['token']}"})
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
