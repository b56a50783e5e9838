"""Registry benchmark: import speed and cross-script name search, beside naive baselines.

    python bench/registry.py                      # SQLite file and, if reachable, PostgreSQL
    python bench/registry.py --database sqlite    # one of them
    python bench/registry.py --smoke              # tiny sizes: checks the script still runs
    python bench/registry.py --cross --database sqlite   # search with another body's spelling

Homeward's figures:
- import: `import_registrations` on 100,000 generated persons (the service behind the
  `import-registrations` command: validation, keys, atomic bulk write, audit);
- search: `search_persons` over 150,000 persons, p95 latency and recall (the person searched
  for is among the hits) of queries typed in Latin letters for names written in any script.
- with --cross: one body's registry (the migration service's, with the field's errors) is
  imported, and each person the ICRC also registered is searched for with the ICRC's
  spelling (given and family name as the ICRC wrote them, and its birth year, which may be
  missing or estimated): recall is how often the person is in the first 50 hits, with and
  without the year. Baseline: the search as it was before it forgave letters, knew
  equivalents and ranked by year (exact keys or a prefix; the year excludes).
Baselines, measured in the same run on the same data:
- import: one validated ORM save per row (the obvious first implementation), on a sample,
  scaled linearly to the full size;
- search: `family_name ICONTAINS` on the name as written, the obvious first search.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from machine import describe_machine  # noqa: E402  (bench/ is on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/homeward_bench"
)


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()


def fresh_database(kind: str, workdir: Path, name: str = "homeward_bench") -> str:
    """An empty database for one benchmark; each benchmark names its own, so two can run at once."""
    if kind == "sqlite":
        path = workdir / "bench.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def run(kind: str, people: int, extra_people: int, baseline_rows: int, queries: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    configure(fresh_database(kind, workdir))
    from django.core.management import call_command
    from django.db import connection, transaction

    from homeward.access.caller import command_line_caller
    from homeward.access.services import create_organisation
    from homeward.engines.linkage import romanize
    from homeward.engines.synthetic import generate_population, write_registrations_csv
    from homeward.people.imports import import_registrations
    from homeward.people.management.commands.generate import gazetteer_for_generator
    from homeward.people.models import Household, Person
    from homeward.people.selectors import search_persons
    from homeward.people.validation import clean_person
    from homeward.places.services import load_gazetteer

    call_command("migrate", verbosity=0)
    load_gazetteer()
    create_organisation(slug="migration-service", name="Migration Service", kind="host_government")
    caller = command_line_caller("migration-service")
    origins, regions = gazetteer_for_generator()

    def write(count: int, seed: int, name: str, source: str = "migration-service") -> Path:
        population = generate_population(people=count, seed=seed, origins=origins, regions=regions)
        rows = population.registrations["migration-service"]
        for row in rows:
            row.source = source
        path = workdir / name
        write_registrations_csv(path, rows)
        return path

    main_file = write(people, 1, "main.csv")
    started = time.perf_counter()
    outcome = import_registrations(caller=caller, path=main_file, source="migration-service")
    import_seconds = time.perf_counter() - started
    assert outcome.persons_created == people, outcome

    # Baseline: one validated save per row, inside one transaction, on a sample.
    import csv

    with (write(baseline_rows, 2, "baseline.csv")).open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    started = time.perf_counter()
    with transaction.atomic():
        for row in sample:
            household = Household(
                reference=f"BL-{row['record_id']}",
                organisation=caller.organisation,
                registered_on="2023-10-01",
                origin_written=row["origin"],
            )
            household.full_clean()
            household.save()
            values = clean_person(
                given_name=row["given_name"],
                family_name=row["family_name"],
                patronymic=row["patronymic"],
                sex=row["sex"],
                birth_date=row["birth_date"],
            )
            person = Person(
                household=household,
                source="baseline",
                record_id=row["record_id"],
                **values.__dict__,
            )
            person.full_clean()
            person.save()
    baseline_seconds = (time.perf_counter() - started) * people / baseline_rows

    # Search over people + extra_people persons.
    import_registrations(
        caller=caller, path=write(extra_people, 3, "extra.csv", "extra"), source="extra"
    )
    total = Person.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rng = random.Random(7)
    targets = list(
        Person.objects.filter(source="migration-service")
        .order_by("id")
        .values_list("id", "given_name", "family_name", "birth_year")
    )
    targets = rng.sample(targets, queries)

    def measure(search, with_year: bool = True) -> tuple[float, float, float]:
        latencies, found = [], 0
        for person_id, given, family, born in targets:
            year = born if with_year else None
            text = romanize(f"{given} {family}")
            started = time.perf_counter()
            hits = search(text, family, year)
            latencies.append((time.perf_counter() - started) * 1000)
            found += person_id in hits
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        return statistics.median(latencies), p95, found / len(targets)

    def homeward_search(text, family, year):
        return {r.person.pk for r in search_persons(caller, text, birth_year=year).results}

    def baseline_search(text, family, year):
        latin_family = romanize(family)
        return set(
            Person.objects.filter(family_name__icontains=latin_family, birth_year=year).values_list(
                "id", flat=True
            )[:50]
        )

    homeward = measure(homeward_search)
    baseline = measure(baseline_search)
    homeward_name_only = measure(homeward_search, with_year=False)
    baseline_name_only = measure(baseline_search, with_year=False)
    return {
        "database": f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version}",
        "people": people,
        "import_s": import_seconds,
        "baseline_import_s": baseline_seconds,
        "baseline_rows": baseline_rows,
        "search_over": total,
        "queries": queries,
        "search": homeward,
        "baseline_search": baseline,
        "search_name_only": homeward_name_only,
        "baseline_search_name_only": baseline_name_only,
    }


def cross_search(kind: str, people: int, queries: int) -> None:
    """Search the migration service's registry with the ICRC's spellings (see the docstring)."""
    workdir = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    configure(fresh_database(kind, workdir, "homeward_bench_cross"))
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from homeward.access.caller import command_line_caller
    from homeward.access.services import create_organisation
    from homeward.engines.linkage import BirthDateError, family_name_key, name_key, romanize
    from homeward.engines.linkage import parse_birth_date as read_date
    from homeward.engines.synthetic import generate_population, write_registrations_csv
    from homeward.people.imports import import_registrations
    from homeward.people.management.commands.generate import gazetteer_for_generator
    from homeward.people.models import Person
    from homeward.people.selectors import search_persons
    from homeward.places.services import load_gazetteer

    call_command("migrate", verbosity=0)
    load_gazetteer()
    create_organisation(slug="migration-service", name="Migration Service", kind="host_government")
    caller = command_line_caller("migration-service")
    origins, regions = gazetteer_for_generator()
    population = generate_population(
        people=people, seed=1, origins=origins, regions=regions, sources=3, field_errors=True
    )
    path = workdir / "ms.csv"
    write_registrations_csv(path, population.registrations["migration-service"])
    started = time.perf_counter()
    import_registrations(caller=caller, path=path, source="migration-service", skip_invalid=True)
    imported = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    person_of = {(s, r): p for s, r, p in population.truth}
    registry = dict(
        Person.objects.filter(source="migration-service").values_list("record_id", "id")
    )
    in_registry: dict[str, set[int]] = {}
    for (source, record_id), person in person_of.items():
        if source == "migration-service" and record_id in registry:
            in_registry.setdefault(person, set()).add(registry[record_id])
    others = [
        r for r in population.registrations["icrc"] if person_of["icrc", r.record_id] in in_registry
    ]
    sample = random.Random(7).sample(others, min(queries, len(others)))

    def year(text: str) -> int | None:
        try:
            return read_date(text).year
        except BirthDateError:
            return None

    def previous_search(text: str, born: int | None) -> set[int]:
        persons = Person.objects.filter(household__organisation=caller.organisation)
        for word in text.split():
            family, given = family_name_key(word), name_key(word)
            match = Q(family_key=family) | Q(given_key=given) | Q(patronymic_key=given)
            if len(romanize(word)) >= 4:
                match |= Q(family_key__startswith=given) | Q(given_key__startswith=given)
            persons = persons.filter(match)
        if born:
            persons = persons.filter(birth_year=born)
        return set(persons.order_by("id").values_list("id", flat=True)[:50])

    def homeward(text: str, born: int | None) -> set[int]:
        return {r.person.pk for r in search_persons(caller, text, birth_year=born).results}

    print(
        f"\n== cross-body search, {connection.vendor}: {people:,} people, the migration "
        f"service's {len(registry):,} records imported in {imported:.0f} s; {len(sample)} ICRC "
        f"records searched for with the ICRC's spelling (field errors)"
    )
    for label, search in (("Homeward", homeward), ("previous search", previous_search)):
        for with_year in (True, False):
            found, latencies = 0, []
            for record in sample:
                text = f"{record.given_name} {record.family_name}"
                born = year(record.birth_date) if with_year else None
                started = time.perf_counter()
                hits = search(text, born)
                latencies.append((time.perf_counter() - started) * 1000)
                found += bool(hits & in_registry[person_of["icrc", record.record_id]])
            latencies.sort()
            print(
                f"{label}, {'with the birth year' if with_year else 'name only'}: in the first "
                f"50 for {found / len(sample):.1%}; median {statistics.median(latencies):.0f} ms, "
                f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms"
            )


def report(result: dict) -> None:
    print(f"\n== {result['database']}")
    print(
        f"import {result['people']:,} persons: Homeward {result['import_s']:.1f} s "
        f"({result['people'] / result['import_s']:,.0f} rows/s); baseline, one validated save per row "
        f"(measured on {result['baseline_rows']:,}, scaled): {result['baseline_import_s']:.1f} s"
    )
    for label, suffix in (("with birth year", ""), ("name only", "_name_only")):
        median, p95, recall = result["search" + suffix]
        b_median, b_p95, b_recall = result["baseline_search" + suffix]
        print(
            f"search over {result['search_over']:,} persons, {result['queries']} queries typed in "
            f"Latin letters, {label}: Homeward median {median:.1f} ms, p95 {p95:.1f} ms, recall "
            f"{recall:.1%}; baseline ICONTAINS median {b_median:.1f} ms, p95 {b_p95:.1f} ms, "
            f"recall {b_recall:.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs")
    parser.add_argument("--cross", action="store_true", help="search with another body's spelling")
    parser.add_argument("--people", type=int, default=30_000, help="with --cross")
    parser.add_argument("--queries", type=int, default=300, help="with --cross")
    args = parser.parse_args()
    if args.cross:
        if args.database == "both":
            parser.error("--cross runs on one database: --database sqlite or postgresql")
        print(f"machine: {describe_machine()}")
        smoke = args.smoke
        cross_search(args.database, 300 if smoke else args.people, 20 if smoke else args.queries)
        return
    sizes = (
        dict(people=300, extra_people=200, baseline_rows=100, queries=20)
        if args.smoke
        else dict(people=100_000, extra_people=50_000, baseline_rows=5_000, queries=300)
    )
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if args.database == "both":
        print(f"machine: {describe_machine()}")
    # Each database runs in its own process: Django is configured once per process.
    if len(kinds) > 1:
        import subprocess

        for kind in kinds:
            command = [sys.executable, __file__, "--database", kind] + (
                ["--smoke"] if args.smoke else []
            )
            subprocess.run(command, check=True)
        return
    report(run(kinds[0], **sizes))


if __name__ == "__main__":
    main()
