"""Shared fixtures. Every test starts from the same people, as in healthchecks' tests:

alice — caseworker at the Migration Service; bob — planner at the Migration Service;
charlie — caseworker at another organisation, who must see none of alice's households.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from homeward.access.caller import Caller, caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account
from homeward.people import services as people_services
from homeward.places.models import Settlement
from homeward.places.services import load_gazetteer
from homeward.returns import services as returns_services
from tests.clients import PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_gazetteer()


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Background jobs run inside the request that starts them, so a test sees their result.

    tests/jobs runs them through the real database queue and worker instead.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def interface_language_reset():
    """A request in Russian must not leave the next test speaking Russian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def gazetteer(db):
    """The gazetteer from the repository's data files (reloaded if a transactional test flushed it)."""
    if not Settlement.objects.exists():
        load_gazetteer()


@pytest.fixture
def migration_service(db) -> Organisation:
    return create_organisation(
        slug="migration-service", name="Migration Service", kind=Organisation.Kind.HOST_GOVERNMENT
    )


@pytest.fixture
def other_organisation(db) -> Organisation:
    return create_organisation(slug="other-ngo", name="Other NGO", kind=Organisation.Kind.NGO)


@pytest.fixture
def alice(migration_service) -> Caller:
    membership = create_staff_account(
        username="alice", password=PASSWORD, organisation=migration_service, role=Role.CASEWORKER
    )
    return caller_for(membership.user)


@pytest.fixture
def bob(migration_service) -> Caller:
    membership = create_staff_account(
        username="bob", password=PASSWORD, organisation=migration_service, role=Role.PLANNER
    )
    return caller_for(membership.user)


@pytest.fixture
def charlie(other_organisation) -> Caller:
    membership = create_staff_account(
        username="charlie", password=PASSWORD, organisation=other_organisation, role=Role.CASEWORKER
    )
    return caller_for(membership.user)


# A survey to project (returns pages and the what-if browser test): ten households of two
# settlements, and one guarantee on the table.
SURVEY_TEXTS = {
    "hy": "Հայերեն դպրոցներ",
    "ru": "Школы на армянском",
    "en": "Armenian schools",
    "az": "Erməni məktəbləri",
}


@pytest.fixture
def survey(alice, bob, gazetteer):
    """Eight households of Shushi, six of them want schools; two of Martuni."""
    returns_services.add_guarantee(
        caller=bob,
        code="schools",
        group="cultural",
        texts=SURVEY_TEXTS,
        responsible_party="Ministry",
        answers=["school_armenian"],
        status_since=datetime.date(2026, 9, 1),
    )
    shushi = Settlement.objects.get(slug="shushi")
    martuni = Settlement.objects.get(slug="martuni")
    for i in range(10):
        household = people_services.register_household(
            caller=alice, origin_settlement=shushi if i < 8 else martuni
        )
        for n in range(3):
            people_services.add_person(
                caller=alice, household=household, given_name=f"Ani{n}", family_name="Petrosyan"
            )
        returns_services.record_intention(
            caller=alice,
            household=household,
            intention="return",
            conditions=["school_armenian"] if i < 6 or i >= 8 else [],
        )
