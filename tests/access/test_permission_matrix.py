"""Every role × every page and API endpoint × a record of one's own organisation and of another.

The expected answer comes from the one definition (access/roles.py): a role without the
permission gets 403, a role with it gets the page for its own organisation's record and 404
for another organisation's, exactly as for a record that does not exist.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.access.caller import caller_for
from homeward.access.roles import Permission, Role, may
from homeward.access.services import create_staff_account, issue_api_token
from homeward.people import services
from homeward.places.models import Shelter
from tests.clients import PASSWORD, verified_client
from tests.duplicates.factories import finished_run_with_pair_and_merge

# (method, url with {household}/{person} placeholders, permission, scoped to a record?)
PAGES = [
    ("GET", "/", None, False),
    ("GET", "/households/", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/households/?q=Sargsyan", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/households/new/", Permission.EDIT_HOUSEHOLDS, False),
    ("GET", "/households/{household}/", Permission.VIEW_HOUSEHOLDS, True),
    ("GET", "/households/{household}/edit/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/households/{household}/persons/new/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/households/persons/{person}/edit/", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/places/", Permission.VIEW_PLACES, False),
    ("GET", "/places/occupancy/", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/places/occupancy/syunik/", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/sharing/", Permission.MANAGE_SHARING, False),
    ("GET", "/sharing/received/", Permission.VIEW_SHARED, False),
    ("GET", "/sharing/consent/{person}/", Permission.RECORD_CONSENT, True),
    ("GET", "/visits/", Permission.VIEW_VISITS, False),
    ("GET", "/visits/new/{household}/", Permission.REQUEST_VISITS, True),
    ("GET", "/visits/requests/{visit}/", Permission.VIEW_VISITS, True),
    ("GET", "/visits/capacity/", Permission.PLAN_VISITS, False),
    ("GET", "/visits/plan/", Permission.PLAN_VISITS, False),
    ("GET", "/visits/plan/runs/{run}/", Permission.PLAN_VISITS, True),
    ("GET", "/visits/clearance/", Permission.CLEAR_VISITS, False),
    ("GET", "/visits/clearance/convoys/{clearance_convoy}/", Permission.CLEAR_VISITS, True),
    ("GET", "/visits/clearance/refusals/", Permission.REQUEST_VISITS, False),
    ("GET", "/visits/clearance/refusals/{refusal}/appeal/", Permission.REQUEST_VISITS, True),
    ("GET", "/visits/clearance/notify/", Permission.PLAN_VISITS, False),
    ("GET", "/visits/clearance/notify/runs/{notify_run}/", Permission.PLAN_VISITS, True),
    ("GET", "/visits/checkpoint/", Permission.CROSS_CHECKPOINT, False),
    ("GET", "/visits/checkpoint/?code={crossing_visit}", Permission.CROSS_CHECKPOINT, True),
    ("GET", "/visits/checkpoint/manifests/", Permission.PRINT_MANIFESTS, False),
    ("GET", "/visits/checkpoint/manifests/{crossing_convoy}/", Permission.PRINT_MANIFESTS, True),
    ("GET", "/visits/checkpoint/slips/{crossing_visit}/", Permission.REQUEST_VISITS, True),
    ("GET", "/visits/checkpoint/alerts/", Permission.VIEW_CROSSING_ALERTS, False),
    ("GET", "/visits/checkpoint/alerts/{alert}/", Permission.VIEW_CROSSING_ALERTS, True),
    ("GET", "/rights/", Permission.RECORD_RIGHTS_REQUESTS, False),
    ("GET", "/rights/persons/{person}/correction/", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("GET", "/rights/persons/{person}/erasure/", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("GET", "/rights/corrections/{correction}/", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("GET", "/rights/erasures/{erasure}/", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("GET", "/duplicates/", Permission.REVIEW_DUPLICATES, False),
    ("GET", "/duplicates/review/", Permission.REVIEW_DUPLICATES, False),
    ("GET", "/duplicates/pairs/{pair}/", Permission.REVIEW_DUPLICATES, True),
    ("GET", "/duplicates/merges/{merge}/", Permission.REVIEW_DUPLICATES, True),
    ("GET", "/duplicates/run/", Permission.REVIEW_DUPLICATES, False),
    ("GET", "/duplicates/runs/{dedupe_run}/", Permission.REVIEW_DUPLICATES, True),
]
API = [
    ("GET", "/api/v1/visits/requests", Permission.VIEW_VISITS, False),
    ("POST", "/api/v1/visits/households/{household}/requests", Permission.REQUEST_VISITS, True),
    ("GET", "/api/v1/visits/requests/{visit}", Permission.VIEW_VISITS, True),
    ("POST", "/api/v1/visits/requests/{visit}/priority", Permission.PLAN_VISITS, True),
    ("POST", "/api/v1/visits/requests/{visit}/seat", Permission.PLAN_VISITS, True),
    ("GET", "/api/v1/visits/capacity", Permission.PLAN_VISITS, False),
    ("PUT", "/api/v1/visits/capacity", Permission.PLAN_VISITS, False),
    ("POST", "/api/v1/visits/plans", Permission.PLAN_VISITS, False),
    ("GET", "/api/v1/visits/plans/{run}", Permission.PLAN_VISITS, True),
    ("GET", "/api/v1/visits/clearance/convoys", Permission.CLEAR_VISITS, False),
    ("POST", "/api/v1/visits/clearance/entries/{entry}/decision", Permission.CLEAR_VISITS, True),
    ("GET", "/api/v1/visits/clearance/refusals", Permission.REQUEST_VISITS, False),
    (
        "POST",
        "/api/v1/visits/clearance/refusals/{refusal}/appeal",
        Permission.REQUEST_VISITS,
        True,
    ),
    ("POST", "/api/v1/visits/notifications", Permission.PLAN_VISITS, False),
    # In this order: out and back one by one, then all at once, then the convoy returns.
    ("GET", "/api/v1/visits/checkpoint?code={crossing_visit}", Permission.CROSS_CHECKPOINT, True),
    (
        "POST",
        "/api/v1/visits/travellers/{crossing_traveller}/check-out",
        Permission.CROSS_CHECKPOINT,
        True,
    ),
    (
        "POST",
        "/api/v1/visits/travellers/{crossing_traveller}/check-in",
        Permission.CROSS_CHECKPOINT,
        True,
    ),
    (
        "POST",
        "/api/v1/visits/checkpoint/{crossing_visit}/check-out",
        Permission.CROSS_CHECKPOINT,
        True,
    ),
    (
        "POST",
        "/api/v1/visits/checkpoint/{crossing_visit}/check-in",
        Permission.CROSS_CHECKPOINT,
        True,
    ),
    (
        "POST",
        "/api/v1/visits/convoys/{crossing_convoy}/returned",
        Permission.CROSS_CHECKPOINT,
        True,
    ),
    ("GET", "/api/v1/visits/alerts", Permission.VIEW_CROSSING_ALERTS, False),
    ("POST", "/api/v1/visits/alerts/{alert}/resolve", Permission.VIEW_CROSSING_ALERTS, True),
    ("GET", "/api/v1/households", Permission.VIEW_HOUSEHOLDS, False),
    ("POST", "/api/v1/households", Permission.EDIT_HOUSEHOLDS, False),
    ("GET", "/api/v1/households/{household}", Permission.VIEW_HOUSEHOLDS, True),
    ("PATCH", "/api/v1/households/{household}", Permission.EDIT_HOUSEHOLDS, True),
    ("POST", "/api/v1/households/{household}/persons", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/api/v1/persons/search?q=Sargsyan", Permission.VIEW_HOUSEHOLDS, False),
    ("GET", "/api/v1/persons/{person}", Permission.VIEW_HOUSEHOLDS, True),
    ("GET", "/api/v1/persons/{person}/everything", Permission.ANSWER_ACCESS_REQUESTS, True),
    ("PATCH", "/api/v1/persons/{person}", Permission.EDIT_HOUSEHOLDS, True),
    ("GET", "/api/v1/places/settlements?q=Shushi", Permission.VIEW_PLACES, False),
    ("GET", "/api/v1/places/occupancy", Permission.VIEW_OCCUPANCY, False),
    ("GET", "/api/v1/sharing/agreements", Permission.MANAGE_SHARING, False),
    ("POST", "/api/v1/sharing/agreements", Permission.MANAGE_SHARING, False),
    ("POST", "/api/v1/sharing/agreements/{agreement}/approve", Permission.MANAGE_SHARING, True),
    ("GET", "/api/v1/sharing/received?purpose=visit_planning", Permission.VIEW_SHARED, False),
    ("POST", "/api/v1/sharing/persons/{person}/consents", Permission.RECORD_CONSENT, True),
    (
        "DELETE",
        "/api/v1/sharing/persons/{person}/consents/visit_planning",
        Permission.RECORD_CONSENT,
        True,
    ),
    ("GET", "/api/v1/rights/corrections", Permission.RECORD_RIGHTS_REQUESTS, False),
    (
        "POST",
        "/api/v1/rights/persons/{person}/corrections",
        Permission.RECORD_RIGHTS_REQUESTS,
        True,
    ),
    ("GET", "/api/v1/rights/corrections/{correction}", Permission.RECORD_RIGHTS_REQUESTS, True),
    (
        "POST",
        "/api/v1/rights/corrections/{correction}/decision",
        Permission.DECIDE_CORRECTIONS,
        True,
    ),
    ("GET", "/api/v1/rights/erasures", Permission.RECORD_RIGHTS_REQUESTS, False),
    ("POST", "/api/v1/rights/persons/{person}/erasures", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("GET", "/api/v1/rights/erasures/{erasure}", Permission.RECORD_RIGHTS_REQUESTS, True),
    ("POST", "/api/v1/rights/erasures/{erasure}/decision", Permission.DECIDE_ERASURES, True),
    ("POST", "/api/v1/duplicates/runs", Permission.REVIEW_DUPLICATES, False),
    ("GET", "/api/v1/duplicates/runs/{dedupe_run}", Permission.REVIEW_DUPLICATES, True),
    ("GET", "/api/v1/duplicates/pairs", Permission.REVIEW_DUPLICATES, False),
    ("POST", "/api/v1/duplicates/pairs/{pair}/decision", Permission.REVIEW_DUPLICATES, True),
    ("GET", "/api/v1/duplicates/merges/{merge}", Permission.REVIEW_DUPLICATES, True),
    ("POST", "/api/v1/duplicates/merges/{merge}/undo", Permission.REVIEW_DUPLICATES, True),
    ("POST", "/api/v1/duplicates/merges/{merge}/give-back", Permission.REVIEW_DUPLICATES, True),
]
# Routes that the matrix does not need to cover, and why.
NOT_IN_MATRIX = {
    "accounts/login/",  # sign-in itself, open to all
    "accounts/logout/",
    "accounts/second-factor/",
    "i18n/",  # language choice
    "admin/",  # read-only, staff-superuser only
    "sharing/<int:agreement_id>/approve/",  # a POST-only action; tests/access/test_sharing.py
    "api/v1/",  # the API's own routes are listed in API above (the test checks them apart)
    "visits/clearance/entries/",  # a POST-only decision; tests/visits/test_clearance.py
}
BODIES = {
    # "{name}" strings are replaced by the record's value (see formatted_body).
    "POST /api/v1/visits/households/{household}/requests": {
        "travellers": ["{person}"],
        "purposes": ["graves"],
        "earliest": "{tomorrow}",
        "destination": "shushi",
    },
    "POST /api/v1/visits/requests/{visit}/priority": {"priority": 3, "reason": "Flooding"},
    "POST /api/v1/visits/requests/{visit}/seat": {"date": "{tomorrow}", "convoy": 1},
    "PUT /api/v1/visits/capacity": {
        "start": "{tomorrow}",
        "days": 30,
        "weekdays": [1, 2, 3, 4, 5],
        "checkpoint_people_per_day": 200,
        "convoys_per_day": 2,
        "seats_per_convoy": 50,
        "cargo_m3_per_convoy": 60,
        "meeting_point": "Goris, bus station",
        "departure_time": "06:30",
        "routes": ["lachin-road"],
    },
    "POST /api/v1/visits/clearance/entries/{entry}/decision": {"decision": "clear"},
    "POST /api/v1/visits/alerts/{alert}/resolve": {"resolution": "Came back by bus next day"},
    "POST /api/v1/visits/clearance/refusals/{refusal}/appeal": {"grounds": "Documents found."},
    "POST /api/v1/households": {"persons": [{"given_name": "Ani", "family_name": "Sargsyan"}]},
    "PATCH /api/v1/households/{household}": {"host_address": "Goris, 5 Mashtots St."},
    "POST /api/v1/households/{household}/persons": {
        "given_name": "Aram",
        "family_name": "Sargsyan",
    },
    "PATCH /api/v1/persons/{person}": {"patronymic": "Aramovich"},
    "POST /api/v1/sharing/agreements": {
        "recipient": "other-ngo",
        "purpose": "monitoring",
        "fields": ["given_name"],
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    },
    "POST /api/v1/sharing/persons/{person}/consents": {
        "purpose": "monitoring",
        "given": True,
        "method": "verbal",
    },
    "POST /api/v1/rights/persons/{person}/corrections": {
        "field": "given_name",
        "value_asked": "Anahit",
        "channel": "phone",
    },
    "POST /api/v1/rights/corrections/{correction}/decision": {"accept": True},
    "POST /api/v1/rights/persons/{person}/erasures": {"channel": "phone"},
    "POST /api/v1/duplicates/pairs/{pair}/decision": {"decision": "different"},
    "POST /api/v1/duplicates/merges/{merge}/undo": {"reason": "two people"},
    # A record that is not in the merge: allowed roles get a conflict, not a refusal.
    "POST /api/v1/duplicates/merges/{merge}/give-back": {"person": 1},
    "POST /api/v1/rights/erasures/{erasure}/decision": {
        "erase": False,
        "retention_rule": "registry.legal_claim",
    },
}


def rights_requests(caller, person) -> dict:
    from homeward.rights import services as rights

    common = {"caller": caller, "person": person, "channel": "in_person"}
    return {
        "correction": rights.record_correction_request(
            field="patronymic", value_asked="Aramovna", **common
        ).pk,
        "erasure": rights.record_erasure_request(**common).pk,
    }


# Answers other than 200 for a read and 201 for a creation.
STATUS_OF = {
    "POST /api/v1/visits/requests/{visit}/priority": 200,
    "POST /api/v1/visits/requests/{visit}/seat": 200,
    "POST /api/v1/visits/plans": 202,
    "POST /api/v1/duplicates/merges/{merge}/undo": 200,
    "POST /api/v1/duplicates/merges/{merge}/give-back": 409,
}


# Done once: the first role allowed closes the alert; the next is told it is already closed.
DONE_ONCE = {"POST /api/v1/visits/alerts/{alert}/resolve"}


def crossing_records(caller) -> dict:
    """Today's convoy with two cleared requests of one household, and an open alert from
    yesterday's convoy."""
    import datetime

    from django.utils import timezone

    from homeward.places.models import Route, Settlement
    from homeward.visits import services as visits
    from homeward.visits.models import Convoy, MissingTravellerAlert, Traveller, VisitRequest

    today = timezone.localdate()
    lachin_road = Route.objects.get(slug="lachin-road")
    household = services.register_household(caller=caller)
    aram, arev = (
        services.add_person(
            caller=caller, household=household, given_name=name, family_name="Sargsyan"
        )
        for name in ("Aram", "Arev")
    )

    def seated(person, convoy):
        visit = visits.request_visit(
            caller=caller,
            household=household,
            travellers=[person],
            purposes=["belongings"],
            earliest=convoy.date if convoy.date >= today else today,
            destination=Settlement.objects.get(slug="shushi"),
        )
        VisitRequest.objects.filter(pk=visit.pk).update(
            convoy=convoy, status=VisitRequest.Status.PLANNED
        )
        visit.travellers.update(clearance=Traveller.Clearance.CLEARED)
        return visit

    convoy = Convoy.objects.create(
        organisation=caller.organisation, date=today, number=1, route=lachin_road
    )
    yesterday = Convoy.objects.create(
        organisation=caller.organisation,
        date=today - datetime.timedelta(days=1),
        number=1,
        route=lachin_road,
        status=Convoy.Status.RETURNED,
        returned_at=timezone.now(),
    )
    whole, single = seated(aram, convoy), seated(arev, convoy)
    away = seated(aram, yesterday).travellers.get()
    Traveller.objects.filter(pk=away.pk).update(
        checked_out_at=timezone.now() - datetime.timedelta(days=1)
    )
    alert = MissingTravellerAlert.objects.create(traveller=away, convoy=yesterday)
    return {
        "crossing_visit": whole.reference,
        "crossing_traveller": single.travellers.get().pk,
        "crossing_convoy": convoy.pk,
        "alert": alert.pk,
    }


