"""Visits in the app: planning 30,000 stored requests, and the checkpoint's look-up.

    python bench/visits.py                          # PostgreSQL, 30,000 requests
    python bench/visits.py --database sqlite
    python bench/visits.py --smoke                  # tiny sizes: checks the script still runs

The requests are `generate_instance`'s (the same generator as bench/planning.py: demand above
what the checkpoint can take over 90 days), stored as households, persons, visit requests and
travellers on the gazetteer's real settlements and routes. Measured in the same run:
- planning as the app's job does it: reading the stored requests into an instance
  (`build_instance`), the engine, writing the plan back into convoys (`adopt_plan`); the
  plan's cost and gap to the lower bound, beside first-come-first-served on the same instance
  (what a planner without Homeward would do);
- the checkpoint: finding a traveller's request by the reference typed from the slip (lower
  case, no dashes) and checking the household out, through the real page (Django's test
  client, signed in), p50 and p95; beside finding the same people by name with the registry's
  cross-script search, which is what a checkpoint without references would have to do.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from machine import describe_machine  # noqa: E402  (bench/ is on the path)
from registry import configure, fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def store_requests(instance, organisation, today):
    """The generated requests as the registry and the visits app hold them."""
    from homeward.engines.synthetic.names_data import FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES
    from homeward.people.models import Household, Person
    from homeward.people.validation import clean_person
    from homeward.places.models import Route
    from homeward.visits.models import Traveller, VisitRequest
    from homeward.visits.services import new_visit_reference

    rng = random.Random(1)

    served = sorted(
        {stop.settlement for route in Route.objects.all() for stop in route.stops.all()},
        key=lambda settlement: settlement.slug,
    )
    synthetic = sorted({request.destination for request in instance.requests})
    place_of = {name: served[n % len(served)] for n, name in enumerate(synthetic)}
    shift = today + datetime.timedelta(days=1) - instance.capacity.start
    households, persons, visits, travellers = [], [], [], []
    for n, request in enumerate(instance.requests):
        households.append(
            Household(
                reference=f"HW-B{n:07d}",
                organisation=organisation,
                origin_settlement=place_of[request.destination],
                registered_on=today,
            )
        )
    Household.objects.bulk_create(households, batch_size=2000)
    households = list(Household.objects.filter(organisation=organisation).order_by("reference"))
    for n, (request, household) in enumerate(zip(instance.requests, households, strict=True)):
        family = rng.choice(FAMILY_NAMES)
        for k in range(request.people):
            given = rng.choice(MALE_NAMES + FEMALE_NAMES)
            values = clean_person(
                given_name=given.hy, family_name=family.hy, birth_date=str(1940 + rng.randrange(70))
            )
            persons.append(
                Person(
                    household=household,
                    source="bench",
                    record_id=f"{n}-{k}",
                    **asdict(values),
                )
            )
        visits.append(
            VisitRequest(
                reference=new_visit_reference(),
                organisation=organisation,
                household=household,
                destination=household.origin_settlement,
                purposes=["belongings"],
                cargo_m3=request.cargo_m3,
                earliest=request.earliest + shift,
                latest=request.latest + shift,
                computed_priority=request.priority,
            )
        )
    Person.objects.bulk_create(persons, batch_size=5000)
    VisitRequest.objects.bulk_create(visits, batch_size=2000)
    person_ids: dict[int, list[int]] = {}
    for person_id, household_id in Person.objects.filter(
        household__organisation=organisation
    ).values_list("pk", "household_id"):
        person_ids.setdefault(household_id, []).append(person_id)
    for visit in VisitRequest.objects.filter(organisation=organisation).only("pk", "household_id"):
        travellers.extend(
            Traveller(request_id=visit.pk, person_id=person_id)
            for person_id in person_ids[visit.household_id]
        )
    Traveller.objects.bulk_create(travellers, batch_size=5000)
    return len(persons)


def run(kind: str, requests: int, days: int, lookups: int, seconds: float) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    os.environ.setdefault("HOMEWARD_ALLOWED_HOSTS", "testserver")
    configure(fresh_database(kind, workdir, name="homeward_bench_visits"))
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from homeward.access.caller import caller_for
    from homeward.access.roles import Role
    from homeward.access.services import create_organisation, create_staff_account
    from homeward.engines import planning as engine
    from homeward.engines.linkage import romanize
    from homeward.people.selectors import search_persons
    from homeward.places.models import Route
    from homeward.places.services import load_gazetteer
    from homeward.visits import planning
    from homeward.visits.models import Capacity, Convoy, Traveller, VisitRequest
    from tests.clients import verified_client

    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_gazetteer()
    organisation = create_organisation(
        slug="migration-service", name="Migration Service", kind="host_government"
    )
    accounts = {
        role: caller_for(
            create_staff_account(
                username=role.value, password="bench-only", organisation=organisation, role=role
            ).user
        )
        for role in (Role.PLANNER, Role.CHECKPOINT_OFFICER, Role.CASEWORKER)
    }
    today = timezone.localdate()
    instance = engine.generate_instance(requests=requests, days=days, seed=1)
    started = time.perf_counter()
    people = store_requests(instance, organisation, today)
    stored_seconds = time.perf_counter() - started
    capacity = Capacity.objects.create(
        organisation=organisation,
        start=today + datetime.timedelta(days=1),
        days=days,
        weekdays=sorted(instance.capacity.weekdays),
        checkpoint_people_per_day=instance.capacity.checkpoint_people_per_day,
        convoys_per_day=instance.capacity.convoys_per_day,
        seats_per_convoy=instance.capacity.seats_per_convoy,
        cargo_m3_per_convoy=instance.capacity.cargo_m3_per_convoy,
        meeting_point="Goris, bus station",
        departure_time=datetime.time(6, 30),
    )
    capacity.routes.set(Route.objects.all())

    started = time.perf_counter()
    app_instance = planning.build_instance(organisation, today=today)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    outcome = engine.plan_visits(app_instance.instance, time_limit=seconds)
    plan_seconds = time.perf_counter() - started
    broken = engine.check_plan(app_instance.instance, outcome.plan)
    started = time.perf_counter()
    planning.adopt_plan(organisation=organisation, app_instance=app_instance, outcome=outcome)
    adopt_seconds = time.perf_counter() - started
    started = time.perf_counter()
    fcfs = engine.first_come_first_served(app_instance.instance)
    fcfs_seconds = time.perf_counter() - started
    fcfs_cost = engine.plan_cost(app_instance.instance, fcfs)

    # The crossing day: a convoy leaves today with cleared households.
    sample = list(VisitRequest.objects.filter(organisation=organisation).order_by("?")[:lookups])
    convoy = Convoy.objects.create(
        organisation=organisation, date=today, number=1, route=Route.objects.first()
    )
    VisitRequest.objects.filter(pk__in=[v.pk for v in sample]).update(
        convoy=convoy, status=VisitRequest.Status.PLANNED
    )
    Traveller.objects.filter(request__in=sample).update(clearance=Traveller.Clearance.CLEARED)
    checkpoint = verified_client(accounts[Role.CHECKPOINT_OFFICER].user)
    checkpoint_ms, search_ms, found, namesakes = [], [], 0, []
    for visit in sample:
        typed = visit.reference.lower().replace("-", "")
        started = time.perf_counter()
        page = checkpoint.get("/visits/checkpoint/", {"code": typed})
        checkpoint.post(
            "/visits/checkpoint/",
            {"action": "out-all", "code": typed, "reference": visit.reference},
        )
        checkpoint_ms.append(1000 * (time.perf_counter() - started))
        assert page.status_code == 200, page.status_code
        traveller = visit.travellers.select_related("person").first()
        # The officer types the name from the person's papers, in Latin letters.
        typed_name = (
            f"{romanize(traveller.person.given_name)} {romanize(traveller.person.family_name)}"
        )
        started = time.perf_counter()
        hits = search_persons(accounts[Role.CASEWORKER], typed_name)
        search_ms.append(1000 * (time.perf_counter() - started))
        found += any(hit.person.pk == traveller.person_id for hit in hits.results)
        namesakes.append(hits.total)
    out = Traveller.objects.filter(request__in=sample, checked_out_at__isnull=False).count()
    expected_out = Traveller.objects.filter(request__in=sample).count()

    def p95(values):
        return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]

    return {
        "database": f"{connection.vendor}",
        "requests": len(app_instance.instance.requests),
        "people": people,
        "stored_seconds": stored_seconds,
        "build_seconds": build_seconds,
        "plan_seconds": plan_seconds,
        "adopt_seconds": adopt_seconds,
        "cost": outcome.cost,
        "bound": outcome.bound,
        "gap": outcome.gap,
        "broken": len(broken),
        "fcfs_cost": fcfs_cost,
        "fcfs_gap": engine.relative_gap(fcfs_cost, outcome.bound),
        "fcfs_seconds": fcfs_seconds,
        "lookups": len(sample),
        "checkpoint_p50": statistics.median(checkpoint_ms),
        "checkpoint_p95": p95(checkpoint_ms),
        "checked_out": f"{out}/{expected_out}",
        "search_p50": statistics.median(search_ms),
        "search_p95": p95(search_ms),
        "search_found": found,
        "search_matches": statistics.median(namesakes),
    }


def report(result: dict) -> None:
    r = result
    print(f"database: {r['database']}")
    print(
        f"planning {r['requests']:,} stored requests ({r['people']:,} people; stored in "
        f"{r['stored_seconds']:.1f} s): Homeward in the app read {r['build_seconds']:.1f} s + "
        f"plan {r['plan_seconds']:.1f} s + write {r['adopt_seconds']:.1f} s = "
        f"{r['build_seconds'] + r['plan_seconds'] + r['adopt_seconds']:.1f} s, cost "
        f"{r['cost']:,}, bound {r['bound']:,.0f}, gap {r['gap']:.2%}, rules broken "
        f"{r['broken']}; baseline first-come-first-served cost {r['fcfs_cost']:,}, gap "
        f"{r['fcfs_gap']:.1%} ({r['fcfs_seconds']:.1f} s)"
    )
    print(
        f"checkpoint, {r['lookups']} households: Homeward typed reference + check-out "
        f"p50 {r['checkpoint_p50']:.0f} ms, p95 {r['checkpoint_p95']:.0f} ms, checked out "
        f"{r['checked_out']}; baseline name search p50 {r['search_p50']:.0f} ms, p95 "
        f"{r['search_p95']:.0f} ms, the traveller among the hits {r['search_found']}/"
        f"{r['lookups']}, median {r['search_matches']:.0f} people matching the name to choose from"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--requests", type=int, default=30_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="the planner's time limit")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs")
    args = parser.parse_args()
    sizes = (
        dict(requests=200, days=14, lookups=5, seconds=5.0)
        if args.smoke
        else dict(requests=args.requests, days=90, lookups=200, seconds=args.seconds)
    )
    random.seed(1)
    print(f"machine: {describe_machine()}")
    report(run(args.database, **sizes))


if __name__ == "__main__":
    main()
