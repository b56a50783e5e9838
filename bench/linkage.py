"""Linkage benchmark: Homeward's deduplication beside two baselines, on registers with truth.

    python bench/linkage.py                      # 100,000 people in 5 registers
    python bench/linkage.py --people 1000000     # a million people
    python bench/linkage.py --smoke              # tiny: checks the script still runs
    python bench/linkage.py --sweep              # F1 of Homeward at several thresholds
    python bench/linkage.py --field-errors       # registers with the field's errors (below)

The synthetic generator writes what 3 to 5 registering bodies would record of one displaced
population (Armenian, Russian and Latin scripts, transliteration variants, typos, partial and
swapped dates, swapped names, twins, namesakes, families) and which person each record is.
Each method then reads the same CSV files in its own process, so that its wall time and peak
memory (the child's maximum resident set) are its own:

- homeward: the `homeward dedupe` command (name keys, gazetteer, Splink on DuckDB, guarded
  clustering);
- splink-generic: Splink as its documentation sets up a person model, on the names as written
  (Jaro-Winkler names, date of birth, exact sex, origin and phone; blocking on exact first
  name and surname, and on either with the date of birth); dates are put in one format, the
  one cleaning Splink's date comparison requires;
- exact-keys: records are one person when given name, family name (case-folded, trimmed) and
  birth date (read into one format) agree exactly.

With --field-errors the generator adds what registration in the field adds (estimated birth
dates, maiden names, Russian name equivalents, compound surnames; docs/linkage.md), and the
report breaks Homeward's recall down by how the two records' birth dates relate.

Pairwise scores: true pairs are pairs of records of one person, predicted pairs are pairs of
records in one cluster, counted from the sizes of the (person, cluster) contingency table.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe_machine  # noqa: E402  (bench/ is on the path)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

METHODS = ("homeward", "splink-generic", "exact-keys")


# ---- data ---------------------------------------------------------------------------------


def gazetteer_from_files():
    """Origins and host regions for the generator, from the gazetteer's data files (no database)."""
    from homeward.engines.synthetic import HostRegion, Origin
    from homeward.places.gazetteer_files import read_rows

    origins = [
        Origin(
            slug=row["slug"],
            names={
                "hy": row["name_hy"],
                "hy-Latn": row["name_hy_latn"],
                "az": row["name_az"],
                "az-Latn": row["name_az_latn"],
                "ru": row["name_ru"],
            },
            weight=float(row["population"] or 100),
        )
        for _, row in read_rows("settlements.csv")
    ]
    sites: dict[str, list[str]] = {}
    site_region: dict[str, str] = {}
    for _, row in read_rows("host_sites.csv"):
        sites.setdefault(row["region"], []).append(row["slug"])
        site_region[row["slug"]] = row["region"]
    shelters: dict[str, list[tuple[str, int]]] = {}
    for _, row in read_rows("shelters.csv"):
        shelters.setdefault(site_region[row["site"]], []).append(
            (row["code"], int(row["capacity"]))
        )
    regions = [
        HostRegion(
            slug=row["slug"],
            share=float(row["displaced_share"]),
            sites=sites[row["slug"]],
            shelters=shelters.get(row["slug"], []),
        )
        for _, row in read_rows("host_regions.csv")
        if sites.get(row["slug"])
    ]
    return origins, regions


def write_population(
    workdir: Path, people: int, sources: int, seed: int, field_errors: bool = False
) -> tuple[list[Path], Path, int]:
    from homeward.engines.synthetic import (
        generate_population,
        write_registrations_csv,
        write_truth_csv,
    )

    origins, regions = gazetteer_from_files()
    population = generate_population(
        people=people,
        seed=seed,
        origins=origins,
        regions=regions,
        sources=sources,
        field_errors=field_errors,
    )
    files = []
    for source, registrations in population.registrations.items():
        path = workdir / f"{source}.csv"
        write_registrations_csv(path, registrations)
        files.append(path)
    truth = workdir / "truth.csv"
    write_truth_csv(truth, population.truth)
    return files, truth, len(population.truth)


# ---- methods, each run in a child process -------------------------------------------------


def read_inputs(files: list[Path]):
    import pandas as pd

    return pd.concat(
        [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True
    )


def write_labels(path: Path, records, labels) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("source", "record_id", "cluster_id"))
        writer.writerows(zip(records["source"], records["record_id"], labels, strict=True))


