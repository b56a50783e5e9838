"""Checks shared by the web form, the API and the importer, so all three accept the same input."""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from homeward.encryption import lookup_hash
from homeward.engines.linkage import (
    BirthDateError,
    PhoneError,
    family_name_key,
    name_key,
    normalise_phone,
    parse_birth_date,
    patronymic_key,
    romanize,
)
from homeward.people.models import Relation, Vulnerability

SEX_SPELLINGS = {
    "": "",
    "f": "F",
    "female": "F",
    "w": "F",
    "ж": "F",
    "жен": "F",
    "իգ": "F",
    "իգական": "F",
    "m": "M",
    "male": "M",
    "м": "M",
    "муж": "M",
    "ար": "M",
    "արական": "M",
}
VULNERABILITY_CODES = set(Vulnerability.values)

# The engines' messages, marked for translation here because engines do not import Django;
# a test keeps this list equal to theirs.
ENGINE_MESSAGES = (
    gettext_noop("a birth month needs a year"),
    gettext_noop("a birth day needs a month"),
    gettext_noop("%(month)s is not a month"),
    gettext_noop("'%(value)s' is not a real date"),
    gettext_noop("'%(value)s' is not one of YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY"),
    gettext_noop("%(value)s is before %(year)s"),
    gettext_noop("%(value)s is in the future"),
    gettext_noop("'%(value)s' contains letters; a phone number has only digits"),
    gettext_noop(
        "'%(value)s' contains characters other than digits, spaces, dashes, dots, "
        "parentheses and a leading +"
    ),
    gettext_noop(
        "'%(value)s' has %(count)s digits; a phone number has 8 to 15 with its country code"
    ),
    gettext_noop("'%(value)s' is not an Armenian number: +374 is followed by 8 digits"),
    gettext_noop("'%(value)s' is not a Russian number: +7 is followed by 10 digits"),
    gettext_noop(
        "'%(value)s' starts with 0, so it is an Armenian number and needs 8 digits after the 0, "
        "not %(count)s"
    ),
)


def translated(error: BirthDateError | PhoneError) -> str:
    return _(error.template) % error.params


RELATION_CODES = set(Relation.values)


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# The columns the derived forms of a name are stored in (people.models.Person).
NAME_MAX = 100
KEY_MAX = 100
NAME_LATIN_MAX = 300
PHONE_MAX = 40


def text_problem(value: str) -> str | None:
    """What makes this text unstorable or unsafe to show, or None.

    PostgreSQL refuses NUL in text, and a lone surrogate (which JSON can carry as "\\ud800")
    cannot be encoded at all: both would fail deep in the database as a server error.
    """
    if value.isprintable():  # the usual case, checked in C
        return None
    for character in value:
        category = unicodedata.category(character)
        if character == "\x00":
            return _("contains a NUL character")
        if category == "Cs":
            return _("contains an unpaired surrogate, which is not a character")
        if category == "Cc" and character not in "\t\n\r":
            return _("contains a control character (U+%(code)04X)") % {"code": ord(character)}
    return None


def clean_text(field: str, value: str, *, max_length: int | None = None) -> str:
    """Free text as written, trimmed, once it is storable."""
    problem = text_problem(value)
    if problem:
        raise FieldProblem(field, problem)
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise FieldProblem(
            field,
            _("is longer than %(limit)s characters") % {"limit": max_length},
        )
    return value


def clean_name(field: str, value: str) -> str:
    """A name as written, in one canonical form, without invisible characters.

    NFC, so that "é" typed as one character or as e + accent is the same name. Format
    characters (Unicode category Cf: zero-width spaces and joiners, the byte order mark,
    left-to-right and right-to-left marks, embeddings, overrides and isolates, U+202A–202E and
    U+2066–2069) are removed: they are invisible, so they can make a name look blank or print it
    reversed on a manifest that a checkpoint officer reads against a passport.
    """
    problem = text_problem(value)
    if problem:
        raise FieldProblem(field, problem)
    value = unicodedata.normalize("NFC", value)
    if not value.isprintable():
        value = "".join(c for c in value if unicodedata.category(c) != "Cf")
    value = " ".join(value.split())
    if value and not any(unicodedata.category(c).startswith("L") for c in value):
        raise FieldProblem(field, _("has no letter"))
    if len(value) > NAME_MAX:
        raise FieldProblem(field, _("is longer than 100 characters"))
    return value


def _fits(field: str, derived: str, limit: int) -> str:
    # Some letters become several in Latin script (щ is "shch"): a name within its own column
    # can give a search key or romanised form too long for theirs.
    if len(derived) > limit:
        raise FieldProblem(
            field,
            _("is too long once written in Latin letters (%(count)s of at most %(limit)s)")
            % {"count": len(derived), "limit": limit},
        )
    return derived


