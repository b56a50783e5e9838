"""Reading the gazetteer's data files (places/data/*.csv) into checked rows."""

import csv
from collections.abc import Iterator
from pathlib import Path

from homeward.errors import InputRejected, RowProblem

DATA_DIR = Path(__file__).resolve().parent / "data"

COLUMNS = {
    "settlements.csv": (
        "slug",
        "name_hy",
        "name_hy_latn",
        "name_az",
        "name_az_latn",
        "name_ru",
        "kind",
        "district",
        "population",
        "lat",
        "lon",
        "alt_names",
        "source",
    ),
    "routes.csv": ("route", "name_en", "name_hy", "name_ru", "position", "settlement"),
    "host_regions.csv": ("slug", "name_en", "name_hy", "name_ru", "displaced_share"),
    "host_sites.csv": ("slug", "region", "name_en", "name_hy", "name_ru", "lat", "lon", "note"),
    "shelters.csv": ("code", "site", "name_en", "name_hy", "name_ru", "kind", "capacity"),
}
REQUIRED = {
    "settlements.csv": ("slug", "name_hy", "name_hy_latn", "name_ru", "kind", "lat", "lon"),
    "routes.csv": ("route", "name_en", "position", "settlement"),
    "host_regions.csv": ("slug", "name_en", "name_hy", "name_ru", "displaced_share"),
    "host_sites.csv": ("slug", "region", "name_en", "name_hy", "name_ru", "lat", "lon"),
    "shelters.csv": ("code", "site", "name_en", "kind", "capacity"),
}


def read_rows(name: str, data_dir: Path = DATA_DIR) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) for one data file, after checking its header and required cells."""
    path = data_dir / name
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS[name] if c not in (reader.fieldnames or [])]
        if missing:
            raise InputRejected(
                [RowProblem(str(path), 1, c, "column is missing from the header") for c in missing]
            )
        problems = []
        rows = []
        for number, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k is not None}
            problems += [
                RowProblem(str(path), number, c, "is empty")
                for c in REQUIRED[name]
                if not row.get(c)
            ]
            rows.append((number, row))
        if problems:
            raise InputRejected(problems)
        yield from rows


def number(path: str, row_number: int, row: dict[str, str], field: str, kind: type = float):
    """Parse one numeric cell or raise a problem naming it."""
    try:
        return kind(row[field]) if row[field] != "" else None
    except ValueError:
        raise InputRejected(
            [RowProblem(path, row_number, field, f"{row[field]!r} is not a {kind.__name__}")]
        ) from None
