"""Every role × every page and API endpoint × a record of one's own organisation and of another.

The expected answer comes from the one definition (access/roles.py): a role without the
permission gets 403, a role with it gets the page for its own organisation's record and 404
for another organisation's, exactly as for a record that does not exist.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from homeward.access.caller import caller_for
from homeward.access.models import Organisation
from homeward.access.roles import Permission, Role, may, may_hold
from homeward.access.services import create_organisation, create_staff_account, issue_api_token
from homeward.people import services
from homeward.places.models import Shelter
from tests.clients import PASSWORD, token_client_for, verified_client
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
    ("GET", "/sharing/received/?purpose=visit_planning", Permission.VIEW_SHARED, False),
    # What is shared for clearance is read by those who clear, and nobody else.
    ("GET", "/sharing/received/?purpose=visit_clearance", Permission.CLEAR_VISITS, False),
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
    ("GET", "/returns/projection/", Permission.VIEW_PROJECTIONS, False),
    ("GET", "/returns/guarantees/", Permission.VIEW_PROJECTIONS, False),
    ("GET", "/returns/questions/", Permission.VIEW_PROJECTIONS, False),
    ("GET", "/returns/questions/new/", Permission.RECORD_INTENTIONS, False),
    ("GET", "/returns/households/{household}/intentions/", Permission.RECORD_INTENTIONS, True),
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
    ("GET", "/api/v1/sharing/received?purpose=visit_clearance", Permission.CLEAR_VISITS, False),
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
    # A guarantee's code and a question's number name no organisation's record; who may change
    # a status or answer is tested in tests/returns/test_pages.py and test_questions.py.
    "returns/guarantees/<slug:code>/status/",
    "healthz",  # open to probes, holds no record; tests/jobs/test_healthz.py
    "returns/questions/<int:question_id>/answer/",
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


def clearance_records(records: dict, dpos: dict, authorities: dict, *, own, other) -> None:
    """Each organisation shares its convoy for clearance with its own authority of the area of
    return, with two consenting travellers on it: one awaiting clearance (the entry its
    authority decides) and one its authority refused (the refusal its caseworker appeals)."""
    import datetime

    from homeward.access.sharing import approve_agreement, propose_agreement
    from homeward.people.models import Household
    from homeward.places.models import Settlement
    from homeward.visits import clearance
    from homeward.visits import services as visits
    from homeward.visits.models import Convoy, VisitRequest

    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    for name, caller in (("own", own), ("other", other)):
        authority = authorities[name]
        convoy = Convoy.objects.get(organisation=caller.organisation, date=tomorrow, number=1)
        travellers = []
        for given_name in ("Hayk", "Gor"):
            household = services.register_household(caller=caller)
            person = services.add_person(
                caller=caller, household=household, given_name=given_name, family_name="Sargsyan"
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
            visit.convoy, visit.status = convoy, VisitRequest.Status.PLANNED
            visit.save(update_fields=["convoy", "status"])
            travellers.append(visit.travellers.get())
        agreement = propose_agreement(
            caller=dpos[caller.organisation.slug],
            recipient=authority,
            purpose="visit_clearance",
            fields=["given_name", "family_name", "birth_year"],
            starts_on=today,
            ends_on=tomorrow,
        )
        approve_agreement(caller=dpos[authority.slug], agreement=agreement)
        officer = caller_for(
            create_staff_account(
                username=f"matrix-{name}-clearance",
                password=PASSWORD,
                organisation=authority,
                role=Role.CLEARANCE_OFFICER,
            ).user
        )
        entry, refused = travellers
        clearance.decide_clearance(
            caller=officer,
            traveller_id=refused.pk,
            decision="refuse",
            reason="documents_missing",
        )
        records[name].update(clearance_convoy=convoy.pk, entry=entry.pk, refusal=refused.pk)


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


def organisation_for(role: str, organisations: dict):
    """The organisation a matrix account of this role works for: the Migration Service when
    its kind may hold the role, else the first organisation of a kind that may."""
    for organisation in organisations.values():
        if may_hold(organisation.kind, role):
            return organisation
    raise AssertionError(f"no organisation may hold {role}")


@pytest.fixture
def world(migration_service, other_organisation, alice, charlie, gazetteer):
    import datetime

    from homeward.access.sharing import propose_agreement

    authorities = {
        name: create_organisation(
            slug=f"{name}-authority",
            name=f"{name.title()} Authority",
            kind=Organisation.Kind.HOME_AUTHORITY,
        )
        for name in ("own", "other")
    }
    records = {}
    dpos = {}
    for organisation in (migration_service, other_organisation, *authorities.values()):
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
    clearance_records(records, dpos, authorities, own=alice, other=charlie)
    # Each role where it may be held; "own" records are those of the Migration Service, or of
    # what it shares with the own authority (for the clearance officer, who works there).
    homes = {"migration-service": migration_service, "own-authority": authorities["own"]}
    for kind in Organisation.Kind.values:
        if not any(o.kind == kind for o in homes.values()):
            homes[kind] = create_organisation(slug=f"matrix-{kind}", name=kind, kind=kind)
    accounts = {}
    for role in Role:
        membership = create_staff_account(
            username=f"matrix-{role.value}",
            password=PASSWORD,
            organisation=organisation_for(role, homes),
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


# --- the sharing read, for every role of every kind of organisation ---------------------------


@pytest.fixture
def shared_for_clearance(alice, migration_service, gazetteer):
    """The Migration Service shares for clearance, and for planning, with one organisation of
    every kind. On its convoys (by traveller's name): a consenting traveller on a convoy still to leave, one on a
    convoy under way, one on a convoy back home, and one who did not consent. Every record
    holds what no authority may see: a patronymic, a phone, a vulnerability."""
    import datetime

    from django.utils import timezone

    from homeward.access.sharing import approve_agreement, propose_agreement
    from homeward.places.models import Route, Settlement
    from homeward.visits import services as visits
    from homeward.visits.models import Convoy, VisitRequest

    today = timezone.localdate()
    lachin_road = Route.objects.get(slug="lachin-road")
    convoys = {
        status: Convoy.objects.create(
            organisation=migration_service,
            date=today + datetime.timedelta(days=offset),
            number=1,
            route=lachin_road,
            status=status,
            returned_at=timezone.now() if status == Convoy.Status.RETURNED else None,
        )
        for status, offset in (
            (Convoy.Status.PLANNED, 1),
            (Convoy.Status.DEPARTED, 0),
            (Convoy.Status.RETURNED, -1),
        )
    }
    travellers = {}
    for given_name, convoy, consent in (
        ("Karen", convoys[Convoy.Status.PLANNED], "written"),
        ("Lusine", convoys[Convoy.Status.DEPARTED], "verbal"),
        ("Vardan", convoys[Convoy.Status.RETURNED], "verbal"),
        ("Narine", convoys[Convoy.Status.PLANNED], ""),
    ):
        household = services.register_household(
            caller=alice,
            origin_settlement=Settlement.objects.get(slug="shushi"),
            phone="+374 93 517284",
        )
        person = services.add_person(
            caller=alice,
            household=household,
            given_name=given_name,
            family_name="Mirzoyan",
            patronymic="Vardanovich",
            birth_date="1975-03-14",
            vulnerabilities=["chronic_illness"],
        )
        visit = visits.request_visit(
            caller=alice,
            household=household,
            travellers=[person],
            purposes=["belongings"],
            earliest=max(convoy.date, today),
            clearance_consent_method=consent,
        )
        status = (
            VisitRequest.Status.PLANNED
            if convoy.status == Convoy.Status.PLANNED
            else VisitRequest.Status.TRAVELLED
        )
        VisitRequest.objects.filter(pk=visit.pk).update(convoy=convoy, status=status)
        travellers[given_name] = convoy
    provider_dpo = caller_for(
        create_staff_account(
            username="kinds-provider-dpo",
            password=PASSWORD,
            organisation=migration_service,
            role=Role.DATA_PROTECTION_OFFICER,
        ).user
    )
    recipients = {}
    for kind in Organisation.Kind.values:
        recipient = create_organisation(slug=f"kind-{kind}", name=f"A {kind}", kind=kind)
        recipient_dpo = caller_for(
            create_staff_account(
                username=f"kinds-dpo-{kind}",
                password=PASSWORD,
                organisation=recipient,
                role=Role.DATA_PROTECTION_OFFICER,
            ).user
        )
        for purpose, fields in (
            ("visit_clearance", ["given_name", "family_name", "birth_year", "origin"]),
            ("visit_planning", ["given_name", "family_name"]),
        ):
            approve_agreement(
                caller=recipient_dpo,
                agreement=propose_agreement(
                    caller=provider_dpo,
                    recipient=recipient,
                    purpose=purpose,
                    fields=fields,
                    starts_on=today,
                    ends_on=today + datetime.timedelta(days=30),
                ),
            )
        recipients[kind] = recipient
    return recipients, travellers, convoys


def test_the_sharing_read_answers_as_the_kind_and_the_role_say(shared_for_clearance):
    from django.contrib.auth import get_user_model

    from homeward.people.validation import FieldProblem

    recipients, travellers, convoys = shared_for_clearance
    minimum = [
        {
            "provider": "migration-service",
            "given_name": given_name,
            "family_name": "Mirzoyan",
            "birth_year": 1975,
            "destination": "shushi",
            "convoy": travellers[given_name].code,
        }
        # Today's convoy (under way) before tomorrow's (still to leave).
        for given_name in ("Lusine", "Karen")
    ]
    never = ("Vardanovich", "517284", "chronic_illness", ">Vardan<", "Narine")
    failures = []
    readers = []
    for kind, organisation in recipients.items():
        for role in Role:
            username = f"kinds-{kind}-{role.value}"
            if not may_hold(kind, role):
                try:
                    create_staff_account(
                        username=username, password=PASSWORD, organisation=organisation, role=role
                    )
                except FieldProblem:
                    pass
                else:
                    failures.append(f"{role} created in a {kind}")
                if get_user_model().objects.filter(username=username).exists():
                    failures.append(f"{role} in a {kind}: an account was left behind")
                continue
            caller = caller_for(
                create_staff_account(
                    username=username, password=PASSWORD, organisation=organisation, role=role
                ).user
            )
            api = token_client_for(caller)
            page = verified_client(caller.user)
            for purpose, permission in (
                ("visit_clearance", Permission.CLEAR_VISITS),
                ("visit_planning", Permission.VIEW_SHARED),
            ):
                want = 200 if may(role, permission) else 403
                answers = {
                    "api": api.get("/api/v1/sharing/received", {"purpose": purpose}),
                    "page": page.get("/sharing/received/", {"purpose": purpose}),
                }
                for where, response in answers.items():
                    if response.status_code != want:
                        failures.append(
                            f"{kind} {role} {where} {purpose}: {response.status_code}, "
                            f"expected {want}"
                        )
                if purpose != "visit_clearance" or want != 200:
                    continue
                readers.append((kind, role.value))
                if answers["api"].json() != minimum:
                    failures.append(f"{kind} {role}: {answers['api'].json()}")
                html = answers["page"].content.decode()
                if not all(name in html for name in ("Karen", "Lusine")):
                    failures.append(f"{kind} {role}: the page misses a traveller")
                leaked = [value for value in never if value in html]
                if leaked:
                    failures.append(f"{kind} {role}: the page shows {leaked}")
    assert failures == []
    # Only the authority's clearance officers read what is shared for clearance.
    assert readers == [("home_authority", "clearance_officer")]
