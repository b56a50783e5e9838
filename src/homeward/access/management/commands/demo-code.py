from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Demo only (HOMEWARD_DEBUG=1): print the current authenticator code of an account, for "
        "trying Homeward without an authenticator app. Sign in once first: the key is made then."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo-code works only in the demo (HOMEWARD_DEBUG=1)")
        device = (
            TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-id").first()
        )
        if device is None:
            raise CommandError(
                f"{username!r} has no authenticator yet: sign in with the password first"
            )
        self.stdout.write(
            f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"
        )
