"""200 seat confirmations at once never put more people on a convoy than it has seats."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from homeward.people.models import Household, Person
from homeward.visits import services
from homeward.visits.models import Traveller, VisitRequest

CONFIRMATIONS = 200
# PostgreSQL allows 100 connections by default; 60 threads keep 200 confirmations in flight.
THREADS = 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_overbook_a_convoy(
    alice, bob, family, capacity, convoy_tomorrow
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time; the race needs PostgreSQL")
    capacity.seats_per_convoy = 50
    capacity.checkpoint_people_per_day = 500
    capacity.save()
    household, persons = family
    requests = []
    for n in range(CONFIRMATIONS):
        home = Household.objects.create(
            reference=f"HW-TEST-{n:04d}",
            organisation=household.organisation,
            origin_settlement=household.origin_settlement,
            registered_on=household.registered_on,
        )
        person = Person.objects.create(
            household=home,
            given_name="Lusine",
            family_name=f"Harutyunyan{n}",
            given_key="lusine",
            family_key="harutyunyan",
            name_latin="Lusine Harutyunyan",
            source="test",
            record_id=str(n),
        )
        requests.append(
            services.request_visit(
                caller=alice,
                household=home,
                travellers=[person],
                purposes=["belongings"],
                earliest=convoy_tomorrow.date,
            )
        )
    start = threading.Barrier(THREADS)
    started = threading.local()

    def confirm(visit: VisitRequest) -> bool:
        if not getattr(started, "done", False):
            start.wait()  # every thread fires its first confirmation together
            started.done = True
        try:
            services.confirm_seat(caller=bob, visit=visit, convoy=convoy_tomorrow)
            return True
        except services.SeatRefused:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(confirm, requests))

    seated = Traveller.objects.filter(request__convoy=convoy_tomorrow).count()
    assert outcomes.count(True) == seated == 50
    assert outcomes.count(False) == CONFIRMATIONS - 50
