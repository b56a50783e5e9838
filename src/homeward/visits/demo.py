"""Synthetic visits for the demo: requests, a capacity, a plan, and a crossing day under way.

Everything goes through the services, as a caseworker, a planner and the data protection
officers would do it, so that the demo's audit log and consents look like real use.
"""

import datetime
from random import Random

from django.utils import timezone

from homeward.access.caller import Caller
from homeward.access.models import Membership, Organisation
from homeward.access.sharing import approve_agreement, propose_agreement
from homeward.engines import planning as engine
from homeward.people.models import Household
from homeward.places.models import Route
from homeward.visits import planning, services
from homeward.visits.clearance import decide_clearance, travellers_for_clearance
from homeward.visits.models import Convoy, VisitRequest


def caller_named(username: str) -> Caller:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username
    )
    return Caller(user=membership.user, organisation=membership.organisation, role=membership.role)


def seed_demo_visits(*, requests: int = 400, seed: int = 1, plan_seconds: float = 10.0) -> dict:
    rng = Random(seed)
    caseworker, planner = caller_named("caseworker"), caller_named("planner")
    organisation = caseworker.organisation
    today = timezone.localdate()
    routes = [route for route in Route.objects.all() if route.stops.exists()]
    served = {stop.settlement_id for route in routes for stop in route.stops.all()}
    services.save_capacity(
        caller=planner,
        start=today,
        days=60,
        weekdays=[1, 2, 3, 4, 5, 6],
        checkpoint_people_per_day=250,
        convoys_per_day=6,
        seats_per_convoy=45,
        cargo_m3_per_convoy=55,
        meeting_point="Goris, central bus station",
        departure_time=datetime.time(6, 30),
        routes=routes,
    )
    # The authorities of the area of return clear travellers under an agreement both DPOs
    # approved, and only those who consented (most do: it is the condition of the visit).
    agreement = propose_agreement(
        caller=caller_named("dpo"),
        recipient=Organisation.objects.get(slug="return-authority"),
        purpose="visit_clearance",
        fields=["given_name", "family_name", "birth_year", "origin"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
    )
    approve_agreement(caller=caller_named("dpo-authority"), agreement=agreement)
    households = list(
        Household.objects.filter(organisation=organisation, origin_settlement_id__in=served)
        .prefetch_related("persons")
        .order_by("pk")
    )
    rng.shuffle(households)
    made = []
    for household in households[:requests]:
        members = list(household.persons.all())
        if not members:
            continue
        travellers = rng.sample(members, k=min(len(members), rng.choice([1, 1, 2, 2, 3, 4])))
        purposes = rng.choice(
            [["belongings"], ["belongings"], ["graves"], ["belongings", "graves"], ["documents"]]
        )
        earliest = today + datetime.timedelta(days=rng.randint(0, 30))
        made.append(
            services.request_visit(
                caller=caseworker,
                household=household,
                travellers=travellers,
                purposes=purposes,
                earliest=earliest,
                latest=earliest + datetime.timedelta(days=rng.choice([14, 30, 45]))
                if rng.random() < 0.5
                else None,
                cargo_m3=rng.choice([0, 0.5, 1, 1.5, 2, 3, 4]),
                language=rng.choice(["hy", "hy", "hy", "ru"]),
                clearance_consent_method=rng.choice(["verbal", "written", "written", ""]),
            )
        )
    app_instance = planning.build_instance(organisation, today=today)
    outcome = engine.plan_visits(
        app_instance.instance, time_limit=plan_seconds, replanning=app_instance.replanning
    )
    summary = planning.adopt_plan(
        organisation=organisation, app_instance=app_instance, outcome=outcome
    )
    summary["crossing_today"] = _crossing_day_under_way(organisation, made[:6])
    return summary


def _crossing_day_under_way(organisation, visits: list[VisitRequest]) -> str:
    """Today's convoy, its consenting travellers cleared: the checkpoint can check them out.

    The convoy is set here (the planner plans from tomorrow on); clearance goes through the
    authority's own service, so the demo's audit log shows who cleared whom.
    """
    if not visits:
        return ""
    today = timezone.localdate()
    route = Route.objects.filter(stops__settlement=visits[0].destination).first()
    convoy, _ = Convoy.objects.get_or_create(
        organisation=organisation, date=today, number=1, defaults={"route": route}
    )
    on_route = [v for v in visits if route.stops.filter(settlement=v.destination).exists()]
    VisitRequest.objects.filter(pk__in=[v.pk for v in on_route]).update(
        convoy=convoy, status=VisitRequest.Status.PLANNED, earliest=today, latest=None
    )
    authority = caller_named("clearance")
    for traveller in travellers_for_clearance(authority).filter(request__convoy=convoy):
        decide_clearance(caller=authority, traveller_id=traveller.pk, decision="clear")
    return convoy.code
