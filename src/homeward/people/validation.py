"""Checks shared by the web form, the API and the importer, so all three accept the same input."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

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
from homeward.people.models import Relation, Sex, Vulnerability

SEX_SPELLINGS = {
    "": "", "f": "F", "female": "F", "w": "F", "ж": "F", "жен": "F", "իգ": "F", "իգական": "F",
    "m": "M", "male": "M", "м": "M", "муж": "M", "ար": "M", "արական": "M",
}
VULNERABILITY_CODES = set(Vulnerability.values)
RELATION_CODES = set(Relation.values)


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


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
    *, given_name: str, family_name: str, patronymic: str = "", sex: str = "",
    birth_date: str = "", relation: str = "", vulnerabilities: str | list[str] = "",
) -> PersonValues:
    """Validate one person as written and compute the keys stored beside it.

    Raises FieldProblem naming the first bad field.
    """
    given_name, family_name, patronymic = (" ".join(v.split()) for v in (given_name, family_name, patronymic))
    if not given_name:
        raise FieldProblem("given_name", _("is required"))
    if not family_name:
        raise FieldProblem("family_name", _("is required"))
    for field, value in (("given_name", given_name), ("family_name", family_name), ("patronymic", patronymic)):
        if len(value) > 100:
            raise FieldProblem(field, _("is longer than 100 characters"))
    sex_code = SEX_SPELLINGS.get(sex.strip().lower())
    if sex_code is None:
        raise FieldProblem("sex", _("%(value)r is not F, M or empty") % {"value": sex})
    try:
        born = parse_birth_date(birth_date or "")
    except BirthDateError as error:
        raise FieldProblem("birth_date", str(error)) from None
    relation = (relation or Relation.UNKNOWN).strip().lower()
    if relation not in RELATION_CODES:
        raise FieldProblem("relation", _("%(value)r is not one of %(choices)s")
                           % {"value": relation, "choices": ", ".join(sorted(RELATION_CODES))})
    codes = _vulnerability_codes(vulnerabilities)
    return PersonValues(
        given_name=given_name,
        family_name=family_name,
        patronymic=patronymic,
        given_key=name_key(given_name),
        family_key=family_name_key(family_name),
        patronymic_key=patronymic_key(patronymic),
        name_latin=romanize(f"{given_name} {family_name}"),
        sex=sex_code,
        birth_year=born.year,
        birth_month=born.month,
        birth_day=born.day,
        relation=relation,
        vulnerabilities=codes,
    )


def _vulnerability_codes(value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else value.replace(",", ";").split(";")
    codes = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if item not in VULNERABILITY_CODES:
            raise FieldProblem("vulnerabilities", _("%(value)r is not one of %(choices)s")
                               % {"value": item, "choices": ", ".join(sorted(VULNERABILITY_CODES))})
        if item not in codes:
            codes.append(item)
    return codes


def clean_phone(value: str) -> tuple[str, str]:
    """The phone as written (trimmed) and its normalised form for exact look-up."""
    value = value.strip()
    try:
        return value, normalise_phone(value)
    except PhoneError as error:
        raise FieldProblem("phone", str(error)) from None


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
            raise FieldProblem("origin", _("%(value)r names more than one settlement; give its slug")
                               % {"value": text})
    if settlement is None:
        raise FieldProblem("origin", _("%(value)r is not a settlement in the gazetteer") % {"value": text})
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
