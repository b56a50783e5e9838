"""Sensitive fields encrypted at rest, and keyed hashes for exact look-up.

A stolen database dump (or backup) must not give away phone numbers, document numbers,
vulnerabilities or concerns. Each value is sealed with AES-256-GCM (authenticated: a changed
byte fails to open) under a key from the environment; the field's identity is the associated
data, so a ciphertext moved into another column does not open either. Keys rotate: values
sealed under an older key still open while it is listed, and `homeward rotate-keys` re-seals
them under the current one.

Settings:
- HOMEWARD_FIELD_KEYS: "id:base64key,id:base64key" — the first is current (32-byte keys).
- HOMEWARD_LOOKUP_KEY: base64 32 bytes, for the HMAC that makes exact look-up possible.
Outside production, fixed demonstration keys are used (the demo holds synthetic data only).
"""

import base64
import hashlib
import hmac
import json
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

PREFIX = "hw1"


def parse_keyring(name: str, configured: str) -> tuple[tuple[str, bytes], ...]:
    """ "id:base64,id:base64" — 32-byte keys, the current one first — as (id, raw key) pairs.

    Shared by the field keys and the audit chain's keys (homeward/audit/keys.py).
    """
    keys = []
    for item in filter(None, (part.strip() for part in configured.split(","))):
        key_id, _, encoded = item.partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raw = b""
        if not key_id or len(raw) != 32:
            raise ImproperlyConfigured(f"{name}: each entry is id:base64 of 32 bytes")
        keys.append((key_id, raw))
    if not keys:
        raise ImproperlyConfigured(f"{name} is empty")
    if len({key_id for key_id, _raw in keys}) != len(keys):
        raise ImproperlyConfigured(f"{name}: a key id is listed twice")
    return tuple(keys)


@cache
def field_keys() -> tuple[tuple[str, AESGCM], ...]:
    keyring = parse_keyring("HOMEWARD_FIELD_KEYS", settings.HOMEWARD_FIELD_KEYS)
    return tuple((key_id, AESGCM(raw)) for key_id, raw in keyring)


@cache
def lookup_key() -> bytes:
    raw = base64.b64decode(settings.HOMEWARD_LOOKUP_KEY)
    if len(raw) != 32:
        raise ImproperlyConfigured("HOMEWARD_LOOKUP_KEY must be base64 of 32 bytes")
    return raw


def current_key_id() -> str:
    return field_keys()[0][0]


def seal(plaintext: str, context: str) -> str:
    key_id, aead = field_keys()[0]
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def open_sealed(value: str, context: str) -> str:
    prefix, key_id, encoded = value.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("not a sealed value")
    keys = dict(field_keys())
    if key_id not in keys:
        raise ImproperlyConfigured(f"value sealed under key {key_id!r}, which is not configured")
    blob = base64.b64decode(encoded)
    try:
        return keys[key_id].decrypt(blob[:12], blob[12:], context.encode()).decode()
    except InvalidTag:
        raise ValueError(f"sealed value for {context} failed authentication") from None


def sealed_key_id(value: str) -> str:
    return value.split(":", 2)[1]


def lookup_hash(normalised: str) -> str:
    """A keyed hash: equal inputs match, and without the key nothing can be guessed from it."""
    if not normalised:
        return ""
    return hmac.new(lookup_key(), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text sealed at rest; reads give the plain text back. Cannot be filtered on."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.context = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.empty_value()
        return self.decode(open_sealed(value, self.context))

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, str) and value.startswith(f"{PREFIX}:"):
            return value  # already sealed (re-saving an unchanged row after rotation)
        return seal(self.encode(value), self.context)

    def empty_value(self):
        return ""

    def encode(self, value) -> str:
        return str(value)

    def decode(self, text: str):
        return text


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (e.g. the list of vulnerabilities) sealed at rest."""

    def empty_value(self):
        return [] if callable(self.default) and isinstance(self.default(), list) else None

    def encode(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def decode(self, text: str):
        return json.loads(text)

    def to_python(self, value):
        return value

    def formfield(self, **kwargs):
        return None


@receiver(setting_changed)
def _forget_keys(setting: str, **kwargs) -> None:
    if setting in {"HOMEWARD_FIELD_KEYS", "HOMEWARD_LOOKUP_KEY"}:
        field_keys.cache_clear()
        lookup_key.cache_clear()
