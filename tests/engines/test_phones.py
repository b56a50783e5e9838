"""Phone numbers: one international form, Armenian by default."""

import pytest

from homeward.engines.linkage import PhoneError, normalise_phone


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("+374 97 123456", "+37497123456"),
        ("+374-97-12-34-56", "+37497123456"),
        ("097123456", "+37497123456"),
        ("(097) 12-34-56", "+37497123456"),
        ("097.12.34.56", "+37497123456"),
        ("97123456", "+37497123456"),
        ("37497123456", "+37497123456"),
        ("00374 97 123456", "+37497123456"),
        ("010 123456", "+37410123456"),
        ("  +374 10 123 456 ", "+37410123456"),
        ("+7 916 123-45-67", "+79161234567"),
        ("8 (916) 123-45-67", "+79161234567"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_numbers_in_the_usual_notations_become_one_form(text, normal):
    assert normalise_phone(text) == normal


def test_the_same_number_written_differently_is_equal():
    spellings = ["+374 97 123456", "097 123 456", "(097) 12-34-56", "97123456", "0037497123456"]
    assert len({normalise_phone(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("097 12345a", "contains letters"),
        ("call 097123456", "contains letters"),
        ("Հեռ. 097123456", "contains letters"),
        ("097 12 34", "'097 12 34' starts with 0"),
        ("1234567", "has 7 digits; a phone number has 8 to 15"),
        ("+374 97", "has 5 digits; a phone number has 8 to 15"),
        ("1234567890123456", "has 16 digits; a phone number has 8 to 15"),
        ("+374 97 1234", "+374 is followed by 8 digits"),
        ("+374 97 1234567", "+374 is followed by 8 digits"),
        ("+7 916 123 45", "+7 is followed by 10 digits"),
        ("097123456 / 098123456", "contains characters other than digits"),
        ("++374 97 123456", "contains characters other than digits"),
        ("097#123456", "contains characters other than digits"),
    ],
)
def test_impossible_numbers_are_refused_with_the_reason(text, problem):
    with pytest.raises(PhoneError) as raised:
        normalise_phone(text)
    assert problem in str(raised.value)


def test_phone_error_is_a_value_error():
    with pytest.raises(ValueError):
        normalise_phone("no phone")
