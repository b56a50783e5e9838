"""Birth dates: registers write a day, a month, a year or nothing, in two notations."""

import datetime

import pytest

from homeward.engines.linkage import BirthDate, BirthDateError, parse_birth_date

TODAY = datetime.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("1954-03-07", "1954-03-07", "day"),
        ("07.03.1954", "1954-03-07", "day"),
        ("7.3.1954", "1954-03-07", "day"),
        ("1954-03", "1954-03", "month"),
        ("1954", "1954", "year"),
        ("  1954-03-07\t", "1954-03-07", "day"),
        ("1956-02-29", "1956-02-29", "day"),
        ("1900", "1900", "year"),
        ("", "", "unknown"),
        ("   ", "", "unknown"),
    ],
)
def test_accepted_notations_and_their_precision(text, iso, precision):
    born = parse_birth_date(text, today=TODAY)
    assert born.isoformat() == iso
    assert born.precision == precision


def test_parsed_date_has_its_parts():
    assert parse_birth_date("07.03.1954", today=TODAY) == BirthDate(1954, 3, 7)
    assert parse_birth_date("1954", today=TODAY) == BirthDate(1954, None, None)
    assert parse_birth_date("", today=TODAY) == BirthDate(None, None, None)


def test_dates_up_to_today_are_accepted():
    assert parse_birth_date("2025-06-15", today=TODAY).isoformat() == "2025-06-15"
    assert parse_birth_date("2025-06", today=TODAY).isoformat() == "2025-06"
    assert parse_birth_date("2025", today=TODAY).isoformat() == "2025"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.1954", "'31.02.1954' is not a real date"),
        ("1954-02-29", "'1954-02-29' is not a real date"),
        ("1954-13", "'1954-13' is not a real date"),
        ("00.03.1954", "'00.03.1954' is not a real date"),
        ("1954/03/07", "'1954/03/07' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"),
        ("March 1954", "'March 1954' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"),
        ("03.1954", "'03.1954' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"),
        ("54", "'54' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"),
        ("1890", "1890 is before 1900"),
        ("01.05.1899", "1899-05-01 is before 1900"),
        ("2030-01-01", "2030-01-01 is in the future"),
        ("2025-06-16", "2025-06-16 is in the future"),
        ("2025-07", "2025-07 is in the future"),
        ("2026", "2026 is in the future"),
    ],
)
def test_unreadable_or_impossible_dates_are_refused_with_the_reason(text, message):
    with pytest.raises(BirthDateError) as raised:
        parse_birth_date(text, today=TODAY)
    assert str(raised.value) == message


def test_birth_date_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_birth_date("soon", today=TODAY)


def test_today_defaults_to_the_real_today():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(BirthDateError, match="in the future"):
        parse_birth_date(tomorrow.isoformat())
    assert parse_birth_date(datetime.date.today().isoformat()).precision == "day"


def test_birth_dates_are_immutable_values():
    born = BirthDate(1954, 3, 7)
    assert born == BirthDate(1954, 3, 7)
    assert len({born, BirthDate(1954, 3, 7)}) == 1
    with pytest.raises(AttributeError):
        born.year = 1955  # type: ignore[misc]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((None, 3, None), "a birth month needs a year"),
        ((1954, None, 7), "a birth day needs a month"),
        ((1954, 2, 30), "'1954-02-30' is not a real date"),
    ],
)
def test_inconsistent_parts_are_refused(parts, message):
    with pytest.raises(BirthDateError, match=message):
        BirthDate(*parts)
