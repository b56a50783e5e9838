"""Visit requests: who travels, why, when; the priority they get and its override."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.access.models import Consent
from homeward.audit.models import AuditEvent
from homeward.engines.planning import visit_priority
from homeward.people.validation import FieldProblem
from homeward.visits import services
from homeward.visits.models import VisitRequest

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def test_graves_and_older_travellers_come_first():
    assert (
        visit_priority(purposes=["belongings"], traveller_ages=[40], traveller_vulnerabilities=[[]])
        == 1
    )
    assert (
        visit_priority(purposes=["graves"], traveller_ages=[40], traveller_vulnerabilities=[[]])
        == 2
    )
    assert (
        visit_priority(purposes=["belongings"], traveller_ages=[71], traveller_vulnerabilities=[[]])
        == 2
    )
    assert (
        visit_priority(
            purposes=["belongings"], traveller_ages=[30], traveller_vulnerabilities=[["disability"]]
        )
        == 2
    )
    assert (
        visit_priority(
            purposes=["graves", "belongings"],
            traveller_ages=[78, 50],
            traveller_vulnerabilities=[[], []],
        )
        == 3
    )


def test_a_request_records_travellers_purposes_and_consent_to_clearance(alice, family, capacity):
    household, (grandmother, son, granddaughter) = family
    visit = services.request_visit(
        caller=alice,
        household=household,
        travellers=[grandmother, son],
        purposes=["graves"],
        earliest=TOMORROW,
        cargo_m3="2.25",
        clearance_consent_method="written",
    )
    assert visit.reference.startswith("VR-")
    assert visit.destination.slug == "shushi"  # the household's origin by default
    assert visit.priority == 3  # graves, and a grandmother born in 1948
    assert sorted(t.person_id for t in visit.travellers.all()) == sorted([grandmother.pk, son.pk])
    assert Consent.objects.filter(
        person=son, purpose="visit_clearance", given=True, withdrawn_at__isnull=True
    ).exists()
    assert not Consent.objects.filter(person=granddaughter).exists()
    assert AuditEvent.objects.filter(action="visits.request", target_id=str(visit.pk)).exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"travellers": []}, "travellers"),
        ({"purposes": ["picnic"]}, "purposes"),
        ({"cargo_m3": "-1"}, "cargo_m3"),
        ({"latest": TOMORROW - datetime.timedelta(days=3)}, "latest"),
    ],
)
def test_a_bad_request_names_the_field_and_writes_nothing(alice, family, capacity, change, field):
    household, persons = family
    values = {
        "caller": alice,
        "household": household,
        "travellers": persons[:1],
        "purposes": ["belongings"],
        "earliest": TOMORROW,
    } | change
    with pytest.raises(FieldProblem) as problem:
        services.request_visit(**values)
    assert problem.value.field == field
    assert not VisitRequest.objects.exists()


def test_another_households_member_cannot_travel_on_the_request(alice, family, capacity):
    from homeward.people import services as people

    household, persons = family
    neighbour = people.register_household(
        caller=alice, origin_settlement=household.origin_settlement
    )
    stranger = people.add_person(
        caller=alice, household=neighbour, given_name="Aram", family_name="Petrosyan"
    )
    with pytest.raises(FieldProblem):
        services.request_visit(
            caller=alice,
            household=household,
            travellers=[stranger],
            purposes=["other"],
            earliest=TOMORROW,
        )


def test_a_planner_overrides_the_priority_only_with_a_reason(bob, visit):
    assert visit.priority == 2
    with pytest.raises(FieldProblem):
        services.override_priority(caller=bob, visit=visit, priority=3, reason=" ")
    services.override_priority(
        caller=bob, visit=visit, priority=3, reason="Grave site to be flooded"
    )
    visit.refresh_from_db()
    assert visit.priority == 3 and visit.computed_priority == 2
    event = AuditEvent.objects.get(action="visits.priority.override")
    assert event.reason == "Grave site to be flooded"
    services.override_priority(caller=bob, visit=visit, priority=None, reason="")
    visit.refresh_from_db()
    assert visit.priority == 2


def test_a_caseworker_cannot_override_and_another_organisation_cannot_see(alice, charlie, visit):
    with pytest.raises(PermissionDenied):
        services.override_priority(caller=alice, visit=visit, priority=3, reason="x")
    from homeward.people.models import Household

    with pytest.raises(Household.DoesNotExist):
        services.request_visit(
            caller=charlie,
            household=visit.household,
            travellers=[],
            purposes=["other"],
            earliest=TOMORROW,
        )
