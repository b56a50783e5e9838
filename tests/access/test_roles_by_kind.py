"""Which roles an organisation may hold depends on its kind (access/roles.py, KIND_ROLES).

The authority of the area of return holds clearance officers and its data protection officer:
nothing that reads more than the clearance minimum. The rule holds in the service, the
`create-account` command and the admin.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from homeward.access.models import Membership, Organisation
from homeward.access.roles import KIND_ROLES, Role, may_hold
from homeward.access.services import create_organisation, create_staff_account
from homeward.audit.models import AuditEvent
from homeward.people.validation import FieldProblem
from tests.clients import PASSWORD, verified_client

User = get_user_model()


@pytest.fixture
def authority(db):
    return create_organisation(
        slug="return-authority", name="Return Authority", kind=Organisation.Kind.HOME_AUTHORITY
    )


def test_every_kind_has_its_roles_and_every_role_a_kind():
    assert set(KIND_ROLES) == set(Organisation.Kind.values)
    assert set().union(*KIND_ROLES.values()) == set(Role.values)
    for kind in Organisation.Kind.values:
        assert may_hold(kind, Role.DATA_PROTECTION_OFFICER)


def test_the_authority_of_the_area_of_return_holds_clearance_officers_and_its_dpo_only():
    assert KIND_ROLES[Organisation.Kind.HOME_AUTHORITY] == {
        Role.CLEARANCE_OFFICER,
        Role.DATA_PROTECTION_OFFICER,
    }
    # Nobody else clears: clearance is the authority's alone.
    assert [k for k in Organisation.Kind.values if may_hold(k, Role.CLEARANCE_OFFICER)] == [
        Organisation.Kind.HOME_AUTHORITY
    ]


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.PLANNER, Role.CHECKPOINT_OFFICER, Role.MONITOR]
)
def test_the_service_refuses_a_role_the_kind_may_not_hold_and_creates_nothing(authority, role):
    with pytest.raises(FieldProblem) as problem:
        create_staff_account(
            username="intruder", password=PASSWORD, organisation=authority, role=role
        )
    assert problem.value.field == "role"
    assert "Authority of the area of return" in problem.value.message
    assert "Clearance officer" in problem.value.message
    assert not User.objects.filter(username="intruder").exists()
    assert not AuditEvent.objects.filter(action="access.account.create").exists()


def test_the_service_creates_the_roles_the_kind_may_hold(authority):
    for role in (Role.CLEARANCE_OFFICER, Role.DATA_PROTECTION_OFFICER):
        membership = create_staff_account(
            username=f"ok-{role}", password=PASSWORD, organisation=authority, role=role
        )
        assert membership.role == role


def test_a_membership_with_a_forbidden_role_fails_validation(authority):
    # What any model form (the admin's included) runs before it saves.
    user = User.objects.create_user(username="bypass", password=PASSWORD)
    membership = Membership(user=user, organisation=authority, role=Role.CASEWORKER)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "role" in error.value.message_dict


def test_an_organisation_cannot_change_to_a_kind_its_members_may_not_hold(authority):
    ngo = create_organisation(slug="ngo", name="NGO", kind=Organisation.Kind.NGO)
    create_staff_account(username="cw", password=PASSWORD, organisation=ngo, role=Role.CASEWORKER)
    ngo.kind = Organisation.Kind.HOME_AUTHORITY
    with pytest.raises(ValidationError) as error:
        ngo.full_clean()
    assert "kind" in error.value.message_dict


def test_the_command_refuses_a_forbidden_role_before_asking_the_password(authority, monkeypatch):
    def no_password(prompt=""):
        raise AssertionError("asked for a password for an account it cannot create")

    monkeypatch.setattr("getpass.getpass", no_password)
    with pytest.raises(CommandError, match="Authority of the area of return") as error:
        call_command(
            "create-account",
            "intruder",
            organisation="return-authority",
            role="caseworker",
            stdout=io.StringIO(),
        )
    assert "Clearance officer" in str(error.value)
    assert not User.objects.filter(username="intruder").exists()


def test_the_command_does_not_create_an_organisation_for_a_role_it_cannot_hold(db, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    with pytest.raises(CommandError, match="Monitoring mission"):
        call_command(
            "create-account",
            "planner",
            organisation="mission",
            role="planner",
            create_organisation="Mission",
            kind="monitoring",
            stdout=io.StringIO(),
        )
    assert not Organisation.objects.filter(slug="mission").exists()
    call_command(
        "create-account",
        "monitor",
        organisation="mission",
        role="monitor",
        create_organisation="Mission",
        kind="monitoring",
        stdout=io.StringIO(),
    )
    assert Membership.objects.get(user__username="monitor").organisation.slug == "mission"


def test_the_admin_grants_no_role_at_all(authority):
    superuser = User.objects.create_superuser(username="root", password=PASSWORD)
    create_staff_account(
        username="olga", password=PASSWORD, organisation=authority, role=Role.CLEARANCE_OFFICER
    )
    olga = Membership.objects.get(user__username="olga")
    client = verified_client(superuser)
    assert client.get("/admin/access/membership/").status_code == 200
    added = client.post(
        "/admin/access/membership/add/",
        {"user": superuser.pk, "organisation": authority.pk, "role": Role.CASEWORKER},
    )
    changed = client.post(
        f"/admin/access/membership/{olga.pk}/change/",
        {"user": olga.user_id, "organisation": authority.pk, "role": Role.CASEWORKER},
    )
    kind = client.post(
        f"/admin/access/organisation/{authority.pk}/change/",
        {"slug": authority.slug, "name": authority.name, "kind": Organisation.Kind.NGO},
    )
    assert (added.status_code, changed.status_code, kind.status_code) == (403, 403, 403)
    assert list(Membership.objects.values_list("role", flat=True)) == [Role.CLEARANCE_OFFICER]
    authority.refresh_from_db()
    assert authority.kind == Organisation.Kind.HOME_AUTHORITY
    # And no other admin page holds a membership inline.
    from django.contrib import admin

    for model_admin in admin.site._registry.values():
        assert all(inline.model is not Membership for inline in model_admin.inlines)


def test_the_data_protection_document_lists_the_roles_of_each_kind():
    from django.conf import settings

    document = (settings.PROJECT_DIR / "docs" / "data-protection.md").read_text(encoding="utf-8")
    row = next(
        line for line in document.splitlines() if line.startswith("| Authority of the area of")
    )
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "Authority of the area of return"
    assert set(cells[1].split(", ")) == {"Clearance officer", "Data protection officer"}


def test_a_command_acts_as_a_caseworker_only_where_the_kind_may_hold_one(authority):
    from homeward.access.caller import command_line_caller

    with pytest.raises(LookupError, match="Authority of the area of return"):
        command_line_caller("return-authority")
    ngo = create_organisation(slug="ngo", name="NGO", kind=Organisation.Kind.NGO)
    assert command_line_caller("ngo").organisation == ngo
