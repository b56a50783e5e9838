import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from homeward.access.models import Membership, Organisation
from homeward.access.roles import Role
from homeward.access.services import create_organisation, create_staff_account

DEMO_PASSWORD = "homeward-demo-2026"  # noqa: S105 - synthetic demo only, printed on purpose
DEMO_ORGANISATIONS = [
    ("migration-service", "Migration Service (host country)", Organisation.Kind.HOST_GOVERNMENT),
    ("unhcr", "UN refugee agency", Organisation.Kind.UN_AGENCY),
    ("icrc", "Red Cross delegation", Organisation.Kind.RED_CROSS),
    ("return-authority", "Authorities of the area of return", Organisation.Kind.HOME_AUTHORITY),
    ("monitoring-mission", "UN monitoring mission", Organisation.Kind.MONITORING),
    ("claims-commission", "Property claims commission", Organisation.Kind.CLAIMS_BODY),
    ("community-council", "Community council", Organisation.Kind.COMMUNITY),
]
DEMO_ACCOUNTS = [
    ("caseworker", "migration-service", Role.CASEWORKER),
    # The Migration Service registers the households and runs their visits: its planner plans
    # the convoys and its checkpoint officers check travellers out and in.
    ("planner", "migration-service", Role.PLANNER),
    ("clearance", "return-authority", Role.CLEARANCE_OFFICER),
    ("checkpoint", "migration-service", Role.CHECKPOINT_OFFICER),
    ("monitor", "monitoring-mission", Role.MONITOR),
    ("property", "claims-commission", Role.PROPERTY_OFFICER),
    ("community", "community-council", Role.COMMUNITY_REPRESENTATIVE),
    ("dpo", "migration-service", Role.DATA_PROTECTION_OFFICER),
    ("dpo-authority", "return-authority", Role.DATA_PROTECTION_OFFICER),
    ("caseworker-unhcr", "unhcr", Role.CASEWORKER),
]


class Command(BaseCommand):
    help = "Prepare the demo: migrate, load the gazetteer, create demo accounts, import a synthetic population."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=30000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, people: int, seed: int, **options):
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load-gazetteer", stdout=self.stdout)
        for slug, name, kind in DEMO_ORGANISATIONS:
            if not Organisation.objects.filter(slug=slug).exists():
                create_organisation(slug=slug, name=name, kind=kind)
        for username, organisation, role in DEMO_ACCOUNTS:
            if not Membership.objects.filter(user__username=username).exists():
                create_staff_account(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    organisation=Organisation.objects.get(slug=organisation),
                )
        with tempfile.TemporaryDirectory() as folder:
            call_command(
                "generate", people=people, seed=seed, output=Path(folder), stdout=self.stdout
            )
            call_command(
                "import-registrations",
                Path(folder) / "migration-service.csv",
                source="migration-service",
                stdout=self.stdout,
            )
        if people:
            from homeward.visits.demo import seed_demo_visits

            visits = seed_demo_visits(requests=min(400, people // 20), seed=seed)
            self.stdout.write(
                f"Visits: {visits['served_requests']} requests on {visits['convoys']} convoys; "
                f"waiting cost {visits['cost']}, lower bound {visits['bound']}; "
                f"convoy {visits['crossing_today']} leaves today."
            )
        if people:
            from homeward.duplicates.demo import import_shared_register

            shared = import_shared_register(
                organisation="migration-service", people=people, seed=seed, share=0.1
            )
            self.stdout.write(
                f"Duplicates to find: {shared} ICRC records of people already registered "
                "(Duplicates page, 'Run deduplication now')."
            )
        if people:
            from django.contrib.auth import get_user_model

            from homeward.access.caller import caller_for
            from homeward.returns.demo import seed_demo_returns

            planner = caller_for(get_user_model().objects.get(username="planner"))
            survey = seed_demo_returns(
                organisation="migration-service", planner=planner, share=0.4, seed=seed
            )
            self.stdout.write(
                f"Return: {survey['guarantees']} guarantees in every status; "
                f"{survey['answered']} of {survey['households']} households answered the "
                "intention survey ('Who would return')."
            )
        self.stdout.write(f"\nReady in {time.monotonic() - started:.0f} s. Synthetic data only.")
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/ with any of these (password {DEMO_PASSWORD}):"
        )
        for username, organisation, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {Role(role).label:<26} {organisation}")
        self.stdout.write(
            "Every account then asks for a code from an authenticator app: scan the key shown at the\n"
            "first sign-in with any TOTP app, or, in the demo only, print the current code with\n"
            "  HOMEWARD_DEBUG=1 HOMEWARD_DATABASE_URL=sqlite:///var/demo.sqlite3 "
            ".venv/bin/homeward demo-code USERNAME"
        )
