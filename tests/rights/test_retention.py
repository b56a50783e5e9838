import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from homeward.access import sharing
from homeward.access.models import ApiToken, Consent, SignedInSession
from homeward.access.services import issue_api_token
from homeward.audit.models import AuditEvent
from homeward.people.models import Household, Person
from homeward.rights import retention, services
from homeward.rights.anonymisation import ANONYMISED
from tests.rights.helpers import family

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=6 * 365)


def age(persons: list[Person], when: datetime.datetime = LONG_AGO) -> None:
    """Make a household look untouched since `when` (update() leaves updated_at alone)."""
    household_ids = {p.household_id for p in persons}
    Household.objects.filter(pk__in=household_ids).update(updated_at=when)
    Person.objects.filter(household_id__in=household_ids).update(updated_at=when)
    Consent.objects.filter(person__household_id__in=household_ids).update(recorded_at=when)


@pytest.fixture
def registry(alice, charlie, gazetteer):
    old = family(alice, members=("Ani", "Aram"))
    recent = family(alice, members=("Lilit",))
    elsewhere = family(charlie, members=("Narek",), phone="+374 93 555555")
    age(old)
    age(elsewhere)
    return {"old": old, "recent": recent, "elsewhere": elsewhere}


def run(*args) -> str:
    out = StringIO()
    call_command("anonymise-expired", *args, stdout=out)
    return out.getvalue()


def test_only_expired_households_are_anonymised(registry, migration_service):
    run()
    ani, aram = (Person.objects.get(pk=p.pk) for p in registry["old"])
    assert ani.given_name == aram.given_name == ANONYMISED
    assert ani.birth_month is None and ani.birth_year == 1980 and ani.vulnerabilities == []
    assert ani.household.phone == "" and ani.household.origin_settlement.slug == "stepanakert"
    lilit = Person.objects.get(pk=registry["recent"][0].pk)
    assert lilit.given_name == "Lilit" and lilit.household.phone == "+374 97 123456"
    assert Person.objects.get(pk=registry["elsewhere"][0].pk).given_name == ANONYMISED
    # One audit row per organisation, naming its households, no names.
    ends = AuditEvent.objects.filter(
        action="rights.retention.end", details__rule="registry.inactive"
    )
    assert {e.organisation.slug for e in ends} == {"migration-service", "other-ngo"}
    ours = ends.get(organisation=migration_service)
    assert ours.details == {
        "rule": "registry.inactive",
        "households": [ani.household.reference],
        "persons": 2,
    }
    call_command("audit", "verify")


def test_a_dry_run_says_what_would_end_and_changes_nothing(registry):
    rows = AuditEvent.objects.count()
    out = run("--dry-run")
    assert "registry.inactive: would end 2" in out
    assert Person.objects.get(pk=registry["old"][0].pk).given_name == "Ani"
    assert AuditEvent.objects.count() == rows


def test_running_twice_does_nothing_more(registry):
    run()
    rows = AuditEvent.objects.count()
    assert "nothing has expired" in run()
    assert services.anonymise_expired() == {key: 0 for key in services.anonymise_expired()}
    assert AuditEvent.objects.count() == rows


def test_recent_activity_keeps_a_household(alice, registry):
    ani = registry["old"][0]
    sharing.record_consent(
        caller=alice, person=ani, purpose="monitoring", given=False, method="phone"
    )
    run()
    assert Person.objects.get(pk=ani.pk).given_name == "Ani"


def test_a_holding_rule_keeps_an_expired_household(registry, monkeypatch):
    rule = retention.RetentionRule(
        key="visits.crossings",
        record="Visit and crossing records",
        kept="10 years",
        then="anonymised",
        reason="accountability",
        holds=lambda persons, now: persons.filter(given_name="Aram"),
    )
    monkeypatch.setattr(retention, "RULES", [*retention.RULES, rule])
    run()
    assert Person.objects.get(pk=registry["old"][0].pk).given_name == "Ani"
    assert Person.objects.get(pk=registry["elsewhere"][0].pk).given_name == ANONYMISED


def test_a_failure_part_way_leaves_everything_as_it_was(registry, monkeypatch):
    def broken(records, now):
        raise RuntimeError("disk full")

    failing = retention.RetentionRule(
        key="zz.broken",
        record="x",
        kept="x",
        then="x",
        reason="x",
        expired=lambda now: Household.objects.all(),
        end=broken,
    )
    monkeypatch.setattr(retention, "RULES", [*retention.RULES, failing])
    rows = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.anonymise_expired()
    assert Person.objects.get(pk=registry["old"][0].pk).given_name == "Ani"
    assert AuditEvent.objects.count() == rows


def test_old_tokens_sessions_sign_in_attempts_and_closed_consents_are_deleted(alice, gazetteer):
    from axes.models import AccessAttempt

    (ani,) = family(alice)
    for given in (True, False):  # the second answer closes the first
        sharing.record_consent(
            caller=alice, person=ani, purpose="monitoring", given=given, method="phone"
        )
    Consent.objects.filter(withdrawn_at__isnull=False).update(withdrawn_at=LONG_AGO)
    issue_api_token(user=alice.user, name="old")
    issue_api_token(user=alice.user, name="current")
    ApiToken.objects.filter(name="old").update(revoked_at=LONG_AGO)
    SignedInSession.objects.create(user=alice.user, session_key="old")
    SignedInSession.objects.filter(session_key="old").update(created_at=LONG_AGO)
    attempt = AccessAttempt.objects.create(username="alice", failures_since_start=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=LONG_AGO)

    run()

    assert list(Consent.objects.values_list("given", flat=True)) == [False]
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["current"]
    assert not SignedInSession.objects.filter(session_key="old").exists()
    assert not AccessAttempt.objects.exists()
    assert Person.objects.get(pk=ani.pk).given_name == "Ani"


def test_what_a_person_said_is_cleared_a_year_after_the_decision(alice, gazetteer):
    (ani,) = family(alice)
    request = services.record_correction_request(
        caller=alice,
        person=ani,
        field="given_name",
        value_asked="Anahit",
        statement="Ani is short for Anahit",
        channel="phone",
    )
    services.refuse_correction(caller=alice, request=request, reason="no document")
    type(request).objects.filter(pk=request.pk).update(
        decided_at=NOW - datetime.timedelta(days=400)
    )
    run()
    request.refresh_from_db()
    assert (request.value_asked, request.statement) == ("", "")
    assert request.status == "refused" and request.reason == "no document"


def test_the_document_shows_the_current_retention_rules(monkeypatch):
    from importlib import import_module

    from django.utils import translation

    render = import_module("homeward.access.management.commands.render-permissions")
    document = render.DOC.read_text(encoding="utf-8")
    with translation.override("en"):
        table = retention.retention_table()
    shown = document.split("<!-- retention:begin -->\n")[1].split("\n<!-- retention:end -->")[0]
    assert shown == table, "docs/data-protection.md is out of date: homeward render-permissions"
    assert "`registry.inactive`" in shown

    before = render.rendered(document)
    extra = retention.RetentionRule(
        key="visits.crossings", record="Crossings", kept="10 years", then="-", reason="-"
    )
    monkeypatch.setattr(retention, "RULES", [*retention.RULES, extra])
    after = render.rendered(document)
    assert after != before and "`visits.crossings`" in after
    with pytest.raises(SystemExit):
        call_command("render-permissions", "--check")
