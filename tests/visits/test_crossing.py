"""The checkpoint: check-out and check-in by scan or typed reference, and nobody left behind.

dora is the Migration Service's checkpoint officer; mona a monitor at the UN monitoring
mission; frank a checkpoint officer at another organisation, who must find nothing.
"""

import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from homeward.access.caller import Caller, caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account
from homeward.audit.models import AuditEvent
from homeward.messaging.models import Message
from homeward.messaging.services import MAX_ATTEMPTS
from homeward.people.validation import FieldProblem
from homeward.places.models import Route
from homeward.visits import crossing, services
from homeward.visits.crossing import CrossingRefused, reference_candidates
from homeward.visits.models import (
    Convoy,
    MissingTravellerAlert,
    Traveller,
    VisitRequest,
)
from tests.clients import PASSWORD, client_for, token_client_for
from tests.messaging.backends import FAILING, RECORDING, FailingBackend, RecordingBackend

TODAY = timezone.localdate()
CHECKPOINT = "/visits/checkpoint/"


def staff(username: str, organisation: Organisation, role: str, email: str = "") -> Caller:
    membership = create_staff_account(
        username=username, password=PASSWORD, organisation=organisation, role=role, email=email
    )
    return caller_for(membership.user)


@pytest.fixture
def dora(migration_service) -> Caller:
    return staff("dora", migration_service, Role.CHECKPOINT_OFFICER)


@pytest.fixture
def mona(db) -> Caller:
    mission = create_organisation(
        slug="un-mission", name="UN Monitoring Mission", kind=Organisation.Kind.MONITORING
    )
    return staff("mona", mission, Role.MONITOR, email="mona@mission.example")


@pytest.fixture
def frank(other_organisation) -> Caller:
    return staff("frank", other_organisation, Role.CHECKPOINT_OFFICER)


@pytest.fixture
def convoy_today(capacity, migration_service) -> Convoy:
    return Convoy.objects.create(
        organisation=migration_service,
        date=TODAY,
        number=1,
        route=Route.objects.get(slug="lachin-road"),
    )


@pytest.fixture
def trip(alice, bob, family, convoy_today) -> VisitRequest:
    """Karen and his daughter Ani, cleared, on today's convoy."""
    household, (_grandmother, son, granddaughter) = family
    visit = services.request_visit(
        caller=alice,
        household=household,
        travellers=[son, granddaughter],
        purposes=["belongings"],
        earliest=TODAY,
        clearance_consent_method="written",
    )
    visit = services.confirm_seat(caller=bob, visit=visit, convoy=convoy_today)
    visit.travellers.update(clearance=Traveller.Clearance.CLEARED)
    return visit


def traveller(visit: VisitRequest, given_name: str) -> Traveller:
    return visit.travellers.select_related("request__convoy").get(person__given_name=given_name)


def checkpoint_page(caller: Caller, code: str):
    return client_for(caller).get(CHECKPOINT, {"code": code})


def test_references_are_read_however_they_are_typed():
    assert reference_candidates("vr-abcd-efgh") == ["VR-ABCD-EFGH"]
    assert reference_candidates(" VR ABCD EFGH\n") == ["VR-ABCD-EFGH"]
    assert reference_candidates("vrabcdefgh") == ["VR-ABCD-EFGH"]
    assert reference_candidates("VR-OKIM-L0PZ") == ["VR-0K1M-10PZ"]  # O is 0; I and L are 1
    assert reference_candidates("hw-abcd-efgh") == ["HW-ABCD-EFGH"]
    assert reference_candidates("abcd-efgh") == ["VR-ABCD-EFGH", "HW-ABCD-EFGH"]
    assert reference_candidates("VR-ABC") == []


