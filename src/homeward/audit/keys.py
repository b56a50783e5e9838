"""The audit chain's keys, from the environment (HOMEWARD_AUDIT_KEYS), never from the database.

Each row's hash is an HMAC under one of these keys, and the row records which (`key_id`).
Rotation: put a new key first and keep the old ones listed; new rows are keyed with the new
one, old rows still verify under theirs. Verification refuses a row keyed with an older key
than the row before it, so a retired key that leaked cannot be used to rewrite the chain's
end: rewriting any row means rewriting every row after it, down to rows under the new key.
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from homeward.encryption import parse_keyring


@cache
def audit_keys() -> tuple[tuple[str, bytes], ...]:
    """(key id, key) pairs, the current key first."""
    return parse_keyring("HOMEWARD_AUDIT_KEYS", settings.HOMEWARD_AUDIT_KEYS)


def current_audit_key() -> tuple[str, bytes]:
    return audit_keys()[0]


@receiver(setting_changed)
def _forget_keys(setting: str, **kwargs) -> None:
    if setting == "HOMEWARD_AUDIT_KEYS":
        audit_keys.cache_clear()