def formatted_body(body, record: dict):
    import json

    text = json.dumps(body)
    for name, value in record.items():
        text = text.replace(f'"{{{name}}}"', json.dumps(value))
    return text


def visit_records(caller, household_reference: str, person_id: int) -> dict:
    """A visit request of the organisation, and a planning run; for its own, a convoy too."""
    import datetime

    from homeward.jobs.models import Job
    from homeward.people.models import Household, Person
    from homeward.places.models import Route, Settlement
    from homeward.visits import services as visits
    from homeward.visits.models import Capacity, Convoy

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    lachin_road = Route.objects.get(slug="lachin-road")
    capacity = Capacity.objects.create(
        organisation=caller.organisation,
        start=tomorrow,
        days=30,
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        checkpoint_people_per_day=200,
        convoys_per_day=2,
        seats_per_convoy=50,
        cargo_m3_per_convoy=60,
        meeting_point="Goris, bus station",
        departure_time=datetime.time(6, 30),
    )
    capacity.routes.set([lachin_road])
    Convoy.objects.create(
        organisation=caller.organisation, date=tomorrow, number=1, route=lachin_road
    )
    visit = visits.request_visit(
        caller=caller,
        household=Household.objects.get(reference=household_reference),
        travellers=[Person.objects.get(pk=person_id)],
        purposes=["belongings"],
        earliest=tomorrow,
        destination=Settlement.objects.get(slug="shushi"),
    )
    run = Job.objects.create(kind="visits.plan", organisation=caller.organisation)
    notify_run = Job.objects.create(kind="visits.notify", organisation=caller.organisation)
    return {
        "visit": visit.reference,
        "run": run.pk,
        "notify_run": notify_run.pk,
        "tomorrow": tomorrow.isoformat(),
    }


