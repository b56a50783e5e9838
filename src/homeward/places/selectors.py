"""Reads of the gazetteer. Place data is not personal: every signed-in role may read it."""

from django.db.models import Count, Q, QuerySet, Sum

from homeward.engines.linkage import name_key
from homeward.places.models import HostRegion, Settlement, SettlementName, Shelter


def find_settlements(text: str) -> QuerySet[Settlement]:
    """Settlements any of whose spellings matches: Khankendi, Степанакерт and Ստեփանակերտ agree."""
    key = name_key(text)
    if not key:
        return Settlement.objects.none()
    matches = Q(names__key=key)
    if len(key) >= 3:
        matches |= Q(names__key__startswith=key)
    return Settlement.objects.filter(matches).distinct().prefetch_related("routes")


def settlement_keys() -> dict[str, int | None]:
    """Every spelling's key mapped to its settlement; None where two settlements share a key."""
    keys: dict[str, int | None] = {}
    for key, settlement_id in SettlementName.objects.values_list("key", "settlement_id"):
        keys[key] = settlement_id if keys.get(key, settlement_id) == settlement_id else None
    return keys


def shelter_occupancy_by_region() -> list[dict]:
    """Per host region: collective shelters, their capacity, and the people registered in them."""
    regions = HostRegion.objects.annotate(
        shelters=Count("sites__shelters", distinct=True),
        capacity=Sum("sites__shelters__capacity"),
    ).order_by("name_en")
    people = dict(
        Shelter.objects.values("site__region_id")
        .annotate(n=Count("households__persons"))
        .values_list("site__region_id", "n")
    )
    rows = []
    for region in regions:
        occupied = people.get(region.id, 0)
        capacity = region.capacity or 0
        rows.append({
            "region": region,
            "shelters": region.shelters,
            "capacity": capacity,
            "people": occupied,
            "free": capacity - occupied,
            "percent": round(100 * occupied / capacity) if capacity else None,
        })
    return rows


def shelter_occupancy(region: HostRegion) -> QuerySet[Shelter]:
    return (
        Shelter.objects.filter(site__region=region)
        .select_related("site")
        .annotate(people=Count("households__persons"))
        .order_by("code")
    )
