import csv
from io import StringIO

from django.core.management import call_command

from homeward.access.models import Membership
from homeward.access.roles import Role
from homeward.people.models import Person


def read(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generate_writes_registrations_in_the_import_contract(gazetteer, tmp_path):
    call_command("generate", people=500, seed=3, output=tmp_path, stdout=StringIO())
    rows = read(tmp_path / "migration-service.csv")
    assert len(rows) == 500
    assert {
        "source",
        "record_id",
        "given_name",
        "family_name",
        "patronymic",
        "sex",
        "birth_date",
        "origin",
        "phone",
        "household_ref",
        "shelter",
        "vulnerabilities",
    } <= set(rows[0])
    scripts = {"armenian": 0, "cyrillic": 0, "latin": 0}
    for row in rows:
        first = row["family_name"][0]
        key = (
            "armenian"
            if "\u0531" <= first <= "\u058f"
            else "cyrillic"
            if "\u0400" <= first <= "\u04ff"
            else "latin"
        )
        scripts[key] += 1
    assert all(count > 50 for count in scripts.values()), scripts


def test_generate_with_sources_writes_one_file_per_body_and_the_truth(gazetteer, tmp_path):
    call_command("generate", people=300, seed=3, sources=3, output=tmp_path, stdout=StringIO())
    truth = read(tmp_path / "truth.csv")
    bodies = {row["source"] for row in truth}
    assert len(bodies) == 3
    for body in bodies:
        assert len(read(tmp_path / f"{body}.csv")) == sum(
            1 for row in truth if row["source"] == body
        )
    # The same people, registered more than once.
    assert len({row["person_id"] for row in truth}) == 300 < len(truth)


def test_the_same_seed_gives_the_same_population(gazetteer, tmp_path):
    call_command("generate", people=200, seed=9, output=tmp_path / "a", stdout=StringIO())
    call_command("generate", people=200, seed=9, output=tmp_path / "b", stdout=StringIO())
    assert (tmp_path / "a" / "migration-service.csv").read_bytes() == (
        tmp_path / "b" / "migration-service.csv"
    ).read_bytes()


def test_demo_setup_loads_people_and_one_account_per_role(db):
    out = StringIO()
    call_command("demo-setup", people=400, seed=1, stdout=out)
    assert Person.objects.filter(source="migration-service").count() == 400
    # and the ICRC's records of some of them, for the deduplication run to find
    assert 0 < Person.objects.filter(source="icrc").count() <= 60
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    printed = out.getvalue()
    assert "homeward-demo-2026" in printed
    for username in (
        "caseworker",
        "planner",
        "clearance",
        "checkpoint",
        "monitor",
        "property",
        "community",
        "dpo",
    ):
        assert f"  {username} " in printed


def test_the_demo_has_visits_planned_and_a_convoy_leaving_today(db):
    from django.utils import timezone

    from homeward.access.models import SharingAgreement
    from homeward.visits.models import Convoy, Traveller, VisitRequest

    out = StringIO()
    call_command("demo-setup", people=400, seed=1, stdout=out)
    assert VisitRequest.objects.filter(status=VisitRequest.Status.PLANNED).exists()
    today = Convoy.objects.get(date=timezone.localdate(), number=1)
    assert Traveller.objects.filter(
        request__convoy=today, clearance=Traveller.Clearance.CLEARED
    ).exists()
    assert SharingAgreement.objects.get(purpose="visit_clearance").approved
    assert "lower bound" in out.getvalue()


def test_the_demo_has_a_survey_round_guarantees_in_every_status_and_questions(db):
    from homeward.people.models import Household
    from homeward.returns.models import Guarantee, Intention, Question

    call_command("demo-setup", people=400, seed=1, stdout=StringIO())
    households = Household.objects.filter(organisation__slug="migration-service").count()
    answered = Intention.objects.values("household").distinct().count()
    assert 0.35 * households <= answered <= 0.45 * households
    assert set(Guarantee.objects.values_list("status", flat=True)) == set(Guarantee.Status.values)
    statuses = set(Question.objects.values_list("status", flat=True))
    assert statuses == {Question.Status.OPEN, Question.Status.ANSWERED}
