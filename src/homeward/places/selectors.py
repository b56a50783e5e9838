"""Reads of the gazetteer. Place data is not personal: every signed-in role may read it."""

from django.db.models import Count, Q, QuerySet, Sum

from homeward.engines.disclosure import suppress_small_counts as suppress
from homeward.engines.linkage import name_key, romanize
from homeward.places.models import HostRegion, Settlement, SettlementName, Shelter


def find_settlements(text: str) -> QuerySet[Settlement]:
    """Settlements that a spelling names, in any script: Khankendi, Степанакерт, Ստեփանակերտ.

    The closest tier that matches wins: the same romanised spelling, then the same phonetic
    key (which forgives transliteration differences), then a key that begins with it.
    """
    latin, key = romanize(text), name_key(text)
    if not key:
        return Settlement.objects.none()
    tiers = [Q(names__latin=latin), Q(names__key=key)]
    if len(key) >= 3:
        tiers.append(Q(names__key__startswith=key))
    for tier in tiers:
        found = Settlement.objects.filter(tier).distinct()
        if found.exists():
            return found.prefetch_related("routes")
    return Settlement.objects.none()


class SettlementLookup:
    """Resolves written origins to one settlement, or to none when a spelling is ambiguous.

    Built once per import: two dictionaries instead of a query per row.
    """

    def __init__(self) -> None:
        self.by_latin: dict[str, int | None] = {}
        self.by_key: dict[str, int | None] = {}
        for latin, key, settlement_id in SettlementName.objects.values_list(
            "latin", "key", "settlement_id"
        ):
            for table, value in ((self.by_latin, latin), (self.by_key, key)):
                table[value] = (
                    settlement_id if table.get(value, settlement_id) == settlement_id else None
                )

    def resolve(self, text: str) -> int | None:
        latin = romanize(text)
        if latin in self.by_latin:
            return self.by_latin[latin]  # None when two places share this very name
        return self.by_key.get(name_key(text))

    def ambiguous_spellings(self) -> list[str]:
        return sorted(latin for latin, settlement in self.by_latin.items() if settlement is None)


def shelter_occupancy_by_region(*, suppress_small_counts: bool) -> dict:
    """Per host region: collective shelters, their capacity, and the people registered in them.

    With `suppress_small_counts` (for roles without access to cases, and the public), counts of
    1 to 4 people are hidden, with secondary suppression so that none can be worked out from
    the total; free places and percentages of a hidden count are hidden with it.
    """
    regions = list(
        HostRegion.objects.annotate(
            shelters=Count("sites__shelters", distinct=True),
            capacity=Sum("sites__shelters__capacity"),
        ).order_by("name_en")
    )
    people = dict(
        Shelter.objects.values("site__region_id")
        .annotate(n=Count("households__persons"))
        .values_list("site__region_id", "n")
    )
    counts = {region.id: people.get(region.id, 0) for region in regions}
    total_people: int | None = sum(counts.values())
    if suppress_small_counts:
        shown, total_people = suppress(counts)
    else:
        shown = dict(counts)
    rows = []
    for region in regions:
        capacity = region.capacity or 0
        occupied = shown[region.id]
        rows.append(
            {
                "region": region,
                "shelters": region.shelters,
                "capacity": capacity,
                "people": occupied,
                "free": None if occupied is None else capacity - occupied,
                "percent": round(100 * occupied / capacity)
                if capacity and occupied is not None
                else None,
            }
        )
    capacity_total = sum(r["capacity"] for r in rows)
    totals = {
        "shelters": sum(r["shelters"] for r in rows),
        "capacity": capacity_total,
        "people": total_people,
        "free": None if total_people is None else capacity_total - total_people,
    }
    return {"rows": rows, "totals": totals}


def shelter_occupancy(region: HostRegion) -> QuerySet[Shelter]:
    """Shelters of a region with the people in each: for roles with access to cases only."""
    return (
        Shelter.objects.filter(site__region=region)
        .select_related("site")
        .annotate(people=Count("households__persons"))
        .order_by("code")
    )


def shelters_of(region: HostRegion) -> QuerySet[Shelter]:
    return Shelter.objects.filter(site__region=region).select_related("site").order_by("code")
