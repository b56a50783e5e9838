import datetime

from django.utils import timezone

from homeward.access import sharing
from homeward.access.caller import caller_for
from homeward.access.roles import Role
from homeward.access.services import create_staff_account
from homeward.people import services
from tests.clients import PASSWORD, token_client_for


def test_a_dpo_exports_everything_held_and_with_whom_it_was_shared(
    alice, migration_service, other_organisation, gazetteer
):
    dpo = caller_for(
        create_staff_account(
            username="dpo",
            password=PASSWORD,
            organisation=migration_service,
            role=Role.DATA_PROTECTION_OFFICER,
        ).user
    )
    other_dpo = caller_for(
        create_staff_account(
            username="other-dpo",
            password=PASSWORD,
            organisation=other_organisation,
            role=Role.DATA_PROTECTION_OFFICER,
        ).user
    )
    planner = caller_for(
        create_staff_account(
            username="other-planner",
            password=PASSWORD,
            organisation=other_organisation,
            role=Role.PLANNER,
        ).user
    )
    household = services.register_household(caller=alice, phone="+374 97 123456")
    ani = services.add_person(
        caller=alice,
        household=household,
        given_name="Ani",
        family_name="Sargsyan",
        vulnerabilities=["disability"],
    )
    services.update_person(caller=alice, person=ani, patronymic="Aramovna", reason="passport")
    today = timezone.localdate()
    agreement = sharing.propose_agreement(
        caller=dpo,
        recipient=other_organisation,
        purpose="visit_planning",
        fields=["given_name"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )
    sharing.approve_agreement(caller=other_dpo, agreement=agreement)
    sharing.record_consent(
        caller=alice, person=ani, purpose="visit_planning", given=True, method="written"
    )
    sharing.shared_with(planner, "visit_planning")

    export = token_client_for(dpo).get(f"/api/v1/persons/{ani.pk}/everything").json()
    assert export["person"]["patronymic"] == "Aramovna"
    assert export["person"]["vulnerabilities"] == ["disability"]
    assert export["household"]["phone"] == "+374 97 123456"
    assert [c["purpose"] for c in export["consents"]] == ["visit_planning"]
    assert [s["to"] for s in export["shared_with"]] == ["other-ngo"]
    assert any(
        h["action"] == "people.person.update" and h["reason"] == "passport"
        for h in export["history"]
    )

    assert (
        token_client_for(other_dpo).get(f"/api/v1/persons/{ani.pk}/everything").status_code == 404
    )
    assert token_client_for(alice).get(f"/api/v1/persons/{ani.pk}/everything").status_code == 403
