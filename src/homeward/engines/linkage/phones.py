"""Phone numbers in one international form: "+" and digits, Armenia (+374) by default."""

from __future__ import annotations

import re

__all__ = ["PhoneError", "normalise_phone"]

ARMENIA = "374"
_ARMENIAN_NATIONAL_DIGITS = 8
_RUSSIAN_NATIONAL_DIGITS = 10
_MIN_DIGITS = 8
_MAX_DIGITS = 15  # ITU-T E.164

# Separators people write between groups of digits.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()/]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGITS = re.compile(r"\+?[0-9]+", re.ASCII)


class PhoneError(ValueError):
    """A phone number that cannot be read; the message says why."""


def normalise_phone(text: str) -> str:
    """The number as "+" and digits: "(097) 12-34-56" -> "+37497123456".

    Without a country code the number is Armenian: 0 and 8 digits (the way it is dialled in
    Armenia) or the 8 digits alone. "00" is read as "+"; 374 and 8 digits is Armenian; 8 and 10
    digits is a Russian number dialled from Russia. Other numbers need their country code.
    Blank text gives "". Raises ``PhoneError`` for letters, for other characters that are not
    separators, and for digit counts no phone number has.
    """
    cleaned = text.strip()
    if not cleaned:
        return ""
    if _LETTER.search(cleaned):
        raise PhoneError(f"{cleaned!r} contains letters; a phone number has only digits")
    compact = _SEPARATORS.sub("", cleaned)
    if not _DIGITS.fullmatch(compact):
        raise PhoneError(
            f"{cleaned!r} contains characters other than digits, spaces, dashes, dots, "
            "parentheses and a leading +"
        )

    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    else:
        digits = _with_country_code(compact)

    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        raise PhoneError(
            f"{cleaned!r} has {len(digits)} digits; a phone number has {_MIN_DIGITS} to "
            f"{_MAX_DIGITS} with its country code"
        )
    if digits.startswith(ARMENIA) and len(digits) != len(ARMENIA) + _ARMENIAN_NATIONAL_DIGITS:
        raise PhoneError(
            f"{cleaned!r} is not an Armenian number: +374 is followed by "
            f"{_ARMENIAN_NATIONAL_DIGITS} digits"
        )
    if digits.startswith("7") and len(digits) != 1 + _RUSSIAN_NATIONAL_DIGITS:
        raise PhoneError(
            f"{cleaned!r} is not a Russian number: +7 is followed by "
            f"{_RUSSIAN_NATIONAL_DIGITS} digits"
        )
    return "+" + digits


def _with_country_code(digits: str) -> str:
    """Digits written without "+" or "00", with the country code they imply."""
    if digits.startswith("0"):
        if len(digits) == 1 + _ARMENIAN_NATIONAL_DIGITS:
            return ARMENIA + digits[1:]
        raise PhoneError(
            f"{digits!r} starts with 0, so it is dialled within Armenia and needs "
            f"{_ARMENIAN_NATIONAL_DIGITS} digits after the 0"
        )
    if len(digits) == _ARMENIAN_NATIONAL_DIGITS:
        return ARMENIA + digits
    if digits.startswith("8") and len(digits) == 1 + _RUSSIAN_NATIONAL_DIGITS:
        return "7" + digits[1:]
    return digits
