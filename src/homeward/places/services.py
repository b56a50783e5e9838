from decimal import Decimal
from pathlib import Path

from django.db import transaction

from homeward.audit.services import record_event
from homeward.engines.linkage import name_key, romanize
from homeward.errors import InputRejected, RowProblem
from homeward.places.gazetteer_files import DATA_DIR, number, read_rows
from homeward.places.models import (
    HostRegion,
    HostSite,
    Route,
    RouteStop,
    Settlement,
    SettlementName,
    Shelter,
)


@transaction.atomic
def load_gazetteer(*, data_dir: Path = DATA_DIR, actor=None) -> dict[str, int]:
    """Create or update every place from the data files; all of it or, on any problem, none.

    Running it again with the same files changes nothing; a slug is a place's identity.
    """
    counts = {
        "settlements": _load_settlements(data_dir),
        "routes": _load_routes(data_dir),
        "host_regions": _load_host_regions(data_dir),
        "host_sites": _load_host_sites(data_dir),
        "shelters": _load_shelters(data_dir),
    }
    record_event(
        actor=actor,
        organisation=None,
        action="places.gazetteer.load",
        details={"data_dir": str(data_dir), **counts},
    )
    return counts


def _load_settlements(data_dir: Path) -> int:
    path = str(data_dir / "settlements.csv")
    kinds = set(Settlement.Kind.values)
    count = 0
    for row_number, row in read_rows("settlements.csv", data_dir):
        if row["kind"] not in kinds:
            raise InputRejected(
                [
                    RowProblem(
                        path,
                        row_number,
                        "kind",
                        f"{row['kind']!r} is not one of {', '.join(sorted(kinds))}",
                    )
                ]
            )
        settlement, _created = Settlement.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_hy": row["name_hy"],
                "name_hy_latn": row["name_hy_latn"],
                "name_az": row["name_az"],
                "name_az_latn": row["name_az_latn"],
                "name_ru": row["name_ru"],
                "kind": row["kind"],
                "district": row["district"],
                "population": number(path, row_number, row, "population", int),
                "latitude": number(path, row_number, row, "lat"),
                "longitude": number(path, row_number, row, "lon"),
                "source": row["source"],
            },
        )
        spellings = dict(settlement.names_by_language())
        names = {name: code for code, name in spellings.items()}
        for alternative in filter(None, (a.strip() for a in row["alt_names"].split(";"))):
            names.setdefault(alternative, "")
        settlement.names.exclude(name__in=names).delete()
        existing = set(settlement.names.values_list("name", flat=True))
        SettlementName.objects.bulk_create(
            SettlementName(
                settlement=settlement,
                name=name,
                language=code,
                latin=romanize(name),
                key=name_key(name),
            )
            for name, code in names.items()
            if name not in existing
        )
        count += 1
    return count


def _load_routes(data_dir: Path) -> int:
    path = str(data_dir / "routes.csv")
    settlements = dict(Settlement.objects.values_list("slug", "id"))
    seen: dict[str, Route] = {}
    for row_number, row in read_rows("routes.csv", data_dir):
        if row["settlement"] not in settlements:
            raise InputRejected(
                [
                    RowProblem(
                        path,
                        row_number,
                        "settlement",
                        f"{row['settlement']!r} is not in settlements.csv",
                    )
                ]
            )
        route = seen.get(row["route"])
        if route is None:
            route, _created = Route.objects.update_or_create(
                slug=row["route"],
                defaults={
                    "name_en": row["name_en"],
                    "name_hy": row["name_hy"] or row["name_en"],
                    "name_ru": row["name_ru"] or row["name_en"],
                },
            )
            route.stops.all().delete()
            seen[row["route"]] = route
        RouteStop.objects.create(
            route=route,
            settlement_id=settlements[row["settlement"]],
            position=number(path, row_number, row, "position", int),
        )
    Route.objects.exclude(slug__in=seen).delete()
    return len(seen)


def _load_host_regions(data_dir: Path) -> int:
    path = str(data_dir / "host_regions.csv")
    count = 0
    for row_number, row in read_rows("host_regions.csv", data_dir):
        share = number(path, row_number, row, "displaced_share")
        HostRegion.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name_en": row["name_en"],
                "name_hy": row["name_hy"],
                "name_ru": row["name_ru"],
                "displaced_share": Decimal(str(share)).quantize(Decimal("0.001")),
            },
        )
        count += 1
    return count


def _load_host_sites(data_dir: Path) -> int:
    path = str(data_dir / "host_sites.csv")
    regions = dict(HostRegion.objects.values_list("slug", "id"))
    count = 0
    for row_number, row in read_rows("host_sites.csv", data_dir):
        if row["region"] not in regions:
            raise InputRejected(
                [
                    RowProblem(
                        path, row_number, "region", f"{row['region']!r} is not in host_regions.csv"
                    )
                ]
            )
        HostSite.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "region_id": regions[row["region"]],
                "name_en": row["name_en"],
                "name_hy": row["name_hy"],
                "name_ru": row["name_ru"],
                "latitude": number(path, row_number, row, "lat"),
                "longitude": number(path, row_number, row, "lon"),
                "note": row["note"],
            },
        )
        count += 1
    return count


def _load_shelters(data_dir: Path) -> int:
    path = str(data_dir / "shelters.csv")
    sites = dict(HostSite.objects.values_list("slug", "id"))
    kinds = set(Shelter.Kind.values)
    count = 0
    for row_number, row in read_rows("shelters.csv", data_dir):
        if row["site"] not in sites:
            raise InputRejected(
                [RowProblem(path, row_number, "site", f"{row['site']!r} is not in host_sites.csv")]
            )
        if row["kind"] not in kinds:
            raise InputRejected(
                [
                    RowProblem(
                        path,
                        row_number,
                        "kind",
                        f"{row['kind']!r} is not one of {', '.join(sorted(kinds))}",
                    )
                ]
            )
        capacity = number(path, row_number, row, "capacity", int)
        if capacity is None or capacity <= 0:
            raise InputRejected(
                [RowProblem(path, row_number, "capacity", "must be a positive number")]
            )
        Shelter.objects.update_or_create(
            code=row["code"],
            defaults={
                "site_id": sites[row["site"]],
                "name_en": row["name_en"],
                "name_hy": row["name_hy"] or row["name_en"],
                "name_ru": row["name_ru"] or row["name_en"],
                "kind": row["kind"],
                "capacity": capacity,
            },
        )
        count += 1
    return count
