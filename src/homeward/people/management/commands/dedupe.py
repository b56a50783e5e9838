"""`homeward dedupe`: which records of several registers are one person.

    homeward dedupe --input ms.csv unhcr.csv icrc.csv --output clusters.csv \\
        --review-band 0.5 0.99 --pairs review.csv

Reads files in the import column contract, links them with the linkage engine (Splink on
DuckDB, or on Spark with --backend spark) and writes one row per input record: source,
record_id, cluster_id. Origins are resolved through the gazetteer's data file, so no database
is needed.
"""

import csv
import logging
import time
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from homeward.duplicates.steps import ENGINE_STEPS
from homeward.engines.linkage import (
    COMPARED_FIELDS,
    DEFAULT_THRESHOLD,
    INPUT_COLUMNS,
    Deduplication,
    deduplicate,
    settlement_spellings,
)
from homeward.engines.linkage.cluster import REASONS
from homeward.errors import InputRejected, RowProblem
from homeward.places.gazetteer_files import read_rows

REQUIRED_VALUES = ("source", "record_id")
# Read when present: two records of one source with one household_ref are never one cluster
# (siblings, twins), whatever their score; they go to the pairs file instead.
OPTIONAL_COLUMNS = ("household_ref",)
MAX_PROBLEMS = 200


def read_registrations(paths: list[Path]) -> pd.DataFrame:
    """All files as one table with the contract columns, plus file and row for messages.

    Raises InputRejected naming the file, row and field of every problem: a missing file or
    column, an empty source or record_id, a (source, record_id) seen before.
    """
    problems: list[RowProblem] = []
    tables = []
    for path in paths:
        try:
            table = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skip_blank_lines=False,
            )
        except FileNotFoundError:
            problems.append(RowProblem(str(path), 0, "", "no such file"))
            continue
        except UnicodeDecodeError:
            problems.append(RowProblem(str(path), 0, "", "is not UTF-8 text"))
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            problems.append(RowProblem(str(path), 0, "", f"is not a readable CSV file ({error})"))
            continue
        table.columns = [str(c).strip().lower() for c in table.columns]
        missing = [c for c in INPUT_COLUMNS if c not in table.columns]
        if missing:
            problems += [
                RowProblem(str(path), 1, c, "column is missing from the header") for c in missing
            ]
            continue
        for column in OPTIONAL_COLUMNS:
            if column not in table.columns:
                table[column] = ""
        columns = [*INPUT_COLUMNS, *OPTIONAL_COLUMNS]
        table = table[columns].apply(lambda column: column.str.strip())
        table["file"] = str(path)
        table["row"] = table.index + 2  # the header is row 1
        table = table[(table[list(INPUT_COLUMNS)] != "").any(axis=1)]
        for column in REQUIRED_VALUES:
            for row in table.loc[table[column] == "", "row"].head(MAX_PROBLEMS):
                problems.append(RowProblem(str(path), int(row), column, "is empty"))
        tables.append(table)
    if problems:
        raise InputRejected(problems)
    records = (
        pd.concat(tables, ignore_index=True)
        if tables
        else pd.DataFrame(columns=[*INPUT_COLUMNS, *OPTIONAL_COLUMNS, "file", "row"])
    )

    repeated = records.duplicated(["source", "record_id"], keep="first")
    if repeated.any():
        first = records[~repeated].set_index(["source", "record_id"])
        for _, record in records[repeated].head(MAX_PROBLEMS).iterrows():
            seen = first.loc[(record["source"], record["record_id"])]
            problems.append(
                RowProblem(
                    record["file"],
                    int(record["row"]),
                    "record_id",
                    f"{record['source']}/{record['record_id']} is already in "
                    f"{seen['file']}, row {seen['row']}",
                )
            )
        raise InputRejected(problems)
    return records