@pytest.mark.parametrize(
    "typed", ["vr-0k1m-10pz", "VR0K1M10PZ", "vr 0k1m 10pz", "VR-OK1M-1OPZ", "vr-0kim-l0pz"]
)
def test_a_typed_reference_finds_the_request_and_checks_everyone_out(dora, trip, typed):
    VisitRequest.objects.filter(pk=trip.pk).update(reference="VR-0K1M-10PZ")
    page = checkpoint_page(dora, typed)
    assert page.status_code == 200
    assert "VR-0K1M-10PZ" in page.content.decode()
    assert "Check out everyone cleared" in page.content.decode()

    response = client_for(dora).post(
        CHECKPOINT, {"action": "out-all", "reference": "VR-0K1M-10PZ", "code": typed}
    )

    assert response.status_code == 302 and response["Location"].startswith(CHECKPOINT + "?code=")
    assert not trip.travellers.filter(checked_out_at__isnull=True).exists()
    assert Convoy.objects.get(pk=trip.convoy_id).status == Convoy.Status.DEPARTED
    assert VisitRequest.objects.get(pk=trip.pk).status == VisitRequest.Status.TRAVELLED
    assert AuditEvent.objects.filter(action="visits.crossing.out").count() == 2


def test_the_scan_field_is_empty_and_focused_for_the_next_in_the_queue(dora, trip):
    page = checkpoint_page(dora, trip.reference).content.decode()
    field = re.search(r'<input id="code"[^>]*>', page).group(0)
    assert "autofocus" in field and "value=" not in field


def test_a_household_reference_finds_its_request(dora, family, trip):
    household, _persons = family
    page = checkpoint_page(dora, household.reference.lower().replace("-", ""))
    assert page.status_code == 200
    assert trip.reference in page.content.decode()


def test_a_lookup_stays_fast_for_the_queue(dora, trip, django_assert_max_num_queries):
    client = client_for(dora)
    with django_assert_max_num_queries(14):
        client.get(CHECKPOINT, {"code": trip.reference})


def test_an_unknown_reference_is_said_plainly(dora, trip):
    page = checkpoint_page(dora, "VR-ZZZZ-ZZZZ")
    assert page.status_code == 404
    assert "No request or household with the reference" in page.content.decode()


@pytest.mark.parametrize(
    "clearance",
    [Traveller.Clearance.PENDING, Traveller.Clearance.REFUSED, Traveller.Clearance.APPEALED],
)
def test_a_traveller_not_cleared_cannot_check_out(dora, trip, clearance):
    karen = traveller(trip, "Karen")
    Traveller.objects.filter(pk=karen.pk).update(clearance=clearance)

    with pytest.raises(CrossingRefused, match="is not cleared"):
        crossing.check_out(caller=dora, traveller=karen)
    response = client_for(dora).post(
        CHECKPOINT, {"action": "out", "traveller": karen.pk, "code": trip.reference}, follow=True
    )
    assert "is not cleared" in response.content.decode()
    api = token_client_for(dora).post(f"/api/v1/visits/travellers/{karen.pk}/check-out")
    assert api.status_code == 422 and "is not cleared" in api.json()["detail"][0]["message"]
    # Checking everyone out takes the cleared daughter and leaves him behind.
    crossing.check_out_everyone(caller=dora, visit=trip)
    karen.refresh_from_db()
    assert karen.checked_out_at is None
    assert traveller(trip, "Ani").checked_out_at is not None


def test_nobody_cleared_is_said_plainly(dora, trip):
    trip.travellers.update(clearance=Traveller.Clearance.PENDING)
    page = checkpoint_page(dora, trip.reference).content.decode()
    assert "is cleared to cross" in page
    assert 'value="out"' not in page and 'value="out-all"' not in page


def test_double_check_out_and_check_in_before_check_out_are_refused(dora, trip):
    karen = traveller(trip, "Karen")
    with pytest.raises(CrossingRefused, match="has not checked out"):
        crossing.check_in(caller=dora, traveller=karen)
    crossing.check_out(caller=dora, traveller=karen)
    with pytest.raises(CrossingRefused, match="already checked out"):
        crossing.check_out(caller=dora, traveller=karen)
    crossing.check_in(caller=dora, traveller=karen)
    with pytest.raises(CrossingRefused, match="already checked in"):
        crossing.check_in(caller=dora, traveller=karen)

    page = client_for(dora).post(
        CHECKPOINT, {"action": "out", "traveller": karen.pk, "code": trip.reference}, follow=True
    )
    assert "already checked out" in page.content.decode()
    assert [
        e.action
        for e in AuditEvent.objects.filter(target_type="visits.traveller", target_id=str(karen.pk))
    ] == [
        "visits.crossing.out",
        "visits.crossing.in",
    ]