@dataclass
class PersonValues:
    given_name: str
    family_name: str
    patronymic: str
    given_key: str
    family_key: str
    patronymic_key: str
    name_latin: str
    sex: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    relation: str
    vulnerabilities: list[str]


def clean_person(
    *,
    given_name: str,
    family_name: str,
    patronymic: str = "",
    sex: str = "",
    birth_date: str = "",
    relation: str = "",
    vulnerabilities: str | list[str] = "",
) -> PersonValues:
    """Validate one person as written and compute the keys stored beside it.

    Raises FieldProblem naming the first bad field.
    """
    given_name = clean_name("given_name", given_name)
    family_name = clean_name("family_name", family_name)
    patronymic = clean_name("patronymic", patronymic)
    if not given_name:
        raise FieldProblem("given_name", _("is required"))
    if not family_name:
        raise FieldProblem("family_name", _("is required"))
    given_key = _fits("given_name", name_key(given_name), KEY_MAX)
    family_key = _fits("family_name", family_name_key(family_name), KEY_MAX)
    patronymic_key_ = _fits("patronymic", patronymic_key(patronymic), KEY_MAX)
    name_latin = romanize(f"{given_name} {family_name}")
    if len(name_latin) > NAME_LATIN_MAX:
        longer = max(("given_name", given_name), ("family_name", family_name), key=_latin_length)
        _fits(longer[0], name_latin, NAME_LATIN_MAX)
    sex_code = SEX_SPELLINGS.get(sex.strip().lower())
    if sex_code is None:
        raise FieldProblem("sex", _("%(value)r is not F, M or empty") % {"value": sex})
    try:
        born = parse_birth_date(birth_date or "")
    except BirthDateError as error:
        raise FieldProblem("birth_date", translated(error)) from None
    relation = (relation or Relation.UNKNOWN).strip().lower()
    if relation not in RELATION_CODES:
        raise FieldProblem(
            "relation",
            _("%(value)r is not one of %(choices)s")
            % {"value": relation, "choices": ", ".join(sorted(RELATION_CODES))},
        )
    codes = _vulnerability_codes(vulnerabilities)
    return PersonValues(
        given_name=given_name,
        family_name=family_name,
        patronymic=patronymic,
        given_key=given_key,
        family_key=family_key,
        patronymic_key=patronymic_key_,
        name_latin=name_latin,
        sex=sex_code,
        birth_year=born.year,
        birth_month=born.month,
        birth_day=born.day,
        relation=relation,
        vulnerabilities=codes,
    )


def _latin_length(item: tuple[str, str]) -> int:
    return len(romanize(item[1]))


def _vulnerability_codes(value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else value.replace(",", ";").split(";")
    codes = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item not in VULNERABILITY_CODES:
            raise FieldProblem(
                "vulnerabilities",
                _("%(value)r is not one of %(choices)s")
                % {"value": item, "choices": ", ".join(sorted(VULNERABILITY_CODES))},
            )
        if item not in codes:
            codes.append(item)
    return codes


def clean_phone(value: str) -> tuple[str, str]:
    """The phone as written (trimmed) and the keyed hash of its normalised form, for look-up."""
    value = value.strip()
    if len(value) > PHONE_MAX:
        # The web form's limit, so that the API and the importer accept what it accepts.
        raise FieldProblem("phone", _("is longer than %(limit)s characters") % {"limit": PHONE_MAX})
    try:
        return value, lookup_hash(normalise_phone(value))
    except PhoneError as error:
        raise FieldProblem("phone", translated(error)) from None


def resolve_origin(text: str):
    """The one settlement a written origin names (slug or any spelling), or None when blank."""
    from homeward.places.models import Settlement
    from homeward.places.selectors import SettlementLookup

    text = text.strip()
    if not text:
        return None
    settlement = Settlement.objects.filter(slug=text).first()
    if settlement is None:
        lookup = SettlementLookup()
        settlement_id = lookup.resolve(text)
        settlement = Settlement.objects.filter(pk=settlement_id).first() if settlement_id else None
        if settlement is None and romanize(text) in lookup.ambiguous_spellings():
            raise FieldProblem(
                "origin",
                _("%(value)r names more than one settlement; give its slug") % {"value": text},
            )
    if settlement is None:
        raise FieldProblem(
            "origin", _("%(value)r is not a settlement in the gazetteer") % {"value": text}
        )
    return settlement


def resolve_shelter(code: str):
    from homeward.places.models import Shelter

    if not code.strip():
        return None
    shelter = Shelter.objects.select_related("site").filter(code=code.strip().upper()).first()
    if shelter is None:
        raise FieldProblem("shelter", _("%(value)r is not a shelter code") % {"value": code})
    return shelter


def resolve_host_site(slug: str):
    from homeward.places.models import HostSite

    if not slug.strip():
        return None
    site = HostSite.objects.filter(slug=slug.strip()).first()
    if site is None:
        raise FieldProblem("host_site", _("%(value)r is not a host community") % {"value": slug})
    return site
