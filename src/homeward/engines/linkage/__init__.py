"""Record linkage helpers: name keys, birth dates and phone numbers in one normal form."""

from homeward.engines.linkage.dates import BirthDate, BirthDateError, parse_birth_date
from homeward.engines.linkage.names import family_name_key, name_key, patronymic_key, romanize
from homeward.engines.linkage.phones import PhoneError, normalise_phone

__all__ = [
    "BirthDate",
    "BirthDateError",
    "PhoneError",
    "family_name_key",
    "name_key",
    "normalise_phone",
    "parse_birth_date",
    "patronymic_key",
    "romanize",
]
