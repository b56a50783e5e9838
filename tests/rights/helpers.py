"""Accounts and a registered family shared by the people's-rights tests (synthetic data)."""

from homeward.access.caller import Caller, caller_for
from homeward.access.roles import Role
from homeward.access.services import create_staff_account
from homeward.people import services
from homeward.people.models import Person
from tests.clients import PASSWORD


def account(organisation, role: str, username: str) -> Caller:
    return caller_for(
        create_staff_account(
            username=username, password=PASSWORD, organisation=organisation, role=role
        ).user
    )


def dpo_of(organisation, username: str = "dpo") -> Caller:
    return account(organisation, Role.DATA_PROTECTION_OFFICER, username)


def family(caller: Caller, *, members=("Ani",), phone="+374 97 123456") -> list[Person]:
    from homeward.places.models import Settlement, Shelter

    household = services.register_household(
        caller=caller,
        origin_settlement=Settlement.objects.get(slug="stepanakert"),
        origin_address="12 Tumanyan St.",
        shelter=Shelter.objects.filter(site__region__slug="syunik").first(),
        host_address="Goris, 5 Mashtots St.",
        phone=phone,
    )
    return [
        services.add_person(
            caller=caller,
            household=household,
            given_name=name,
            family_name="Sargsyan",
            patronymic="Aramovna",
            sex="F",
            birth_date="1980-02-03",
            vulnerabilities=["disability"],
        )
        for name in members
    ]