def clearance_records(records: dict, dpos: dict, *, own, other) -> None:
    """Each organisation shares its convoy for clearance with the other, with one consenting
    traveller on it. One's own entry to decide is the other's traveller, shared with one's
    organisation; one's own refusal to appeal is one's traveller, refused by the other."""
    import datetime

    from homeward.access.sharing import approve_agreement, propose_agreement
    from homeward.people.models import Household
    from homeward.places.models import Settlement
    from homeward.visits import clearance
    from homeward.visits import services as visits
    from homeward.visits.models import Convoy, VisitRequest

    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    callers = {"own": own, "other": other}
    travellers, convoys = {}, {}
    for name, caller in callers.items():
        partner = callers["other" if name == "own" else "own"].organisation
        household = services.register_household(caller=caller)
        person = services.add_person(
            caller=caller, household=household, given_name="Hayk", family_name="Sargsyan"
        )
        visit = visits.request_visit(
            caller=caller,
            household=Household.objects.get(pk=household.pk),
            travellers=[person],
            purposes=["graves"],
            earliest=tomorrow,
            destination=Settlement.objects.get(slug="shushi"),
            clearance_consent_method="verbal",
        )
        convoy = Convoy.objects.get(organisation=caller.organisation, date=tomorrow, number=1)
        visit.convoy, visit.status = convoy, VisitRequest.Status.PLANNED
        visit.save(update_fields=["convoy", "status"])
        travellers[name], convoys[name] = visit.travellers.get(), convoy
        agreement = propose_agreement(
            caller=dpos[caller.organisation.slug],
            recipient=partner,
            purpose="visit_clearance",
            fields=["given_name", "family_name", "birth_year"],
            starts_on=today,
            ends_on=tomorrow,
        )
        approve_agreement(caller=dpos[partner.slug], agreement=agreement)
    authority = caller_for(
        create_staff_account(
            username="matrix-other-clearance",
            password=PASSWORD,
            organisation=other.organisation,
            role=Role.CLEARANCE_OFFICER,
        ).user
    )
    clearance.decide_clearance(
        caller=authority,
        traveller_id=travellers["own"].pk,
        decision="refuse",
        reason="documents_missing",
    )
    for name, partner in (("own", "other"), ("other", "own")):
        records[name].update(
            clearance_convoy=convoys[partner].pk,
            entry=travellers[partner].pk,
            refusal=travellers[name].pk,
        )


