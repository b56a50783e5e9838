"""Clients signed in as a test caller, through the session or through an API token."""

from django.test import Client

from homeward.access.caller import Caller
from homeward.access.services import issue_api_token

PASSWORD = "correct horse battery staple"


def client_for(caller: Caller) -> Client:
    client = Client()
    client.force_login(caller.user)
    return client


def token_client_for(caller: Caller) -> Client:
    token = issue_api_token(user=caller.user, name="test")
    return Client(headers={"Authorization": f"Bearer {token}"})
