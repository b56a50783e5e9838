"""The planner's files: requests.csv and capacity.toml in, plan.csv out.

Reading checks everything and reports every problem at once, each naming the file, the row
(as a spreadsheet numbers it: the header is row 1; 0 for the file as a whole, as in TOML),
the field and what is wrong. A household too big for one convoy is not a file problem: the
plan reports it as unservable, with the reason, in the `note` column. Nor is a window that
reaches outside the horizon (it is planned in the part inside), or lies wholly outside it, or
a relocation needing a forensic team the capacity does not have: each is reported in the
plan, and the rest of the file plans.

The forensic-team column of requests.csv and key of capacity.toml are optional: files
without them plan exactly as before.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from homeward.engines.planning.model import (
    PRIORITY_WEIGHTS,
    Capacity,
    Placement,
    Plan,
    PlanningInstance,
    VisitRequest,
)

REQUEST_COLUMNS: tuple[str, ...] = (
    "request_id",
    "household_id",
    "people",
    "destination",
    "cargo_m3",
    "earliest",
    "latest",
    "priority",
)
# Optional: absent, every request needs no forensic team.
OPTIONAL_REQUEST_COLUMNS: tuple[str, ...] = ("forensic_teams",)
PLAN_COLUMNS: tuple[str, ...] = ("request_id", "date", "convoy", "route", "note")
CAPACITY_KEYS: tuple[str, ...] = (
    "start",
    "days",
    "weekdays",
    "checkpoint_people_per_day",
    "convoys_per_day",
    "seats_per_convoy",
    "cargo_m3_per_convoy",
    "routes",
)
# Optional: absent, no forensic team is available (no request may need one).
OPTIONAL_CAPACITY_KEYS: tuple[str, ...] = ("forensic_teams_per_day",)
# A cell starting with one of these is run as a formula by spreadsheets: ids that come back
# out in plan.csv may not start with them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class FileProblem:
    file: str
    row: int  # as a spreadsheet numbers it (the header is row 1); 0: the file as a whole
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return (
            f"{where}, {self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"
        )


class PlanningFilesRejected(Exception):
    """The files cannot be planned from; nothing was written."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written:\n{shown}{more}")


# -- capacity.toml ---------------------------------------------------------------------------


