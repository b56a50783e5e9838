"""Return projection benchmark: Homeward's engine beside a plain Python loop, on one survey.

    python bench/projection.py            # 40,000 households, 30 guarantees, 1,000 samples
    python bench/projection.py --smoke    # a small survey: checks the script still runs

The survey is synthetic and seeded: households in 70 settlements, 1 to 8 people, a third
intending to return, a quarter undecided, each setting 0 to 4 conditions; 30 guarantees each
answer one or two conditions; half of them are given. Both methods compute the same point
figures (checked) and a bootstrap over households resampled within each settlement:
- Homeward: `project_returns` (NumPy arrays built once, condition sets as bit masks);
- baseline: a loop over households per settlement, `random.choices` per resample. It is run
  on fewer samples (`--baseline-samples`) and its time for 1,000 is scaled from that, said so.
"""

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from machine import describe_machine  # noqa: E402  (bench/ is on the path)

from homeward.engines.projection import (  # noqa: E402
    CONDITION_CODES,
    HouseholdIntention,
    Survey,
    blocking_conditions,
    gains_if_given,
    project_returns,
)

INTENTION_SHARES = (
    ("return", 0.35),
    ("undecided", 0.25),
    ("visit_only", 0.15),
    ("not_return", 0.25),
)


def make_survey(households: int, guarantees: int, seed: int):
    rng = random.Random(seed)
    settlements = [f"settlement-{i:02d}" for i in range(70)]
    intentions, weights = zip(*INTENTION_SHARES, strict=True)
    survey = [
        HouseholdIntention(
            household_id=f"h{i}",
            settlement=rng.choice(settlements),
            people=rng.randint(1, 8),
            intention=rng.choices(intentions, weights)[0],
            conditions=frozenset(rng.sample(CONDITION_CODES, rng.randint(0, 4))),
            weight=rng.choice((1.0, 1.0, 1.5, 2.0)),
        )
        for i in range(households)
    ]
    table = {
        f"G{g:02d}": frozenset(rng.sample(CONDITION_CODES, rng.randint(1, 2)))
        for g in range(guarantees)
    }
    return survey, table, sorted(table)[: guarantees // 2]


def baseline(survey, table, given, samples: int, seed: int):
    """Point figures and bootstrap with lists and loops, as one would write it first."""
    answered = set().union(*(table[g] for g in given)) if given else set()
    by_settlement = defaultdict(list)
    for h in survey:
        returns = h.intention == "return" and h.conditions <= answered
        by_settlement[h.settlement].append(h.people * h.weight if returns else 0.0)
    point = sum(sum(values) for values in by_settlement.values())
    rng = random.Random(seed)
    totals = []
    for _ in range(samples):
        totals.append(
            sum(sum(rng.choices(values, k=len(values))) for values in by_settlement.values())
        )
    totals.sort()
    low = totals[int(0.025 * (samples - 1))] if samples else point
    high = totals[int(0.975 * (samples - 1))] if samples else point
    return point, low, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=40_000)
    parser.add_argument("--guarantees", type=int, default=30)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--baseline-samples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="2,000 households, 50 samples")
    args = parser.parse_args()
    if args.smoke:
        args.households, args.samples, args.baseline_samples = 2000, 50, 10

    print(f"machine: {describe_machine()}")
    survey, table, given = make_survey(args.households, args.guarantees, args.seed)
    print(
        f"survey: {args.households:,} households, {args.guarantees} guarantees, "
        f"{len(given)} given; {args.samples:,} bootstrap samples"
    )

    started = time.perf_counter()
    arrays = Survey(survey)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    point_rows = project_returns(arrays, table, given, samples=0)
    point_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = project_returns(arrays, table, given, samples=args.samples, seed=args.seed)
    bootstrap_seconds = time.perf_counter() - started
    started = time.perf_counter()
    gains_if_given(arrays, table, given)
    blocking_conditions(arrays, table, given)
    toggle_seconds = time.perf_counter() - started

    started = time.perf_counter()
    base_point, base_low, base_high = baseline(survey, table, given, 0, args.seed)
    base_point_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baseline(survey, table, given, args.baseline_samples, args.seed)
    base_sample_seconds = time.perf_counter() - started
    scaled = base_sample_seconds * args.samples / max(1, args.baseline_samples)

    total = rows[-1]
    assert abs(point_rows[-1].would_return_people - base_point) < 1e-6, "point figures differ"
    print(
        f"would return: {total.would_return_people:,.0f} people "
        f"(95 % interval {total.would_return_people_low:,.0f} to "
        f"{total.would_return_people_high:,.0f}); both methods agree on the point figure"
    )
    print(f"{'method':<10} {'point figures':>14} {'bootstrap':>22}")
    print(
        f"{'Homeward':<10} {build_seconds + point_seconds:>12.3f} s "
        f"{bootstrap_seconds:>11.2f} s ({args.samples}); of the point figures, "
        f"{build_seconds:.3f} s build the arrays once and {point_seconds * 1000:.0f} ms "
        "project them (what a toggle costs)"
    )
    print(
        f"{'loop':<10} {base_point_seconds:>12.3f} s {scaled:>11.2f} s ({args.samples}, "
        f"scaled from {args.baseline_samples} samples in {base_sample_seconds:.2f} s)"
    )
    print(f"what-if gains for every guarantee and condition: {toggle_seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