def expected_status(
    role: str, permission, scoped: bool, own: bool, method: str, url: str = ""
) -> int:
    if permission is not None and not may(role, permission):
        return 403
    if scoped and not own:
        return 404
    if f"{method} {url}" in STATUS_OF:
        return STATUS_OF[f"{method} {url}"]
    return 201 if method == "POST" and not url.endswith("/approve") else 200


@pytest.fixture
def world(migration_service, other_organisation, alice, charlie, gazetteer):
    import datetime

    from homeward.access.sharing import propose_agreement

    records = {}
    dpos = {}
    for organisation in (migration_service, other_organisation):
        dpos[organisation.slug] = caller_for(
            create_staff_account(
                username=f"dpo-{organisation.slug}",
                password=PASSWORD,
                organisation=organisation,
                role=Role.DATA_PROTECTION_OFFICER,
            ).user
        )
    today = datetime.date.today()
    # Own: proposed to alice's organisation (its DPO may approve); other: proposed to another.
    to_us = propose_agreement(
        caller=dpos["other-ngo"],
        recipient=migration_service,
        purpose="monitoring",
        fields=["given_name"],
        starts_on=today,
        ends_on=today,
    )
    to_them = propose_agreement(
        caller=dpos["migration-service"],
        recipient=other_organisation,
        purpose="monitoring",
        fields=["given_name"],
        starts_on=today,
        ends_on=today,
    )
    for caller, name in ((alice, "own"), (charlie, "other")):
        shelter = Shelter.objects.filter(site__region__slug="syunik").first()
        household = services.register_household(caller=caller, shelter=shelter)
        person = services.add_person(
            caller=caller, household=household, given_name="Ani", family_name="Sargsyan"
        )
        records[name] = {
            "household": household.reference,
            "person": person.pk,
            "agreement": (to_us if name == "own" else to_them).pk,
            **rights_requests(caller, person),
        }
        records[name].update(visit_records(caller, household.reference, person.pk))
        records[name].update(finished_run_with_pair_and_merge(caller, household.reference))
        records[name].update(crossing_records(caller))
    clearance_records(records, dpos, own=alice, other=charlie)
    accounts = {}
    for role in Role:
        membership = create_staff_account(
            username=f"matrix-{role.value}",
            password=PASSWORD,
            organisation=migration_service,
            role=role,
        )
        accounts[role.value] = caller_for(membership.user)
    return records, accounts


