"""Two person records side by side, each compared field marked as the engine judged it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from homeward.engines.linkage.levels import level_verdict
from homeward.people.models import Person

# The engine's compared fields (engines.linkage COMPARED_FIELDS), in the order shown, then
# what tells a reviewer where each record comes from.
_COMPARED = (
    ("given_name", _("Given name")),
    ("family_name", _("Family name")),
    ("patronymic", _("Patronymic")),
    ("birth_date", _("Birth date")),
    ("sex", _("Sex")),
    ("origin", _("Settlement of origin")),
    ("phone", _("Phone")),
)


@dataclass(frozen=True)
class Row:
    label: str
    a: str
    b: str
    field: str = ""  # the engine's field, when it compared this row
    level: str = ""  # the level the pair reached ("same spelling", "different", ...)
    # "agrees" (exactly), "close" (a forgiving level: one letter apart, year only...),
    # "differs" or "unknown"; "" when not compared.
    verdict: str = ""
    links_household: bool = False  # a and b are household references


def _origin(person: Person) -> str:
    household = person.household
    if household.origin_settlement is None:
        return household.origin_written or "—"
    name = household.origin_settlement.display_name()
    if household.origin_written and household.origin_written != name:
        return f"{name} ({household.origin_written})"
    return name


def _values(person: Person) -> dict[str, str]:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "patronymic": person.patronymic or "—",
        "birth_date": person.birth_date_display or "—",
        "sex": str(person.get_sex_display()),
        "origin": _origin(person),
        # Phones are compared, not shown: the engine's verdict is what a reviewer needs.
        "phone": "",
    }


def side_by_side(
    a: Person, b: Person, agreements: dict, agreed: list[str], disagreed: list[str]
) -> list[Row]:
    left, right = _values(a), _values(b)
    rows = []
    for field, label in _COMPARED:
        # Read from the level itself, so that only exact agreement earns a tick: a sibling's
        # "similar" given name is not agreement (older runs stored it in ``agreed``).
        level = agreements.get(field, "")
        if level:
            verdict = level_verdict(level)
        else:
            verdict = (
                "agrees" if field in agreed else "differs" if field in disagreed else "unknown"
            )
        rows.append(
            Row(
                str(label),
                left[field],
                right[field],
                field=field,
                level=agreements.get(field, ""),
                verdict=verdict,
            )
        )
    rows += [
        Row(
            str(_("Household")),
            a.household.reference,
            b.household.reference,
            links_household=True,
        ),
        Row(str(_("Relation to the head")), a.get_relation_display(), b.get_relation_display()),
        Row(
            str(_("Source and record")),
            f"{a.source} / {a.record_id}",
            f"{b.source} / {b.record_id}",
        ),
        Row(
            str(_("Registered on")),
            f"{a.household.registered_on:%Y-%m-%d}",
            f"{b.household.registered_on:%Y-%m-%d}",
        ),
    ]
    return rows


def side_by_side_all(persons: list[Person]) -> list[tuple[str, list[str]]]:
    """Any number of records in columns: the persons of one merge."""
    values = [_values(p) for p in persons]
    rows = [(str(label), [v[field] for v in values]) for field, label in _COMPARED[:-1]]
    rows.append((str(_("Source and record")), [f"{p.source} / {p.record_id}" for p in persons]))
    return rows
