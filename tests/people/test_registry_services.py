import pytest

from homeward.audit.models import AuditEvent
from homeward.encryption import lookup_hash
from homeward.people import selectors, services
from homeward.people.models import Household, Person
from homeward.people.validation import FieldProblem
from homeward.places.models import Settlement, Shelter


@pytest.fixture
def household(alice, gazetteer):
    household = services.register_household(
        caller=alice,
        origin_settlement=Settlement.objects.get(slug="stepanakert"),
        phone="097 12 34 56",
    )
    services.add_person(
        caller=alice,
        household=household,
        given_name="Ashot",
        family_name="Hovhannisyan",
        sex="M",
        birth_date="07.03.1954",
        relation="head",
    )
    return household


def test_registering_writes_the_household_and_its_audit_row(alice, household):
    assert household.organisation == alice.organisation
    assert household.reference.startswith("HW-")
    assert household.phone_lookup == lookup_hash("+37497123456")
    actions = list(
        AuditEvent.objects.filter(organisation=alice.organisation).values_list("action", flat=True)
    )
    assert "people.household.register" in actions and "people.person.add" in actions


def test_a_person_keeps_what_was_written_and_the_birth_date_precision(household):
    person = household.persons.get()
    assert (person.given_name, person.family_name) == ("Ashot", "Hovhannisyan")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1954, 3, 7)
    assert person.birth_precision == "day"


@pytest.mark.parametrize(
    ("written", "stored", "precision"),
    [
        ("1954-03-07", "1954-03-07", "day"),
        ("1954-03", "1954-03", "month"),
        ("1954", "1954", "year"),
        ("", "", "unknown"),
    ],
)
def test_birth_dates_of_every_precision_are_accepted(alice, household, written, stored, precision):
    person = services.add_person(
        caller=alice,
        household=household,
        given_name="Anahit",
        family_name="Hovhannisyan",
        birth_date=written,
    )
    assert person.birth_date_display == stored
    assert person.birth_precision == precision


def test_a_bad_birth_date_is_refused_and_nothing_is_written(alice, household):
    with pytest.raises(FieldProblem) as problem:
        services.add_person(
            caller=alice,
            household=household,
            given_name="Anahit",
            family_name="Hovhannisyan",
            birth_date="31.02.1954",
        )
    assert problem.value.field == "birth_date"
    assert household.persons.count() == 1


def test_unknown_vulnerability_is_refused(alice, household):
    with pytest.raises(FieldProblem) as problem:
        services.add_person(
            caller=alice,
            household=household,
            given_name="A",
            family_name="B",
            vulnerabilities=["homesick"],
        )
    assert problem.value.field == "vulnerabilities"


def test_editing_records_which_fields_changed_but_not_their_values(alice, household):
    person = household.persons.get()
    services.update_person(
        caller=alice, person=person, birth_date="1954", reason="document shows year only"
    )
    event = AuditEvent.objects.filter(action="people.person.update").get()
    assert event.details == {"changed": ["birth_day", "birth_month"]}
    assert event.reason == "document shows year only"
    assert "Hovhannisyan" not in str(event.details)


def test_a_household_in_a_shelter_lives_in_its_community(alice, gazetteer):
    shelter = Shelter.objects.select_related("site").first()
    household = services.register_household(caller=alice, shelter=shelter)
    assert household.host_site == shelter.site


def test_another_organisation_cannot_read_or_edit(alice, charlie, household):
    with pytest.raises(Household.DoesNotExist):
        selectors.get_household(charlie, household.reference)
    with pytest.raises(Household.DoesNotExist):
        services.update_household(caller=charlie, household=household, phone="")
    with pytest.raises(Person.DoesNotExist):
        selectors.get_person(charlie, household.persons.get().pk)


def test_a_planner_sees_but_cannot_register(bob, household):
    from django.core.exceptions import PermissionDenied

    assert selectors.get_household(bob, household.reference) == household
    with pytest.raises(PermissionDenied):
        services.register_household(caller=bob)


def test_a_failed_write_leaves_no_audit_row(alice, household):
    before = AuditEvent.objects.count()
    with pytest.raises(FieldProblem):
        services.update_household(caller=alice, household=household, phone="call me maybe")
    assert AuditEvent.objects.count() == before


def test_editing_other_fields_keeps_the_origin_as_written(alice, gazetteer):
    stepanakert = Settlement.objects.get(slug="stepanakert")
    household = services.register_household(
        caller=alice, origin_settlement=stepanakert, origin_written="Ханкенди"
    )
    services.update_household(
        caller=alice, household=household, origin_settlement=stepanakert, phone=""
    )
    assert household.origin_written == "Ханкенди"
    shushi = Settlement.objects.get(slug="shushi")
    services.update_household(caller=alice, household=household, origin_settlement=shushi)
    assert household.origin_written == "Shushi"
