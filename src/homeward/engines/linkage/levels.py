"""What each comparison level says to a reviewer: agrees, close, differs or unknown.

Only exact agreement earns a tick. A level that forgives a difference (one letter apart,
similar, the same year but another day) is what relatives look like too: siblings'
given names are often "similar", twins' dates "the same day", and a reviewer shown a tick
for Arpi against Arpa reads "same", which the level does not say. Kept free of pandas and
Splink so that the app can read it on every request.
"""

from __future__ import annotations

__all__ = ["AGREES", "CLOSE", "DIFFERS", "UNKNOWN", "level_verdict"]

AGREES, CLOSE, DIFFERS, UNKNOWN = "agrees", "close", "differs", "unknown"

_VERDICTS: dict[str, str] = {
    "same spelling": AGREES,
    "same name, other spelling": AGREES,
    "same father": AGREES,
    "same day": AGREES,
    "same": AGREES,
    "same name but its first sound": CLOSE,
    "equivalent name": CLOSE,
    "one letter apart": CLOSE,
    "similar": CLOSE,
    "day and month swapped": CLOSE,
    "same month": CLOSE,
    "same year": CLOSE,
    "year one apart, same day and month": CLOSE,
    "one digit apart": CLOSE,
    "somewhat similar": DIFFERS,
    "same year, other day": DIFFERS,
    "different": DIFFERS,
}


def level_verdict(label: str) -> str:
    """``agrees``, ``close``, ``differs`` or ``unknown`` for a level label of the model."""
    if not label or label == "unknown":
        return UNKNOWN
    return _VERDICTS.get(label, CLOSE)
