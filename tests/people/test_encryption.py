import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from homeward.encryption import lookup_hash
from homeward.people import selectors, services
from homeward.people.models import Household, Person
from tests.clients import client_for, token_client_for

NEW_KEY = "k2:" + base64.b64encode(b"n" * 32).decode()
OLD_KEY = "demo:ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLTMyYnl0ZXM="


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def household(alice, gazetteer):
    household = services.register_household(caller=alice, phone="+374 97 123456")
    services.add_person(
        caller=alice,
        household=household,
        given_name="Ani",
        family_name="Sargsyan",
        vulnerabilities=["disability", "pregnancy"],
    )
    return household


def test_phone_and_vulnerabilities_are_not_in_the_database_in_clear(household):
    person = household.persons.get()
    stored_phone = raw("people_household", "phone", household.pk)
    stored_vulnerabilities = raw("people_person", "vulnerabilities", person.pk)
    assert "123456" not in stored_phone and stored_phone.startswith("hw1:demo:")
    assert "disability" not in stored_vulnerabilities
    household.refresh_from_db()
    person.refresh_from_db()
    assert household.phone == "+374 97 123456"
    assert person.vulnerabilities == ["disability", "pregnancy"]


def test_a_tampered_or_moved_value_does_not_open(household):
    person = household.persons.get()
    sealed = raw("people_household", "phone", household.pk)
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    Household.objects.filter(pk=household.pk).update(phone=tampered)
    with pytest.raises(ValueError, match="failed authentication"):
        Household.objects.get(pk=household.pk)
    # A phone's ciphertext pasted into the vulnerabilities column does not open either.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET vulnerabilities = %s WHERE id = %s", [sealed, person.pk]
        )
    with pytest.raises(ValueError):
        Person.objects.get(pk=person.pk)


def test_an_exact_phone_finds_the_household_in_any_format(alice, household):
    assert household.phone_lookup == lookup_hash("+37497123456")
    found = [r.person.household for r in selectors.search_persons(alice, "097-12-34-56").results]
    assert found == [household]


def test_phone_search_is_for_roles_that_may_see_phones(bob, household):
    assert selectors.search_persons(bob, "097123456").results == []


def test_roles_that_need_no_phone_or_vulnerabilities_do_not_see_them(alice, bob, household):
    mine = token_client_for(alice).get(f"/api/v1/households/{household.reference}").json()
    assert mine["phone"] == "+374 97 123456" and mine["persons"][0]["vulnerabilities"] == [
        "disability",
        "pregnancy",
    ]
    planner = token_client_for(bob).get(f"/api/v1/households/{household.reference}").json()
    assert planner["phone"] is None and planner["persons"][0]["vulnerabilities"] is None
    page = client_for(bob).get(f"/households/{household.reference}/").content.decode()
    assert "123456" not in page and "Disability" not in page
    assert "123456" in client_for(alice).get(f"/households/{household.reference}/").content.decode()


def test_keys_rotate_without_losing_anything(household):
    person = household.persons.get()
    with override_settings(HOMEWARD_FIELD_KEYS=f"{NEW_KEY},{OLD_KEY}"):
        out = StringIO()
        call_command("rotate-keys", stdout=out)
        assert "re-sealed under key 'k2'" in out.getvalue()
        assert raw("people_household", "phone", household.pk).startswith("hw1:k2:")
        assert raw("people_person", "vulnerabilities", person.pk).startswith("hw1:k2:")
    # The old key can now go.
    with override_settings(HOMEWARD_FIELD_KEYS=NEW_KEY):
        household.refresh_from_db()
        person.refresh_from_db()
        assert household.phone == "+374 97 123456"
        assert person.vulnerabilities == ["disability", "pregnancy"]


def test_a_new_lookup_key_recomputes_the_phone_hashes(alice, household):
    new_lookup = base64.b64encode(b"L" * 32).decode()
    with override_settings(HOMEWARD_LOOKUP_KEY=new_lookup):
        call_command("rotate-keys", "--lookup", stdout=StringIO())
        household.refresh_from_db()
        assert household.phone_lookup == lookup_hash("+37497123456")
        assert [
            r.person.household for r in selectors.search_persons(alice, "+37497123456").results
        ] == [household]


def test_imported_vulnerabilities_are_sealed_too(migration_service, gazetteer, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "source,record_id,given_name,family_name,patronymic,sex,birth_date,origin,phone,vulnerabilities\n"
        "ms,1,Ani,Sargsyan,,F,1950,,097123456,older_person;chronic_illness\n",
        encoding="utf-8",
    )
    call_command(
        "import-registrations",
        str(path),
        "--source",
        "ms",
        "--organisation",
        "migration-service",
        verbosity=0,
    )
    person = Person.objects.get()
    assert person.vulnerabilities == ["older_person", "chronic_illness"]
    assert "older" not in raw("people_person", "vulnerabilities", person.pk)
    assert "097" not in raw("people_household", "phone", person.household_id)


def test_reads_of_sensitive_records_are_logged(alice, bob, household):
    from homeward.audit.models import AuditEvent

    def reads():
        return list(
            AuditEvent.objects.filter(action="people.sensitive.read").values_list(
                "actor_name", "details"
            )
        )

    client_for(alice).get(f"/households/{household.reference}/")
    token_client_for(alice).get(f"/api/v1/households/{household.reference}")
    assert reads() == [
        ("alice", {"households": [household.reference], "channel": "web"}),
        ("alice", {"households": [household.reference], "channel": "api"}),
    ]
    # A planner is shown neither phone nor vulnerabilities: nothing sensitive was read.
    client_for(bob).get(f"/households/{household.reference}/")
    assert len(reads()) == 2
