"""The planner runs on the organisation's requests as a background job and adopts its plan."""

import datetime

import pytest
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.jobs.models import Job
from homeward.jobs.services import start_job
from homeward.people import services as people
from homeward.places.models import Settlement
from homeward.visits import services
from homeward.visits.models import Convoy, Traveller, VisitRequest

TODAY = timezone.localdate()


def family_request(
    alice, *, size, origin="shushi", purposes=("belongings",), earliest=1, latest=None
):
    household = people.register_household(
        caller=alice, origin_settlement=Settlement.objects.get(slug=origin)
    )
    persons = [
        people.add_person(
            caller=alice, household=household, given_name=f"Aram{n}", family_name="Grigoryan"
        )
        for n in range(size)
    ]
    return services.request_visit(
        caller=alice,
        household=household,
        travellers=persons,
        purposes=list(purposes),
        earliest=TODAY + datetime.timedelta(days=earliest),
        latest=TODAY + datetime.timedelta(days=latest) if latest else None,
    )


def plan(bob):
    job = start_job(caller=bob, kind="visits.plan", params={"seconds": 5})
    job.refresh_from_db()
    return job


def test_the_plan_puts_every_request_on_a_convoy_within_the_rules(alice, bob, capacity):
    visits = [family_request(alice, size=n % 4 + 1, latest=10) for n in range(12)]
    visits.append(family_request(alice, size=2, origin="martakert"))  # on no chosen route

    job = plan(bob)

    assert job.status == Job.Status.DONE, job.error
    assert job.result["served_requests"] == 12
    assert job.result["left_out"] == {"no route serves the destination": [visits[-1].reference]}
    assert job.result["cost"] >= job.result["bound"] >= 0
    for visit in visits[:-1]:
        visit.refresh_from_db()
        assert visit.status == VisitRequest.Status.PLANNED
        assert TODAY < visit.convoy.date <= TODAY + datetime.timedelta(days=10)
        assert visit.convoy.route.slug == "lachin-road"
    for convoy in Convoy.objects.all():
        seated = Traveller.objects.filter(request__convoy=convoy).count()
        assert seated <= capacity.seats_per_convoy
    assert AuditEvent.objects.filter(action="visits.plan.adopt").count() == 1


def test_replanning_keeps_notified_households_where_they_were(alice, bob, capacity):
    # One convoy of four seats a day: every family has a day of its own, and no room to share.
    capacity.convoys_per_day, capacity.seats_per_convoy = 1, 4
    capacity.save()
    early = [family_request(alice, size=3, earliest=5) for _ in range(3)]
    plan(bob)
    for visit in early:
        visit.refresh_from_db()
    told = min(early, key=lambda visit: visit.convoy.date)
    told.notified_convoy = told.convoy
    told.save()
    where = (told.convoy.date, told.convoy.number)
    # An urgent family arrives with the same window: the plan changes, the told family stays.
    family_request(alice, size=4, purposes=("graves",), earliest=5)

    job = plan(bob)

    told.refresh_from_db()
    assert job.status == Job.Status.DONE
    # A plan from scratch would give the urgent family the first day; the told family keeps it.
    assert (told.convoy.date, told.convoy.number) == where
    assert job.result["moved_requests"] <= 1
    assert job.result["pinned_moved"] == []


def test_planning_without_capacity_says_what_to_do(alice, bob, family):
    job = plan(bob)
    assert job.status == Job.Status.FAILED
    assert "capacity" in job.error


def test_refused_travellers_do_not_take_a_seat(alice, bob, capacity):
    visit = family_request(alice, size=3)
    visit.travellers.filter(pk=visit.travellers.first().pk).update(
        clearance=Traveller.Clearance.REFUSED
    )
    job = plan(bob)
    assert job.result["served_people"] == 2


@pytest.mark.parametrize("role_fixture", ["alice", "charlie"])
def test_only_planners_start_planning(request, role_fixture, capacity):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start_job(caller=request.getfixturevalue(role_fixture), kind="visits.plan", params={})


def test_a_smaller_capacity_sends_requests_back_to_waiting_and_leaves_no_empty_convoy(
    alice, bob, capacity
):
    visits = [family_request(alice, size=4, earliest=1, latest=3) for _ in range(6)]
    first = plan(bob)
    assert first.result["served_requests"] == 6
    # Only one four-seat convoy a day now: three days, three families; the rest must wait.
    capacity.convoys_per_day, capacity.seats_per_convoy = 1, 4
    capacity.save()

    second = plan(bob)

    states = VisitRequest.objects.filter(pk__in=[v.pk for v in visits])
    assert states.filter(status=VisitRequest.Status.PLANNED).count() == 3
    assert states.filter(status=VisitRequest.Status.WAITING, convoy__isnull=True).count() == 3
    assert Convoy.objects.count() == 3  # any convoy left empty was called off
    assert all(convoy.requests.count() == 1 for convoy in Convoy.objects.all())
    assert second.result["served_requests"] == 3


def test_the_run_page_names_the_engines_stage_in_the_readers_language(bob, capacity):
    from homeward.engines.planning.solver import STAGES
    from homeward.visits.planning import ENGINE_STAGES
    from tests.clients import client_for

    assert ENGINE_STAGES == STAGES  # every stage the engine reports has a translation
    job = Job.objects.create(
        kind="visits.plan",
        organisation=bob.organisation,
        status=Job.Status.RUNNING,
        stage="Improving",
        progress=0.6,
    )
    client = client_for(bob)
    client.post("/i18n/setlang/", {"language": "hy", "next": "/"})
    page = client.get(f"/visits/plan/runs/{job.pk}/").content.decode()
    assert "Բարելավում" in page and "60%" in page