def test_every_page_answers_as_the_roles_say(world):

    records, accounts = world
    failures = []
    for role, caller in accounts.items():
        client = verified_client(caller.user)
        for method, template, permission, scoped in PAGES:
            for own in (True, False) if scoped else (True,):
                url = template.format(**records["own" if own else "other"])
                status = client.generic(method, url).status_code
                want = expected_status(role, permission, scoped, own, "GET")
                if status != want:
                    failures.append(f"{role} {method} {url}: {status}, expected {want}")
    assert failures == []


def test_every_api_endpoint_answers_as_the_roles_say(world):

    from django.test import Client

    records, accounts = world
    failures = []
    done = set()
    for role, caller in accounts.items():
        client = Client(
            headers={"Authorization": f"Bearer {issue_api_token(user=caller.user, name='matrix')}"}
        )
        for method, template, permission, scoped in API:
            for own in (True, False) if scoped else (True,):
                url = template.format(**records["own" if own else "other"])
                body = BODIES.get(f"{method} {template}")
                record = records["own" if own else "other"]
                response = client.generic(
                    method,
                    url,
                    formatted_body(body, record) if body else "",
                    content_type="application/json",
                )
                want = expected_status(role, permission, scoped, own, method, template)
                if own and f"{method} {template}" in DONE_ONCE and want < 400:
                    want = 422 if f"{method} {template}" in done else want
                    done.add(f"{method} {template}")
                if response.status_code != want:
                    failures.append(
                        f"{role} {method} {url}: {response.status_code}, expected {want}"
                    )
    assert failures == []


