import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.engines.projection import (
    Survey,
    blocking_conditions,
    check_given,
    gains_if_given,
    project_returns,
    read_guarantees_toml,
    read_intentions_csv,
    write_projection_csv,
)
from homeward.errors import InputRejected


class Command(BaseCommand):
    help = (
        "Project who would return under the given guarantees: reads intentions.csv "
        "(household_id, settlement, people, intention, conditions[, weight]) and "
        "guarantees.toml ([guarantees.CODE] answers = [condition codes]), writes projection.csv "
        "with one row per settlement and ALL last, with a 95 %% bootstrap interval."
    )
    # File in, file out: nothing here needs the database or the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--intentions", type=Path, required=True, help="intentions.csv")
        parser.add_argument("--guarantees", type=Path, required=True, help="guarantees.toml")
        parser.add_argument(
            "--given",
            default="",
            help="guarantee codes given, separated by commas (none: nobody with a condition)",
        )
        parser.add_argument("--output", type=Path, required=True, help="projection.csv to write")
        parser.add_argument(
            "--samples", type=int, default=1000, help="bootstrap samples (default 1000)"
        )
        parser.add_argument("--seed", type=int, default=0, help="same seed, same interval")

    def handle(self, *args, **options):
        output: Path = options["output"]
        samples: int = options["samples"]
        if samples < 0 or samples > 100_000:
            raise CommandError("--samples must be between 0 and 100000")
        if not output.resolve().parent.is_dir():
            raise CommandError(f"{output}: its directory does not exist")
        for option in ("intentions", "guarantees"):
            if not options[option].is_file():
                raise CommandError(f"{options[option]}: no such file")
        given = [code.strip() for code in options["given"].split(",") if code.strip()]
        started = time.perf_counter()
        try:
            households = read_intentions_csv(options["intentions"])
            guarantees = read_guarantees_toml(options["guarantees"])
            check_given(given, guarantees)
        except InputRejected as rejected:
            raise CommandError(str(rejected)) from None
        survey = Survey(households)
        rows = project_returns(survey, guarantees, given, samples=samples, seed=options["seed"])
        write_projection_csv(output, rows)
        total = rows[-1]
        write = self.stdout.write
        write(
            f"{output}: {total.households_surveyed} households in {len(rows) - 1} settlements; "
            f"would return: {total.would_return_people:g} people "
            f"(95 % interval {total.would_return_people_low:g} to "
            f"{total.would_return_people_high:g}), might return: "
            f"{total.might_return_people:g}"
        )
        for gain in gains_if_given(survey, guarantees, given)[:3]:
            if gain.people:
                write(f"if {gain.code} were also given: {gain.people:g} more people")
        for gain in blocking_conditions(survey, guarantees, given)[:3]:
            write(f"only {gain.code} keeps {gain.people:g} people from returning")
        write(f"wall time: {time.perf_counter() - started:.2f} s ({samples} samples)")