def write_clusters(path: Path, result: Deduplication) -> None:
    width = max(1, len(str(result.cluster_count)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("source", "record_id", "cluster_id"))
        writer.writerows(
            (source, record_id, f"C{cluster + 1:0{width}d}")
            for (source, record_id), cluster in zip(
                result.references, result.cluster_ids.tolist(), strict=True
            )
        )


def write_pairs(path: Path, result: Deduplication) -> None:
    width = max(1, len(str(result.cluster_count)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            (
                "source_a",
                "record_id_a",
                "source_b",
                "record_id_b",
                "probability",
                "match_weight",
                "linked",
                "cluster_a",
                "cluster_b",
                "kept_apart",
                *COMPARED_FIELDS,
            )
        )
        cluster = {
            ref: c for ref, c in zip(result.references, result.cluster_ids.tolist(), strict=True)
        }
        for pair in result.review:
            writer.writerow(
                (
                    *pair.record_a,
                    *pair.record_b,
                    f"{pair.probability:.6f}",
                    f"{pair.match_weight:.2f}",
                    "yes" if pair.linked else "no",
                    f"C{cluster[pair.record_a] + 1:0{width}d}",
                    f"C{cluster[pair.record_b] + 1:0{width}d}",
                    REASONS.get(pair.kept_apart, ""),
                    *(pair.agreements[f] for f in COMPARED_FIELDS),
                )
            )


class Command(BaseCommand):
    help = (
        "Find which records of several registers are one person. Reads CSV files in the import "
        "column contract (source, record_id, given_name, family_name, patronymic, sex, "
        "birth_date, origin, phone; other columns are ignored) and writes source, record_id, "
        "cluster_id for every record. Unreadable birth dates and phones count as unknown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", nargs="+", type=Path, required=True, metavar="FILE")
        parser.add_argument("--output", type=Path, required=True, metavar="FILE")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"match probability that links two records (default {DEFAULT_THRESHOLD})",
        )
        parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
        parser.add_argument(
            "--spark-master",
            default="local[*]",
            help="with --backend spark: the master URL (default local[*], this machine)",
        )
        parser.add_argument(
            "--review-band",
            nargs=2,
            type=float,
            metavar=("LOW", "HIGH"),
            help="pairs scored in [LOW, HIGH), and pairs kept apart by the guard, go to --pairs",
        )
        parser.add_argument(
            "--pairs", type=Path, metavar="FILE", help="uncertain pairs for human review"
        )

    def handle(self, *args, **options):
        inputs: list[Path] = options["input"]
        output: Path = options["output"]
        threshold: float = options["threshold"]
        band = tuple(options["review_band"]) if options["review_band"] else None
        pairs_path: Path | None = options["pairs"]
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1")
        if band is not None and not 0 <= band[0] <= band[1] <= 1:
            raise CommandError("--review-band needs 0 <= LOW <= HIGH <= 1")
        if pairs_path is not None and band is None:
            raise CommandError("--pairs needs --review-band LOW HIGH")
        if band is not None and pairs_path is None:
            pairs_path = output.with_name(f"{output.stem}.pairs.csv")

        console = Console(stderr=True, quiet=options["verbosity"] == 0, log_path=False)
        logging.getLogger("splink").setLevel(logging.ERROR)
        started = time.perf_counter()
        with console.status("Reading registrations") as status:
            try:
                records = read_registrations(inputs)
            except InputRejected as error:
                raise CommandError(str(error)) from None
            console.log(f"read {len(records):,} records from {len(inputs)} file(s)")
            spellings = settlement_spellings(row for _, row in read_rows("settlements.csv"))

            spark = None
            if options["backend"] == "spark":
                status.update("Starting Spark")
                spark = _spark_session(options["spark_master"])

            step_started = [time.perf_counter()]

            def progress(step: str) -> None:
                message = str(ENGINE_STEPS[step][0]) if step in ENGINE_STEPS else step
                status.update(message)
                step_started[0] = time.perf_counter()
                console.log(f"{message.lower()}…")

            result = deduplicate(
                records,
                places=spellings,
                threshold=threshold,
                review_band=band,
                backend=options["backend"],
                spark=spark,
                progress=progress,
            )
            status.update("Writing results")
            write_clusters(output, result)
            if pairs_path is not None:
                write_pairs(pairs_path, result)

        warnings = result.warnings
        if warnings.unreadable_birth_dates or warnings.unreadable_phones:
            self.stderr.write(
                f"Treated as unknown: {warnings.unreadable_birth_dates:,} unreadable birth "
                f"dates, {warnings.unreadable_phones:,} unreadable phones. For example:"
            )
            for position, field, _value, why in warnings.examples[:10]:
                problem = RowProblem(
                    records["file"].iat[position], int(records["row"].iat[position]), field, why
                )
                self.stderr.write(f"  {problem}")
        self.stdout.write(
            f"{len(result.references):,} records in {result.cluster_count:,} clusters "
            f"(threshold {threshold}); {len(result.pairs):,} pairs scored above "
            f"{min(threshold, band[0]) if band else threshold}; {result.refused_pairs:,} kept "
            f"apart by the guard; {time.perf_counter() - started:.1f} s. Wrote {output}"
            + (
                f" and {len(result.review):,} pairs for review to {pairs_path}"
                if pairs_path
                else ""
            )
        )


def _spark_session(master: str):
    from homeward.engines.linkage.backends import local_spark_session

    return local_spark_session(master=master)
