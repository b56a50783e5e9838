from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from homeward.access.services import issue_api_token


class Command(BaseCommand):
    help = "Issue a bearer token for a machine client acting as an existing staff account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'kobo sync'")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account {username!r}")
        token = issue_api_token(user=user, name=name)
        self.stdout.write("Keep this token secret; it is shown only once:")
        self.stdout.write(token)
