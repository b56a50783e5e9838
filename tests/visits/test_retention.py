"""Visit records: how long they are kept, and what of them is sealed at rest."""

from django.utils import timezone

from homeward.people.models import Person
from homeward.rights.retention import rules_holding


def test_a_traveller_on_an_open_request_is_held_by_the_crossing_rule(visit, family):
    household, (grandmother, son, granddaughter) = family
    now = timezone.now()
    assert [rule.key for rule in rules_holding(son, now)] == ["visits.crossings"]
    assert rules_holding(grandmother, now) == []  # she stays at home


def test_appeal_grounds_are_sealed_at_rest(alice, visit):
    from django.db import connection

    from homeward.visits.clearance import lodge_appeal
    from homeward.visits.models import Traveller

    traveller = visit.travellers.first()
    Traveller.objects.filter(pk=traveller.pk).update(clearance=Traveller.Clearance.REFUSED)
    lodge_appeal(caller=alice, traveller_id=traveller.pk, grounds="My father's grave is there")
    with connection.cursor() as cursor:
        cursor.execute("SELECT appeal_grounds FROM visits_traveller WHERE id = %s", [traveller.pk])
        stored = cursor.fetchone()[0]
    assert "grave" not in stored
    traveller.refresh_from_db()
    assert traveller.appeal_grounds == "My father's grave is there"


def test_anonymising_a_traveller_clears_their_appeal_and_the_messages_about_them(
    alice, visit, family
):
    from homeward.messaging.services import queue_message
    from homeward.rights.anonymisation import anonymise_persons
    from homeward.visits.clearance import lodge_appeal
    from homeward.visits.models import Traveller

    household, (grandmother, son, granddaughter) = family
    traveller = visit.travellers.get(person=son)
    Traveller.objects.filter(pk=traveller.pk).update(
        clearance=Traveller.Clearance.REFUSED, clearance_note="Karen's documents"
    )
    lodge_appeal(caller=alice, traveller_id=traveller.pk, grounds="My brother was detained")
    message = queue_message(
        organisation=visit.organisation,
        household=household,
        text="Karen Avetisyan: refused",
        language="hy",
        topic="visits.clearance",
        about=visit,
    )

    anonymise_persons(Person.objects.filter(pk=son.pk), at=timezone.now())

    traveller.refresh_from_db()
    assert traveller.appeal_grounds == "" and traveller.clearance_note == ""
    message.refresh_from_db()
    assert message.text == ""
