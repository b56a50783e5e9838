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
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGITS = re.compile(r"\+?[0-9]+", re.ASCII)


# Messages as templates, so that the application can show them translated.
HAS_LETTERS = "'%(value)s' contains letters; a phone number has only digits"
BAD_CHARACTERS = (
    "'%(value)s' contains characters other than digits, spaces, dashes, dots, "
    "parentheses and a leading +"
)
DIGIT_COUNT = "'%(value)s' has %(count)s digits; a phone number has 8 to 15 with its country code"
NOT_ARMENIAN = "'%(value)s' is not an Armenian number: +374 is followed by 8 digits"
NOT_RUSSIAN = "'%(value)s' is not a Russian number: +7 is followed by 10 digits"
LEADING_ZERO = (
    "'%(value)s' starts with 0, so it is an Armenian number and needs 8 digits after the 0, "
    "not %(count)s"
)
MESSAGES = (HAS_LETTERS, BAD_CHARACTERS, DIGIT_COUNT, NOT_ARMENIAN, NOT_RUSSIAN, LEADING_ZERO)


class PhoneError(ValueError):
    """A phone number that cannot be read; the message says why."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


def normalise_phone(text: str) -> str:
    """The number as "+" and digits: "(097) 12-34-56" -> "+37497123456".

    Without a country code the number is Armenian: 0 and 8 digits (the way it is dialled in
    Armenia) or the 8 digits alone. "00" is read as "+"; 374 and 8 digits is Armenian; 8 and 10
    digits is a Russian number dialled from Russia. Other numbers of 9 to 15 digits are read
    as international numbers written without their "+".
    Blank text gives "". Raises ``PhoneError`` for letters, for other characters that are not
    separators, and for digit counts no phone number has.
    """
    cleaned = text.strip()
    if not cleaned:
        return ""
    if _LETTER.search(cleaned):
        raise PhoneError(HAS_LETTERS, value=cleaned)
    compact = _SEPARATORS.sub("", cleaned)
    if not _DIGITS.fullmatch(compact):
        raise PhoneError(BAD_CHARACTERS, value=cleaned)

    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    else:
        digits = _with_country_code(compact, cleaned)

    if not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
        raise PhoneError(DIGIT_COUNT, value=cleaned, count=len(digits))
    if digits.startswith(ARMENIA) and len(digits) != len(ARMENIA) + _ARMENIAN_NATIONAL_DIGITS:
        raise PhoneError(NOT_ARMENIAN, value=cleaned)
    if digits.startswith("7") and len(digits) != 1 + _RUSSIAN_NATIONAL_DIGITS:
        raise PhoneError(NOT_RUSSIAN, value=cleaned)
    return "+" + digits


def _with_country_code(digits: str, written: str) -> str:
    """Digits written without "+" or "00", with the country code they imply."""
    if digits.startswith("0"):
        if len(digits) == 1 + _ARMENIAN_NATIONAL_DIGITS:
            return ARMENIA + digits[1:]
        raise PhoneError(LEADING_ZERO, value=written, count=len(digits) - 1)
    if len(digits) == _ARMENIAN_NATIONAL_DIGITS:
        return ARMENIA + digits
    if digits.startswith("8") and len(digits) == 1 + _RUSSIAN_NATIONAL_DIGITS:
        return "7" + digits[1:]
    return digits