def test_the_wrong_day_is_said_plainly(dora, bob, visit, convoy_tomorrow):
    services.confirm_seat(caller=bob, visit=visit, convoy=convoy_tomorrow)
    visit.travellers.update(clearance=Traveller.Clearance.CLEARED)
    page = checkpoint_page(dora, visit.reference).content.decode()
    assert "Wrong day" in page and convoy_tomorrow.date.isoformat() in page
    assert 'value="out"' not in page
    with pytest.raises(CrossingRefused, match="Wrong day"):
        crossing.check_out(caller=dora, traveller=visit.travellers.first())


def test_a_request_without_a_seat_is_said_plainly(dora, visit):
    assert "Not on a convoy" in checkpoint_page(dora, visit.reference).content.decode()


def leave_karen_behind(dora, trip) -> None:
    crossing.check_out_everyone(caller=dora, visit=trip)
    crossing.check_in(caller=dora, traveller=traveller(trip, "Ani"))


@pytest.fixture
def recorder(settings):
    settings.HOMEWARD_MESSAGE_BACKEND = RECORDING
    RecordingBackend.sent = []
    return RecordingBackend.sent


def test_a_convoy_back_without_a_traveller_alerts_the_planner_and_the_monitors(
    dora, bob, mona, trip, family, recorder, django_capture_on_commit_callbacks
):
    household, _persons = family
    leave_karen_behind(dora, trip)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dora).post(
            CHECKPOINT, {"action": "returned", "convoy": trip.convoy_id}, follow=True
        )
        assert recorder == []  # sent once the change has committed, not while it holds locks

    assert "1 traveller is not back" in response.content.decode()
    alert = MissingTravellerAlert.objects.get()
    assert alert.traveller == traveller(trip, "Karen") and alert.resolved_at is None
    assert Convoy.objects.get(pk=trip.convoy_id).status == Convoy.Status.RETURNED
    assert sorted(m["to"] for m in recorder) == ["bob", "mona@mission.example"]
    for message in recorder:
        assert trip.reference in message["body"] and "Karen" not in message["body"]
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert AuditEvent.objects.filter(action="visits.alert.raise", target_id=str(alert.pk)).exists()

    monitors_view = client_for(mona).get(CHECKPOINT + "alerts/").content.decode()
    assert trip.reference in monitors_view and alert.convoy.code in monitors_view
    for private in ("Karen", "Avetisyan", household.reference):
        assert private not in monitors_view
    assert "Karen" not in client_for(mona).get(CHECKPOINT + f"alerts/{alert.pk}/").content.decode()
    assert "Avetisyan Karen" in client_for(bob).get(CHECKPOINT + "alerts/").content.decode()


def test_everyone_back_raises_no_alert(dora, bob, trip):
    crossing.check_out_everyone(caller=dora, visit=trip)
    crossing.check_in_everyone(caller=dora, visit=trip)
    assert crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy) == []
    assert not Message.objects.exists()
    with pytest.raises(CrossingRefused, match="already marked returned"):
        crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)


def test_a_convoy_nobody_left_with_cannot_return(dora, trip):
    with pytest.raises(CrossingRefused, match="has not left"):
        crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)


def test_a_late_check_in_closes_the_alert_by_itself(dora, bob, trip):
    leave_karen_behind(dora, trip)
    crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)
    page = client_for(dora).get(CHECKPOINT, {"code": trip.reference}).content.decode()
    assert 'value="in"' in page  # the day after, he can still check in

    crossing.check_in(caller=dora, traveller=traveller(trip, "Karen"))

    alert = MissingTravellerAlert.objects.get()
    assert alert.resolved_at is not None and "Checked in late" in alert.resolution
    event = AuditEvent.objects.get(action="visits.alert.resolve")
    assert event.details["automatic"] is True
    assert trip.reference not in client_for(bob).get(CHECKPOINT + "alerts/").content.decode()
    (told,) = [m for m in Message.objects.filter(topic=crossing.ALERT_TOPIC) if "is back" in m.text]
    assert told.user == bob.user