def test_the_matrix_covers_every_route():
    def routes(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    listed = {url.split("?")[0].strip("/").split("{")[0] for _m, url, _p, _s in PAGES}
    missing = []
    for route in routes(get_resolver().url_patterns):
        if any(route.startswith(skip) for skip in NOT_IN_MATRIX):
            continue
        literal = route.split("<")[0].strip("/")
        if literal not in listed and not any(
            item.startswith(literal) for item in listed if literal
        ):
            missing.append(route)
    assert missing == []


def test_the_api_matrix_covers_every_endpoint():
    from homeward.api import api

    def normalise(path):
        for name, placeholder in (
            ("reference", "household"),
            ("person_id", "person"),
            ("agreement_id", "agreement"),
            ("purpose", "visit_planning"),
            ("correction_id", "correction"),
            ("erasure_id", "erasure"),
            ("visit_reference", "visit"),
            ("run_id", "run"),
            ("dedupe_run_id", "dedupe_run"),
            ("pair_id", "pair"),
            ("merge_id", "merge"),
            ("entry_id", "entry"),
            ("refusal_id", "refusal"),
            ("code", "crossing_visit"),
            ("traveller_id", "crossing_traveller"),
            ("convoy_id", "crossing_convoy"),
            ("alert_id", "alert"),
        ):
            path = path.replace(
                "{" + name + "}", placeholder if name == "purpose" else "{" + placeholder + "}"
            )
        return path

    schema = api.get_openapi_schema()
    documented = {
        (method.upper(), normalise(path))
        for path, item in schema["paths"].items()
        for method in item
    }
    listed = {(m, url.split("?")[0]) for m, url, _p, _s in API}
    assert documented == listed


def test_the_data_protection_document_shows_the_current_roles():
    from django.core.management import call_command

    call_command("render-permissions", "--check")
