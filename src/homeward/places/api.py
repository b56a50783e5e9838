from ninja import Field, Router, Schema

from homeward.access.roles import Permission
from homeward.api import caller_of
from homeward.places.selectors import find_settlements, shelter_occupancy_by_region

router = Router(tags=["places"])


class SettlementOut(Schema):
    slug: str
    name_hy: str
    name_hy_latn: str
    name_az: str
    name_az_latn: str
    name_ru: str
    kind: str
    district: str
    latitude: float
    longitude: float
    other_spellings: list[str]


class RegionOccupancyOut(Schema):
    region: str
    name: str
    shelters: int
    capacity: int
    people: int | None = Field(description="null where a small count is hidden")


@router.get("/settlements", response=list[SettlementOut])
def settlements(request, q: str):
    """Settlements matching any of their names, in any script."""
    caller_of(request, Permission.VIEW_PLACES)
    found = find_settlements(q).prefetch_related("names")[:50]
    return [
        {
            **{f: getattr(s, f) for f in SettlementOut.model_fields if f != "other_spellings"},
            "other_spellings": sorted(
                {n.name for n in s.names.all()} - {n for _c, n in s.names_by_language()}
            ),
        }
        for s in found
    ]


@router.get("/occupancy", response=list[RegionOccupancyOut])
def occupancy(request):
    """Collective shelter capacity against people registered in them, by host region."""
    caller = caller_of(request, Permission.VIEW_OCCUPANCY)
    table = shelter_occupancy_by_region(
        suppress_small_counts=not caller.may(Permission.VIEW_HOUSEHOLDS)
    )
    return [
        {
            "region": row["region"].slug,
            "name": row["region"].display_name(),
            "shelters": row["shelters"],
            "capacity": row["capacity"],
            "people": row["people"],
        }
        for row in table["rows"]
    ]