def read_capacity_toml(path: Path) -> Capacity:
    name = path.name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise PlanningFilesRejected([FileProblem(name, 0, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlanningFilesRejected(
            [FileProblem(name, 0, "", f"cannot be read: {error}")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise PlanningFilesRejected(
            [FileProblem(name, 0, "", f"is not valid TOML: {error}")]
        ) from None
    problems: list[FileProblem] = []

    def problem(field: str, text: str) -> None:
        problems.append(FileProblem(name, 0, field, text))

    for key in CAPACITY_KEYS:
        if key not in data:
            problem(key, "missing")
    known = CAPACITY_KEYS + OPTIONAL_CAPACITY_KEYS
    for key in sorted(set(data) - set(known)):
        problem(key, f"unknown key (expected: {', '.join(known)})")

    start = _start(data, problem)
    days = _positive_int(data, "days", problem)
    checkpoint = _positive_int(data, "checkpoint_people_per_day", problem)
    convoys = _positive_int(data, "convoys_per_day", problem)
    seats = _positive_int(data, "seats_per_convoy", problem)
    forensic_teams = 0
    if "forensic_teams_per_day" in data:
        value = data["forensic_teams_per_day"]
        if type(value) is not int:
            problem("forensic_teams_per_day", f"must be a whole number, got {value!r}")
        elif value < 0:
            problem("forensic_teams_per_day", f"cannot be negative, got {value}")
        else:
            forensic_teams = value
    cargo = 0.0
    if "cargo_m3_per_convoy" in data:
        value = data["cargo_m3_per_convoy"]
        if not _is_number(value):
            problem("cargo_m3_per_convoy", f"must be a number, got {value!r}")
        elif value <= 0:
            problem("cargo_m3_per_convoy", f"must be positive, got {value}")
        else:
            cargo = float(value)
    weekdays = data.get("weekdays")
    if "weekdays" in data:
        if (
            not isinstance(weekdays, list)
            or not weekdays
            or not all(type(d) is int and 1 <= d <= 7 for d in weekdays)
        ):
            problem(
                "weekdays",
                f"must be a list of ISO weekday numbers, 1 (Monday) to 7, got {weekdays!r}",
            )
        elif len(set(weekdays)) != len(weekdays):
            problem("weekdays", f"repeats a day: {weekdays!r}")
    routes = data.get("routes")
    route_map: dict[str, tuple[str, ...]] = {}
    if "routes" in data:
        if not isinstance(routes, dict) or not routes:
            problem("routes", "must be a table mapping each route to its list of destinations")
        else:
            for route, stops in routes.items():
                field = f"routes.{route}"
                if route.startswith(FORMULA_STARTS):
                    problem(field, "a route name may not start with = + - or @")
                if not isinstance(stops, list) or not all(
                    isinstance(stop, str) and stop.strip() for stop in stops
                ):
                    problem(field, f"must be a list of destination names, got {stops!r}")
                elif not stops:
                    problem(field, "the route has no settlements")
                else:
                    route_map[route] = tuple(stop.strip() for stop in stops)
    if problems or start is None or not isinstance(weekdays, list):
        raise PlanningFilesRejected(problems)
    return Capacity(
        start=start,
        days=days,
        weekdays=frozenset(weekdays),
        checkpoint_people_per_day=checkpoint,
        convoys_per_day=convoys,
        seats_per_convoy=seats,
        cargo_m3_per_convoy=cargo,
        routes=route_map,
        forensic_teams_per_day=forensic_teams,
    )


def _start(data: Mapping[str, Any], problem: Any) -> date | None:
    value = data.get("start")
    if "start" not in data:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, datetime):
        problem("start", f"must be a date without a time, got {value.isoformat()}")
        return None
    elif isinstance(value, date):
        return value
    problem("start", f"must be a date like 2026-06-01, got {value!r}")
    return None


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _positive_int(data: Mapping[str, Any], key: str, problem: Any) -> int:
    value = data.get(key)
    if key not in data:
        return 0
    if type(value) is not int:
        problem(key, f"must be a whole number, got {value!r}")
        return 0
    if value < 1:
        problem(key, f"must be at least 1, got {value}")
    return value


# -- requests.csv ----------------------------------------------------------------------------


def read_requests_csv(path: Path, capacity: Capacity) -> PlanningInstance:
    """The requests of the file, checked against the capacity's routes. Dates may lie outside
    the horizon: the planner plans each window in the part inside and reports one wholly
    outside as unservable, with the reason."""
    name = path.name
    header, rows = _read_csv(path)
    problems: list[FileProblem] = []
    missing = [column for column in REQUEST_COLUMNS if column not in header]
    for column in missing:
        problems.append(FileProblem(name, 1, column, "missing column"))
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(FileProblem(name, 1, column, "the column appears twice"))
    if problems:
        raise PlanningFilesRejected(problems)

    on_routes = {stop for stops in capacity.routes.values() for stop in stops}
    first_row_of: dict[str, int] = {}
    requests: list[VisitRequest] = []
    for number, row in rows:

        def problem(field: str, text: str, number: int = number) -> None:
            problems.append(FileProblem(name, number, field, text))

        values = {
            column: (row.get(column) or "").strip()
            for column in REQUEST_COLUMNS + OPTIONAL_REQUEST_COLUMNS
        }
        request_id = values["request_id"]
        if not request_id:
            problem("request_id", "empty")
        elif request_id.startswith(FORMULA_STARTS):
            problem("request_id", "may not start with = + - or @ (spreadsheets run it)")
        elif request_id in first_row_of:
            problem(
                "request_id", f"duplicate {request_id!r} (first on row {first_row_of[request_id]})"
            )
        else:
            first_row_of[request_id] = number
        if not values["household_id"]:
            problem("household_id", "empty")
        people = _whole(values["people"], "people", problem)
        if people is not None and people < 1:
            problem("people", f"must be at least 1, got {people}")
            people = None
        destination = values["destination"]
        if not destination:
            problem("destination", "empty")
        elif destination not in on_routes:
            problem("destination", f"unknown destination {destination!r}: it is on no route")
        cargo = _cargo(values["cargo_m3"], problem)
        earliest = _date(values["earliest"], "earliest", problem)
        # Empty latest: open until the horizon's last day (or, for a request asking from
        # after the horizon, open: it is reported as outside the horizon, not as an error).
        latest = (
            _date(values["latest"], "latest", problem)
            if values["latest"]
            else max(capacity.end, earliest or capacity.end)
        )
        if earliest and latest and latest < earliest:
            problem("latest", f"{latest} is before earliest ({earliest})")
        priority = _whole(values["priority"], "priority", problem)
        if priority is not None and priority not in PRIORITY_WEIGHTS:
            problem("priority", f"must be 1, 2 or 3, got {priority}")
        forensic_teams: int | None = 0
        if values["forensic_teams"]:
            forensic_teams = _whole(values["forensic_teams"], "forensic_teams", problem)
            if forensic_teams is not None and forensic_teams < 0:
                problem("forensic_teams", f"cannot be negative, got {forensic_teams}")
                forensic_teams = None
        if (
            request_id
            and people is not None
            and cargo is not None
            and earliest
            and latest
            and priority is not None
            and priority in PRIORITY_WEIGHTS
            and forensic_teams is not None
        ):
            requests.append(
                VisitRequest(
                    request_id=request_id,
                    household_id=values["household_id"],
                    people=people,
                    destination=destination,
                    cargo_m3=cargo,
                    earliest=earliest,
                    latest=latest,
                    priority=priority,
                    forensic_teams=forensic_teams,
                )
            )
    if problems:
        raise PlanningFilesRejected(problems)
    return PlanningInstance(capacity=capacity, requests=tuple(requests))


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    name = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            lines = list(reader)
    except FileNotFoundError:
        raise PlanningFilesRejected([FileProblem(name, 0, "", "no such file")]) from None
    except UnicodeDecodeError:
        raise PlanningFilesRejected([FileProblem(name, 0, "", "is not UTF-8 text")]) from None
    except (OSError, csv.Error) as error:
        raise PlanningFilesRejected(
            [FileProblem(name, 0, "", f"cannot be read: {error}")]
        ) from None
    if not lines:
        raise PlanningFilesRejected([FileProblem(name, 0, "", "is empty: no header row")])
    header = [column.strip() for column in lines[0]]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue  # a blank line
        rows.append((number, dict(zip(header, line, strict=False))))
    return header, rows


def _whole(text: str, field: str, problem: Any) -> int | None:
    if not text:
        problem(field, "empty")
        return None
    try:
        return int(text)
    except ValueError:
        problem(field, f"must be a whole number, got {text!r}")
        return None


def _cargo(text: str, problem: Any) -> float | None:
    if not text:
        return 0.0  # nothing to bring back
    try:
        value = float(text)
    except ValueError:
        problem("cargo_m3", f"must be a number of cubic metres, got {text!r}")
        return None
    if not math.isfinite(value):
        problem("cargo_m3", f"must be a number of cubic metres, got {text!r}")
        return None
    if value < 0:
        problem("cargo_m3", f"cannot be negative, got {text}")
        return None
    return value


def _date(text: str, field: str, problem: Any) -> date | None:
    if not text:
        problem(field, "empty")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problem(field, f"must be a date like 2026-06-01, got {text!r}")
        return None


# -- plan.csv --------------------------------------------------------------------------------


def write_plan_csv(
    path: Path,
    instance: PlanningInstance,
    plan: Plan,
    *,
    unservable: Mapping[str, str] | None = None,
) -> None:
    """Every request once, in the requests' order: date, convoy and route, or empty when
    unserved, with the reason in `note`. Written whole or not at all."""
    unservable = unservable or {}
    rows: list[list[str]] = [list(PLAN_COLUMNS)]
    for request in instance.requests:
        placement = plan.placements.get(request.request_id)
        if placement is None:
            reason = unservable.get(request.request_id)
            note = f"unservable: {reason}" if reason else "unserved: no room in its window"
            rows.append([request.request_id, "", "", "", note])
        else:
            rows.append(
                [
                    request.request_id,
                    placement.date.isoformat(),
                    placement.convoy_id,
                    plan.convoy_routes[placement],
                    "",
                ]
            )
    _write_atomically(path, rows)


def _write_atomically(path: Path, rows: Iterable[list[str]]) -> None:
    directory = path.resolve().parent
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=directory, prefix=f".{path.name}.", delete=False
    )
    try:
        with handle:
            csv.writer(handle).writerows(rows)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def read_plan_csv(path: Path) -> Plan:
    """A plan written by `write_plan_csv` (the previous plan, when replanning)."""
    name = path.name
    header, rows = _read_csv(path)
    problems = [
        FileProblem(name, 1, column, "missing column")
        for column in ("request_id", "date", "convoy", "route")
        if column not in header
    ]
    if problems:
        raise PlanningFilesRejected(problems)
    placements: dict[str, Placement] = {}
    routes: dict[Placement, str] = {}
    for number, row in rows:
        request_id = (row.get("request_id") or "").strip()
        day_text = (row.get("date") or "").strip()
        convoy_text = (row.get("convoy") or "").strip()
        route = (row.get("route") or "").strip()
        if not request_id:
            problems.append(FileProblem(name, number, "request_id", "empty"))
            continue
        if request_id in placements:
            problems.append(FileProblem(name, number, "request_id", f"duplicate {request_id!r}"))
            continue
        if not day_text and not convoy_text:
            continue  # unserved
        placement = _placement(day_text, convoy_text)
        if placement is None:
            problems.append(
                FileProblem(
                    name,
                    number,
                    "convoy",
                    f"must be <date>/<number> of the row's date, like {day_text or '2026-06-01'}/1, got {convoy_text!r}",
                )
            )
            continue
        if not route:
            problems.append(FileProblem(name, number, "route", "empty for a served request"))
            continue
        if routes.get(placement, route) != route:
            problems.append(
                FileProblem(
                    name,
                    number,
                    "route",
                    f"convoy {placement.convoy_id} is on route {routes[placement]} in an earlier row",
                )
            )
            continue
        placements[request_id] = placement
        routes[placement] = route
    if problems:
        raise PlanningFilesRejected(problems)
    return Plan(placements=placements, convoy_routes=routes)


def _placement(day_text: str, convoy_text: str) -> Placement | None:
    day_part, _slash, number = convoy_text.rpartition("/")
    try:
        day = date.fromisoformat(day_text)
        convoy = int(number)
    except ValueError:
        return None
    if day_part != day_text or convoy < 1:
        return None
    return Placement(day, convoy)


def read_pinned(path: Path) -> frozenset[str]:
    """Request ids, one a line (a `request_id` header line, blank lines and # comments are
    allowed); or a CSV file with a request_id column, such as a plan."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanningFilesRejected([FileProblem(name, 0, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlanningFilesRejected(
            [FileProblem(name, 0, "", f"cannot be read: {error}")]
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if "," in first:
        header, rows = _read_csv(path)
        if "request_id" not in header:
            raise PlanningFilesRejected([FileProblem(name, 1, "request_id", "missing column")])
        return frozenset(
            (row.get("request_id") or "").strip()
            for _number, row in rows
            if (row.get("request_id") or "").strip()
        )
    ids = [line.strip() for line in lines]
    return frozenset(
        request_id
        for request_id in ids
        if request_id and not request_id.startswith("#") and request_id != "request_id"
    )