def run_exact_keys(files: list[Path], output: Path) -> None:
    import unicodedata

    from homeward.engines.linkage import BirthDateError, parse_birth_date

    records = read_inputs(files)

    def normal(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold().strip()

    def date(text: str) -> str:
        try:
            return parse_birth_date(text).isoformat()
        except BirthDateError:
            return ""

    dates = {d: date(d) for d in records["birth_date"].unique()}
    labels = []
    for i, (given, family, born) in enumerate(
        zip(records["given_name"], records["family_name"], records["birth_date"], strict=True)
    ):
        parts = (normal(given), normal(family), dates[born])
        labels.append("|".join(parts) if all(parts) else f"single-{i}")
    write_labels(output, records, labels)


def run_splink_generic(files: list[Path], output: Path) -> None:
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from homeward.engines.linkage import BirthDateError, parse_birth_date

    records = read_inputs(files)
    table = records[["given_name", "family_name", "sex", "origin", "phone"]].replace("", None)

    # The one cleaning Splink's date comparison asks for: dates in one format (YYYY-MM-DD).
    def iso(text: str) -> str | None:
        try:
            return parse_birth_date(text).isoformat() or None
        except BirthDateError:
            return None

    dates = {text: iso(text) for text in records["birth_date"].unique()}
    table["birth_date"] = [dates[text] for text in records["birth_date"]]
    table.insert(0, "unique_id", range(len(table)))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("origin"),
            cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "family_name"),
            block_on("family_name", "birth_date"),
            block_on("given_name", "birth_date"),
        ],
        retain_matching_columns=False,
    )
    db = DuckDBAPI()
    linker = Linker(db.register(table), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    # As Homeward does, bounded: EM on a sample of each block, scoring in slices of records;
    # unbounded, a million people's registers need more than 20 GB here.
    for rule in (block_on("given_name", "family_name"), block_on("birth_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=2e6)
    predictions = linker.inference.predict(
        threshold_match_probability=0.9, num_chunks_left=max(1, -(-len(table) // 750_000))
    )
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    frame = clusters.as_duckdbpyrelation().select("unique_id", "cluster_id").df()
    label = dict(zip(frame["unique_id"], frame["cluster_id"], strict=True))
    write_labels(output, records, [label.get(i, f"single-{i}") for i in range(len(records))])


def method_command(method: str, files: list[Path], output: Path) -> list[str]:
    if method == "homeward":
        return [
            sys.executable,
            "-m",
            "homeward.cli",
            "dedupe",
            "--verbosity",
            "0",
            "--input",
            *map(str, files),
            "--output",
            str(output),
        ]
    return [sys.executable, __file__, "--run", method, "--output", str(output), *map(str, files)]


def measure(command: list[str]) -> dict:
    """Run ``command`` in a child of this (fresh) process: wall time and the child's peak RSS."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "returncode": result.returncode,
        "stderr": result.stderr[-3000:],
        "seconds": seconds,
        "peak_bytes": peak_kib * 1024,
    }


def run_method(method: str, files: list[Path], output: Path) -> dict:
    """Measured in a fresh interpreter, so that RUSAGE_CHILDREN holds only this method."""
    command = [
        sys.executable,
        __file__,
        "--measure",
        json.dumps(method_command(method, files, output)),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def scores(truth_path: Path, clusters_path: Path):
    import pandas as pd

    from homeward.engines.linkage import pairwise_scores

    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    clusters = pd.read_csv(clusters_path, dtype=str, keep_default_na=False)
    joined = truth.merge(clusters, on=["source", "record_id"], how="left", validate="one_to_one")
    if joined["cluster_id"].isna().any():
        raise SystemExit(f"{clusters_path}: some records have no cluster")
    return pairwise_scores(joined["person_id"].to_numpy(), joined["cluster_id"].to_numpy())


def _date_parts(text: str) -> tuple[int, int, int] | None:
    from homeward.engines.linkage import BirthDateError, parse_birth_date

    try:
        born = parse_birth_date(text)
    except BirthDateError:
        return None
    if born.year is None:
        return None
    return (born.year, born.month or 0, born.day or 0)


def date_relation(a: str, b: str) -> str:
    """How two records' birth dates relate, in the words of the recall breakdown."""
    pa, pb = _date_parts(a), _date_parts(b)
    if pa is None or pb is None:
        return "one record has no birth date"
    if pa == pb:
        return "same date"
    (ya, ma, da), (yb, mb, db) = pa, pb
    if ma == 0 or mb == 0:
        return "one record has the year (or month) only"
    if (ma, da) in ((1, 1), (7, 1)) or (mb, db) in ((1, 1), (7, 1)):
        return "one has 1 January or 1 July for an unknown day"
    if ya == yb and (ma, da) == (db, mb):
        return "day and month swapped"
    if abs(ya - yb) == 1 and (ma, da) == (mb, db):
        return "year differs by one, same day and month"
    return "other difference"


def recall_by_dates(files: list[Path], truth_path: Path, clusters_path: Path):
    """(relation, true pairs found, true pairs) per relation of the two birth dates."""
    from collections import Counter, defaultdict
    from itertools import combinations

    import pandas as pd

    records = read_inputs(files)
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    clusters = pd.read_csv(clusters_path, dtype=str, keep_default_na=False)
    joined = records.merge(truth, on=["source", "record_id"]).merge(
        clusters, on=["source", "record_id"]
    )
    by_person = defaultdict(list)
    for born, person, cluster in zip(
        joined["birth_date"], joined["person_id"], joined["cluster_id"], strict=True
    ):
        by_person[person].append((born, cluster))
    found, total = Counter(), Counter()
    for members in by_person.values():
        for (a, ca), (b, cb) in combinations(members, 2):
            kind = date_relation(a, b)
            total[kind] += 1
            found[kind] += ca == cb
    return [(kind, found[kind], total[kind]) for kind, _ in total.most_common()]


# ---- threshold sweep ----------------------------------------------------------------------


def sweep(files: list[Path], truth_path: Path, thresholds: list[float]) -> None:
    """Homeward's F1 at each threshold: one scoring run, clustered again at each threshold."""
    import pandas as pd

    from homeward.engines.linkage import deduplicate, pairwise_scores, settlement_spellings
    from homeward.engines.linkage.cluster import cluster_pairs, guard_profiles
    from homeward.engines.linkage.places import PlaceIndex
    from homeward.engines.linkage.records import prepare_records
    from homeward.places.gazetteer_files import read_rows

    records = read_inputs(files)
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    person = records.merge(truth, on=["source", "record_id"], how="left")["person_id"].to_numpy()
    places = PlaceIndex(settlement_spellings(row for _, row in read_rows("settlements.csv")))
    lowest = min(thresholds)
    result = deduplicate(records, places=places, threshold=lowest)
    features = prepare_records(records, places).features
    profile_of, profiles = guard_profiles(features)
    for threshold in sorted(thresholds):
        linked = result.pairs[result.pairs["match_probability"] >= threshold]
        clustering = cluster_pairs(
            len(records),
            zip(linked["unique_id_l"].tolist(), linked["unique_id_r"].tolist(), strict=True),
            profile_of,
            profiles,
        )
        s = pairwise_scores(person, clustering.labels)
        print(
            f"threshold {threshold}: precision {s.precision:.4f}, recall {s.recall:.4f}, "
            f"F1 {s.f1:.4f}"
        )


# ---- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=5, help="registering bodies, 3 to 5")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--sweep", action="store_true", help="Homeward's F1 across thresholds")
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    parser.add_argument(
        "--field-errors", action="store_true", help="registers with the field's errors"
    )
    # Internal: run one method, or measure one command, in a child process.
    parser.add_argument("--run", choices=METHODS[1:], help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(json.loads(args.measure))))
        return
    if args.run:
        {"splink-generic": run_splink_generic, "exact-keys": run_exact_keys}[args.run](
            args.files, args.output
        )
        return

    people = 300 if args.smoke else args.people
    if not 3 <= args.sources <= 5:
        parser.error("--sources must be between 3 and 5")
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = set(methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown methods: {', '.join(sorted(unknown))}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    with tempfile.TemporaryDirectory(prefix="homeward-linkage-") as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        files, truth, records = write_population(
            workdir, people, args.sources, args.seed, args.field_errors
        )
        print(f"machine: {describe_machine()}")
        print(
            f"linkage benchmark: {people:,} people, {args.sources} registers, {records:,} records, "
            f"seed {args.seed}{', field errors' if args.field_errors else ''} "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        if args.sweep:
            sweep(files, truth, [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999])
            return
        first = None
        for method in methods:
            output = workdir / f"clusters-{method}.csv"
            outcome = run_method(method, files, output)
            if outcome["returncode"] != 0:
                print(f"{method}: failed\n{outcome['stderr']}")
                sys.exit(1)
            s = scores(truth, output)
            first = first or s
            print(
                f"{method}: precision {s.precision:.4f}, recall {s.recall:.4f}, F1 {s.f1:.4f}, "
                f"wall {outcome['seconds']:.1f} s, peak memory {outcome['peak_bytes'] / 2**30:.2f} GiB"
            )
            if method == "homeward" and args.field_errors:
                for kind, found, total in recall_by_dates(files, truth, output):
                    print(f"  recall where {kind}: {found / total:.3f} ({total:,} true pairs)")
        if first is not None:
            print(f"true pairs: {first.true_pairs:,}")


if __name__ == "__main__":
    main()
