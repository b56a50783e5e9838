"""Clients signed in as a test caller, through the session or through an API token."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.access.caller import Caller
from homeward.access.services import issue_api_token

PASSWORD = "correct horse battery staple"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def verified_client(user) -> Client:
    """A browser session past both sign-in steps (password and authenticator code)."""
    client = Client()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def client_for(caller: Caller) -> Client:
    return verified_client(caller.user)


def token_client_for(caller: Caller) -> Client:
    token = issue_api_token(user=caller.user, name="test")
    return Client(headers={"Authorization": f"Bearer {token}"})
