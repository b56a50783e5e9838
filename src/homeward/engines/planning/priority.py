"""A visit request's priority, from who travels and why (1 = ordinary, 3 = most urgent).

Graves come first because relocating them cannot wait for a permanent settlement, and older
or frail travellers because this visit may be the only one they can make. Each reason adds
one level, so a household of older people going to move its graves is the most urgent.
"""

from collections.abc import Iterable

GRAVES = "graves"
OLDER_PERSON_AGE = 65
# Vulnerabilities that make a later visit less likely to be possible at all.
FRAILTY = frozenset({"older_person", "disability", "chronic_illness", "pregnancy"})


def visit_priority(
    *,
    purposes: Iterable[str],
    traveller_ages: Iterable[int | None],
    traveller_vulnerabilities: Iterable[Iterable[str]],
) -> int:
    urgent_purpose = GRAVES in set(purposes)
    frail_traveller = any(
        age is not None and age >= OLDER_PERSON_AGE for age in traveller_ages
    ) or any(FRAILTY.intersection(vulnerabilities) for vulnerabilities in traveller_vulnerabilities)
    return 1 + int(urgent_purpose) + int(frail_traveller)
