"""Birth dates as registers write them: often only a year, sometimes a month, rarely a day."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = ["EARLIEST_BIRTH_YEAR", "BirthDate", "BirthDateError", "parse_birth_date"]

EARLIEST_BIRTH_YEAR = 1900

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)


# Messages as templates, so that the application can show them translated.
NEEDS_YEAR = "a birth month needs a year"
NEEDS_MONTH = "a birth day needs a month"
NOT_A_MONTH = "%(month)s is not a month"
NOT_A_REAL_DATE = "'%(value)s' is not a real date"
UNKNOWN_FORMAT = "'%(value)s' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"
TOO_EARLY = "%(value)s is before %(year)s"
IN_THE_FUTURE = "%(value)s is in the future"
MESSAGES = (
    NEEDS_YEAR,
    NEEDS_MONTH,
    NOT_A_MONTH,
    NOT_A_REAL_DATE,
    UNKNOWN_FORMAT,
    TOO_EARLY,
    IN_THE_FUTURE,
)


class BirthDateError(ValueError):
    """A birth date that cannot be read or cannot be true; the message says why."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)


@dataclass(frozen=True)
class BirthDate:
    """A birth date known to the day, the month, the year, or not at all."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and self.year is None:
            raise BirthDateError(NEEDS_YEAR)
        if self.day is not None and self.month is None:
            raise BirthDateError(NEEDS_MONTH)
        if self.month is not None and not 1 <= self.month <= 12:
            raise BirthDateError(NOT_A_MONTH, month=self.month)
        if self.year is not None and self.month is not None and self.day is not None:
            try:
                datetime.date(self.year, self.month, self.day)
            except ValueError:
                raise BirthDateError(NOT_A_REAL_DATE, value=self.isoformat()) from None

    @property
    def precision(self) -> str:
        """ "day", "month", "year" or "unknown": how much of the date is known."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.year is not None:
            return "year"
        return "unknown"

    def isoformat(self) -> str:
        """ "1954-03-07", "1954-03", "1954", or "" when unknown."""
        if self.year is None:
            return ""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


def parse_birth_date(text: str, *, today: datetime.date | None = None) -> BirthDate:
    """Read a birth date written as YYYY-MM-DD, YYYY-MM, YYYY or DD.MM.YYYY (also D.M.YYYY).

    Blank text is an unknown date. Raises ``BirthDateError`` for other formats, for dates
    that do not exist (31.02.1954), for years before 1900 and for dates after ``today``.
    """
    cleaned = text.strip()
    if not cleaned:
        return BirthDate()

    iso = _ISO.fullmatch(cleaned)
    dotted = None if iso else _DOTTED.fullmatch(cleaned)
    if iso:
        year, month, day = (int(part) if part else None for part in iso.groups())
    elif dotted:
        day, month, year = (int(part) for part in dotted.groups())
    else:
        raise BirthDateError(UNKNOWN_FORMAT, value=cleaned)

    try:
        born = BirthDate(year, month, day)
    except BirthDateError:
        raise BirthDateError(NOT_A_REAL_DATE, value=cleaned) from None

    assert born.year is not None
    if born.year < EARLIEST_BIRTH_YEAR:
        raise BirthDateError(TOO_EARLY, value=born.isoformat(), year=EARLIEST_BIRTH_YEAR)
    today = today or datetime.date.today()
    known = (born.year, born.month or 0, born.day or 0)
    limit = (today.year, today.month if born.month else 0, today.day if born.day else 0)
    if known > limit:
        raise BirthDateError(IN_THE_FUTURE, value=born.isoformat())
    return born
