from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from homeward.engines.planning import (
    PlanningFilesRejected,
    PlanningInstance,
    PlanOutcome,
    Replanning,
    check_plan,
    plan_visits,
    read_capacity_toml,
    read_pinned,
    read_plan_csv,
    read_requests_csv,
    write_plan_csv,
)
from homeward.errors import InputRejected, RowProblem


class Command(BaseCommand):
    help = (
        "Plan escorted day visits: assign each request (requests.csv: request_id, household_id, "
        "people, destination, cargo_m3, earliest, latest, priority, and optionally "
        "forensic_teams for a grave relocation) to a date and a convoy within the capacity of "
        "capacity.toml (optionally forensic_teams_per_day), and write plan.csv (request_id, "
        "date, convoy, route, note). A window reaching past the horizon is planned inside it; "
        "one wholly outside is left unplanned with the reason. Prints the plan's cost beside a "
        "lower bound on any plan's cost. "
        "With --previous (and --pinned), replans moving as few people as it can."
    )
    # File in, file out: nothing here needs the database or the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=Path, required=True, help="requests.csv")
        parser.add_argument("--capacity", type=Path, required=True, help="capacity.toml")
        parser.add_argument("--output", type=Path, required=True, help="plan.csv to write")
        parser.add_argument(
            "--time-limit", type=float, default=60.0, help="seconds to plan for (default 60)"
        )
        parser.add_argument("--seed", type=int, default=0, help="same seed, same plan")
        parser.add_argument(
            "--previous", type=Path, help="the plan people were told about (a plan.csv)"
        )
        parser.add_argument(
            "--pinned",
            type=Path,
            help="request ids (one a line, or a CSV with request_id) cleared or notified: "
            "they keep their date and convoy while that is feasible",
        )
        parser.add_argument(
            "--move-penalty",
            type=float,
            default=100.0,
            help="cost of moving one previously planned person, in person-days of "
            "priority-1 waiting (default 100)",
        )

    def handle(self, *args, **options):
        requests: Path = options["requests"]
        capacity_file: Path = options["capacity"]
        output: Path = options["output"]
        time_limit: float = options["time_limit"]
        if time_limit <= 0:
            raise CommandError("--time-limit must be positive")
        if options["move_penalty"] < 0:
            raise CommandError("--move-penalty cannot be negative")
        if options["pinned"] and not options["previous"]:
            raise CommandError("--pinned needs --previous: the plan the pinned requests are in")
        if not output.resolve().parent.is_dir():
            raise CommandError(f"{output}: its directory does not exist")

        try:
            capacity = read_capacity_toml(capacity_file)
            instance = read_requests_csv(requests, capacity)
            replanning = None
            if options["previous"]:
                replanning = Replanning(
                    previous=read_plan_csv(options["previous"]),
                    pinned=read_pinned(options["pinned"]) if options["pinned"] else frozenset(),
                    move_penalty=options["move_penalty"],
                )
        except PlanningFilesRejected as error:
            rejected = InputRejected(
                [RowProblem(p.file, p.row, p.field, p.problem) for p in error.problems]
            )
            raise CommandError(str(rejected)) from None

        console = Console(stderr=True)
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        with Progress(
            *columns, console=console, disable=options["verbosity"] == 0, transient=True
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: float) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=1.0)
                bar.update(tasks[stage], completed=done)

            try:
                outcome = plan_visits(
                    instance,
                    time_limit=time_limit,
                    seed=options["seed"],
                    replanning=replanning,
                    progress=progress,
                )
            except ValueError as error:
                raise CommandError(f"{requests.name}: {error}") from None

        broken = check_plan(instance, outcome.plan)
        if broken:
            raise CommandError(
                "The plan breaks rules; nothing was written:\n  " + "\n  ".join(broken)
            )
        write_plan_csv(output, instance, outcome.plan, unservable=outcome.unservable)
        self.report(output, outcome, time_limit, replanning, options["verbosity"])
        self.report_forensic_teams(instance, outcome)

    def report_forensic_teams(self, instance: PlanningInstance, outcome: PlanOutcome) -> None:
        """Relocations served and the busiest day's teams: the planner's say on the forensic
        capacity, only when some request needs a team."""
        needing = [q for q in instance.requests if q.forensic_teams > 0]
        if not needing:
            return
        teams_on: dict[date, int] = {}
        served = 0
        for q in needing:
            placement = outcome.plan.placements.get(q.request_id)
            if placement is not None:
                served += 1
                teams_on[placement.date] = teams_on.get(placement.date, 0) + q.forensic_teams
        self.stdout.write(
            f"forensic teams: {served} of {len(needing)} requests needing one served; "
            f"the busiest day uses {max(teams_on.values(), default=0)} of "
            f"{instance.capacity.forensic_teams_per_day} a day"
        )

    def report(
        self,
        output: Path,
        outcome: PlanOutcome,
        time_limit: float,
        replanning: Replanning | None,
        verbosity: int,
    ) -> None:
        write = self.stdout.write
        total = outcome.served_requests + outcome.unserved_requests
        write(
            f"{output}: {total} requests; {outcome.served_requests} served "
            f"({outcome.served_people} people), {outcome.unserved_requests} unserved "
            f"({outcome.unserved_people} people), {len(outcome.unservable)} of them unservable"
        )
        write(f"cost: {outcome.cost}")
        write(f"lower bound: {outcome.bound:.0f} ({outcome.bound_method})")
        write(f"gap: {100 * outcome.gap:.2f}% (cost over the bound, less one)")
        ending = "stopped by the time limit" if outcome.stopped_by_time_limit else "finished"
        write(f"wall time: {outcome.seconds:.1f} s ({ending}; limit {time_limit:g} s)")
        routes: dict[str, int] = {}
        for route in outcome.plan.convoy_routes.values():
            routes[route] = routes.get(route, 0) + 1
        days = len({placement.date for placement in outcome.plan.convoy_routes})
        write(
            f"convoys: {len(outcome.plan.convoy_routes)} on {days} days; by route: "
            + ", ".join(f"{route} {count}" for route, count in sorted(routes.items()))
        )
        if verbosity >= 2:
            for placement, route in sorted(outcome.plan.convoy_routes.items()):
                write(f"  convoy {placement.convoy_id}: {route}")
        if outcome.outside_horizon:
            shown = ", ".join(outcome.outside_horizon[:10])
            more = " …" if len(outcome.outside_horizon) > 10 else ""
            write(
                "outside the horizon, not planned and not counted in the cost: "
                f"{len(outcome.outside_horizon)} ({shown}{more})"
            )
        for request_id, reason in list(outcome.unservable.items())[:10]:
            write(f"unservable {request_id}: {reason}")
        if len(outcome.unservable) > 10:
            write(f"… and {len(outcome.unservable) - 10} more unservable (see the note column)")
        if replanning is not None:
            write(
                f"moved from the previous plan: {outcome.moved_requests} requests "
                f"({outcome.moved_people} people)"
            )
            for request_id in outcome.pinned_moved:
                write(f"pinned {request_id} could not keep its place: it is no longer feasible")
