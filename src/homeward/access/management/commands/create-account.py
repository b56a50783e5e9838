import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from homeward.access import services
from homeward.access.models import Organisation
from homeward.access.roles import Role, forbidden_role_message, may_hold
from homeward.people.validation import FieldProblem


class Command(BaseCommand):
    help = "Create a staff account in an organisation with one role (creating the organisation if asked)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--create-organisation",
            metavar="NAME",
            help="create the organisation with this name if it does not exist",
        )
        parser.add_argument(
            "--kind", default=Organisation.Kind.NGO, choices=Organisation.Kind.values
        )

    def handle(
        self, *args, username, organisation, role, create_organisation: str | None, kind, **options
    ):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None and not create_organisation:
            raise CommandError(f"no organisation {organisation!r}; add --create-organisation NAME")
        # Before the password is asked and before any organisation is made: nothing is left
        # half-done by an account that cannot exist.
        org_kind = org.kind if org is not None else kind
        if not may_hold(org_kind, role):
            raise CommandError(f"{organisation}: {forbidden_role_message(org_kind, role)}")
        password = getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            if org is None:
                org = services.create_organisation(
                    slug=organisation, name=create_organisation, kind=kind
                )
            try:
                services.create_staff_account(
                    username=username, password=password, organisation=org, role=role
                )
            except (FieldProblem, ValidationError) as problem:
                raise CommandError(str(problem)) from None
        self.stdout.write(f"{username}: {Role(role).label} at {org.name}")