def test_only_a_person_closes_an_alert_and_says_what_happened(dora, bob, mona, trip):
    leave_karen_behind(dora, trip)
    (alert,) = crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)
    url = CHECKPOINT + f"alerts/{alert.pk}/"

    with pytest.raises(FieldProblem):
        crossing.resolve_alert(caller=bob, alert=alert, resolution="  ")
    assert client_for(bob).post(url, {"resolution": ""}).status_code == 422
    with pytest.raises(PermissionDenied):  # the mission watches; the organisation closes
        crossing.resolve_alert(caller=mona, alert=alert, resolution="seen")
    assert client_for(mona).post(url, {"resolution": "seen"}).status_code == 403

    response = client_for(bob).post(url, {"resolution": "Stayed with his aunt in Shushi; phoned"})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.resolved_by == bob.user and alert.resolution.startswith("Stayed")
    # What happened may name people: it stays on the alert, not in the append-only log.
    assert AuditEvent.objects.get(action="visits.alert.resolve").reason == ""
    with pytest.raises(FieldProblem, match="already closed"):
        crossing.resolve_alert(caller=bob, alert=alert, resolution="again")


def test_another_organisations_checkpoint_officer_gets_404(frank, trip):
    karen = traveller(trip, "Karen")
    browser, api = client_for(frank), token_client_for(frank)
    assert browser.get(CHECKPOINT, {"code": trip.reference}).status_code == 404
    assert browser.get(CHECKPOINT + f"manifests/{trip.convoy_id}/").status_code == 404
    for form in (
        {"action": "out", "traveller": karen.pk},
        {"action": "out-all", "reference": trip.reference},
        {"action": "returned", "convoy": trip.convoy_id},
    ):
        assert browser.post(CHECKPOINT, form).status_code == 404
    assert api.get("/api/v1/visits/checkpoint", {"code": trip.reference}).status_code == 404
    for url in (
        f"/api/v1/visits/travellers/{karen.pk}/check-out",
        f"/api/v1/visits/travellers/{karen.pk}/check-in",
        f"/api/v1/visits/checkpoint/{trip.reference.lower()}/check-out",
        f"/api/v1/visits/convoys/{trip.convoy_id}/returned",
    ):
        assert api.post(url).status_code == 404
    assert not Traveller.objects.filter(checked_out_at__isnull=False).exists()


def test_nobody_who_crossed_can_disappear_from_the_records(alice, bob, dora, trip):
    leave_karen_behind(dora, trip)
    crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)
    karen = traveller(trip, "Karen")

    for caller in (alice, bob):
        with pytest.raises(FieldProblem, match="has crossed"):
            services.cancel_request(caller=caller, visit=trip, reason="changed plans")
    with pytest.raises(ProtectedError):
        karen.person.delete()
    with pytest.raises(ProtectedError):
        karen.delete()  # the open alert holds him
    assert VisitRequest.objects.get(pk=trip.pk).status == VisitRequest.Status.TRAVELLED


def test_the_api_runs_a_crossing_day(dora, bob, mona, trip):
    api = token_client_for(dora)
    karen, ani = traveller(trip, "Karen"), traveller(trip, "Ani")

    found = api.get("/api/v1/visits/checkpoint", {"code": trip.reference.lower()})
    assert found.status_code == 200
    assert {t["given_name"]: t["can_check_out"] for t in found.json()["travellers"]} == {
        "Karen": True,
        "Ani": True,
    }
    assert api.post(f"/api/v1/visits/travellers/{karen.pk}/check-out").status_code == 201
    again = api.post(f"/api/v1/visits/travellers/{karen.pk}/check-out")
    assert (
        again.status_code == 422 and "already checked out" in again.json()["detail"][0]["message"]
    )
    everyone = api.post(f"/api/v1/visits/checkpoint/{trip.reference.lower()}/check-out")
    assert [t["id"] for t in everyone.json()] == [ani.pk]
    assert api.post(f"/api/v1/visits/travellers/{ani.pk}/check-in").status_code == 201

    back = api.post(f"/api/v1/visits/convoys/{trip.convoy_id}/returned")

    assert back.status_code == 201 and back.json()["status"] == "returned"
    (raised,) = back.json()["alerts"]
    assert raised["name"] == "Avetisyan Karen Vardani"
    (seen,) = token_client_for(mona).get("/api/v1/visits/alerts").json()
    assert seen["request"] == trip.reference and seen["missing_on_convoy"] == 1
    assert seen["name"] is None and seen["household"] is None
    planner = token_client_for(bob)
    url = f"/api/v1/visits/alerts/{raised['id']}/resolve"
    assert planner.post(url, {"resolution": ""}, content_type="application/json").status_code == 422
    closed = planner.post(url, {"resolution": "Back by bus"}, content_type="application/json")
    assert closed.status_code == 201 and closed.json()["resolution"] == "Back by bus"
    assert token_client_for(mona).get("/api/v1/visits/alerts").json() == []


