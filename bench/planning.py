"""Visit planning benchmark: Homeward's planner beside two greedy baselines, on one instance.

    python bench/planning.py              # 30,000 requests over 90 days
    python bench/planning.py --smoke      # a tiny instance: checks the script still runs
    python bench/planning.py --forensic-share 0.05   # 5% are grave relocations, each needing
                                                     # a forensic team on its day

The instance is `generate_instance` (synthetic, seeded): demand above what the checkpoint
can take, as many convoys as the checkpoint needs and no more, ten routes. Every plan is
checked with `check_plan` and costed with `plan_cost`; gaps are measured against the lower
bound Homeward's planner computes (the fluid LP), in the same run:
- Homeward: `plan_visits` (LP bound, LP-guided first plan, local search, CP-SAT repacking);
- first come, first served: by earliest date then request order, each on its earliest day
  with room;
- highest priority first: the same, priority 3 first.
"""

import argparse
import math
import sys
import time
from dataclasses import replace
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from machine import describe_machine  # noqa: E402  (bench/ is on the path)

from homeward.engines.planning import (  # noqa: E402
    Plan,
    PlanningInstance,
    check_plan,
    first_come_first_served,
    generate_instance,
    highest_priority_first,
    plan_cost,
    plan_visits,
    relative_gap,
)
from homeward.engines.planning.model import cargo_litres  # noqa: E402


def describe(instance: PlanningInstance) -> str:
    capacity = instance.capacity
    people = sum(q.people for q in instance.requests)
    open_days = len(capacity.open_dates())
    room = open_days * capacity.checkpoint_people_per_day
    shares = {p: sum(1 for q in instance.requests if q.priority == p) for p in (2, 3)}
    n = len(instance.requests)
    needing = sum(1 for q in instance.requests if q.forensic_teams)
    forensic = (
        f"; {needing:,} relocations needing a forensic team, "
        f"{capacity.forensic_teams_per_day} teams/day"
        if needing
        else ""
    )
    return (
        f"{n:,} requests ({people:,} people; priority 2: {shares[2] / n:.0%}, "
        f"priority 3: {shares[3] / n:.0%}) over {capacity.days} days ({open_days} open); "
        f"checkpoint {capacity.checkpoint_people_per_day:,} people/day; "
        f"{capacity.convoys_per_day} convoys/day of {capacity.seats_per_convoy} seats and "
        f"{capacity.cargo_m3_per_convoy:g} m³; {len(capacity.routes)} routes; "
        f"people asking / checkpoint places: {people / room:.2f}{forensic}"
    )


def with_relocations(
    instance: PlanningInstance, *, share: float, teams: int | None, seed: int
) -> PlanningInstance:
    """The same instance with `share` of the requests (drawn apart from the instance's own
    draws, so everything else stays as it was) needing one forensic team on their day; teams
    per day as given, else sized like the checkpoint: 1/1.1 of the relocations asking per
    open day, rounded up."""
    rng = Random(f"forensic-{seed}")
    requests = tuple(
        replace(q, forensic_teams=1) if rng.random() < share else q for q in instance.requests
    )
    needing = sum(1 for q in requests if q.forensic_teams)
    open_days = len(instance.capacity.open_dates())
    per_day = teams if teams is not None else max(1, math.ceil(needing / open_days / 1.1))
    capacity = replace(instance.capacity, forensic_teams_per_day=per_day)
    return PlanningInstance(capacity=capacity, requests=requests)


def relocations_served(instance: PlanningInstance, plan: Plan) -> tuple[int, int, int]:
    """Requests needing a team that are served, of how many, and the most teams on a day."""
    needing = [q for q in instance.requests if q.forensic_teams]
    teams_on: dict[object, int] = {}
    served_count = 0
    for q in needing:
        placement = plan.placements.get(q.request_id)
        if placement is not None:
            served_count += 1
            teams_on[placement.date] = teams_on.get(placement.date, 0) + q.forensic_teams
    return served_count, len(needing), max(teams_on.values(), default=0)