def test_the_checkpoint_page_needs_sign_in(trip):
    response = Client().get(CHECKPOINT, {"code": trip.reference})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_todays_convoys_show_who_is_out_and_back(dora, trip):
    leave_karen_behind(dora, trip)
    (convoy,) = crossing.todays_convoys(dora)
    assert (convoy.people, convoy.out, convoy.back) == (2, 2, 1)
    assert 'value="returned"' in client_for(dora).get(CHECKPOINT).content.decode()


def test_yesterdays_convoy_still_out_stays_on_the_checkpoint_page(dora, trip):
    leave_karen_behind(dora, trip)
    Convoy.objects.filter(pk=trip.convoy_id).update(date=TODAY - datetime.timedelta(days=1))
    assert [c.pk for c in crossing.todays_convoys(dora)] == [trip.convoy_id]


def test_staff_not_reached_by_an_alert_are_listed_with_the_reason(
    settings, dora, bob, mona, trip, django_capture_on_commit_callbacks
):
    settings.HOMEWARD_MESSAGE_BACKEND = FAILING
    FailingBackend.calls = 0
    leave_karen_behind(dora, trip)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dora).post(
            CHECKPOINT, {"action": "returned", "convoy": trip.convoy_id}
        )

    # The gateway failing changes nothing of what the checkpoint recorded.
    assert response.status_code == 302
    assert Convoy.objects.get(pk=trip.convoy_id).status == Convoy.Status.RETURNED
    assert MissingTravellerAlert.objects.filter(resolved_at__isnull=True).count() == 1
    assert FailingBackend.calls == 2 * MAX_ATTEMPTS
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.NOT_DELIVERED}
    page = client_for(bob).get(CHECKPOINT + "alerts/").content.decode()
    assert "Staff not told of an alert" in page and "gateway timed out" in page
    assert ">bob<" in page and "mona" in page and "mona@mission.example" not in page
    # The mission's monitors watch alerts, not the provider's staff list.
    assert "Staff not told" not in client_for(mona).get(CHECKPOINT + "alerts/").content.decode()


def test_monitors_never_read_what_was_typed_about_a_traveller(dora, bob, mona, trip):
    leave_karen_behind(dora, trip)
    (alert,) = crossing.mark_convoy_returned(caller=dora, convoy=trip.convoy)
    typed = "Stayed with his aunt, 12 Tumanyan St, phone +374 77 123456"
    crossing.resolve_alert(caller=bob, alert=alert, resolution=typed)
    own_monitor = staff("otto", trip.organisation, Role.MONITOR)

    for monitor in (mona, own_monitor):
        for url in (CHECKPOINT + "alerts/?all=1", CHECKPOINT + f"alerts/{alert.pk}/"):
            page = client_for(monitor).get(url)
            assert page.status_code == 200
            # Whether and when it was closed, never what was typed.
            assert "Closed" in page.content.decode() and "Tumanyan" not in page.content.decode()
        (seen,) = token_client_for(monitor).get("/api/v1/visits/alerts?open=false").json()
        assert seen["resolved_at"] is not None and seen["resolution"] is None
        assert "Tumanyan" not in json.dumps(seen)
    # The organisation's own monitor may close its alerts, but is not told what was typed
    # when one was closed already.
    again = token_client_for(own_monitor).post(
        f"/api/v1/visits/alerts/{alert.pk}/resolve",
        {"resolution": "seen"},
        content_type="application/json",
    )
    assert again.status_code == 422 and "already closed" in again.text
    assert "Tumanyan" not in again.text

    for url in (CHECKPOINT + "alerts/?all=1", CHECKPOINT + f"alerts/{alert.pk}/"):
        assert "Tumanyan" in client_for(bob).get(url).content.decode()
    (planners,) = token_client_for(bob).get("/api/v1/visits/alerts?open=false").json()
    assert planners["resolution"] == typed