def served(instance: PlanningInstance, plan: Plan) -> tuple[int, int]:
    people = {q.request_id: q.people for q in instance.requests}
    on_board = sum(people[r] for r in plan.placements)
    return on_board, sum(people.values()) - on_board


def cargo_on_full_convoys(instance: PlanningInstance, plan: Plan) -> tuple[float, float]:
    """Mean cargo of convoys with at most two seats free, and the share of convoys whose
    cargo space is (within 1 m³) full."""
    seats: dict[object, int] = {}
    cargo: dict[object, int] = {}
    by_id = {q.request_id: q for q in instance.requests}
    for request_id, placement in plan.placements.items():
        seats[placement] = seats.get(placement, 0) + by_id[request_id].people
        cargo[placement] = cargo.get(placement, 0) + cargo_litres(by_id[request_id].cargo_m3)
    capacity = instance.capacity
    full = [cargo[c] for c in seats if seats[c] >= capacity.seats_per_convoy - 2]
    limit = cargo_litres(capacity.cargo_m3_per_convoy)
    at_limit = sum(1 for c in cargo if cargo[c] >= limit - 1000)
    mean_full = sum(full) / len(full) / 1000 if full else 0.0
    return mean_full, at_limit / max(1, len(cargo))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--routes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--smoke", action="store_true", help="a tiny instance, in seconds")
    parser.add_argument(
        "--forensic-share",
        type=float,
        default=0.0,
        help="share of requests that are grave relocations needing a forensic team (0 to 1)",
    )
    parser.add_argument(
        "--forensic-teams",
        type=int,
        default=None,
        help="forensic teams per day (default: 1/1.1 of the relocations asking per open day)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.days, args.routes, args.time_limit = 1500, 30, 4, 20.0

    print(f"machine: {describe_machine()}")
    started = time.perf_counter()
    instance = generate_instance(
        requests=args.requests, days=args.days, routes=args.routes, seed=args.seed
    )
    if args.forensic_share > 0:
        instance = with_relocations(
            instance, share=args.forensic_share, teams=args.forensic_teams, seed=args.seed
        )
    print(
        f"instance (seed {args.seed}, made in {time.perf_counter() - started:.1f} s): {describe(instance)}"
    )

    outcome = plan_visits(instance, time_limit=args.time_limit, seed=args.seed)
    bound = outcome.bound
    print(f"lower bound: {bound:,.0f} ({outcome.bound_method})")
    results = [("Homeward", outcome.plan, outcome.seconds)]
    for name, baseline in (
        ("first come, first served", first_come_first_served),
        ("highest priority first", highest_priority_first),
    ):
        started = time.perf_counter()
        plan = baseline(instance)
        results.append((name, plan, time.perf_counter() - started))

    print(
        f"{'':26}{'cost':>12}{'gap':>10}{'served people':>16}{'unserved people':>18}{'wall time':>12}"
    )
    for name, plan, seconds in results:
        problems = check_plan(instance, plan)
        if problems:
            raise SystemExit(f"{name}: the plan breaks rules: {problems[:5]}")
        cost = plan_cost(instance, plan)
        on_board, left = served(instance, plan)
        print(
            f"{name:26}{cost:>12,}{relative_gap(cost, bound):>10.2%}{on_board:>16,}{left:>18,}"
            f"{seconds:>10.1f} s"
        )
    if any(q.forensic_teams for q in instance.requests):
        teams = instance.capacity.forensic_teams_per_day
        for name, plan, _seconds in results:
            done, needing, busiest = relocations_served(instance, plan)
            print(
                f"{name}: {done:,} of {needing:,} relocations served; "
                f"busiest day {busiest} of {teams} forensic teams"
            )
    mean_full, at_limit = cargo_on_full_convoys(instance, outcome.plan)
    print(
        f"Homeward's convoys: {mean_full:.1f} m³ of cargo on average in a full convoy; "
        f"{at_limit:.0%} of convoys full on cargo"
    )
    limit = "stopped by the time limit" if outcome.stopped_by_time_limit else "finished"
    print(f"Homeward {limit} (limit {args.time_limit:g} s); every plan passes check_plan")


if __name__ == "__main__":
    main()
