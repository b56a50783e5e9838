"""Realistic synthetic planning instances, for tests and the benchmark.

Settlements have populations like those of a small mountain region: one city holding about
two fifths of the people, a few towns, many villages (Zipf-like sizes). About ten routes each
serve a handful of them; the city and a few villages sit on two routes. Requests come from
households of 1 to 8 people (mean about 3.5) going where they lived, so destinations follow
population. Cargo grows with the household (about 1.1 m³ a person, spread log-normally; some
bring nothing back). A backlog asks at opening and the rest trickle in over the horizon;
windows last 2 to 8 weeks; about 25% are priority 2 and 15% priority 3.

Capacity is sized from the demand: the checkpoint processes `1 / demand_ratio` of the people
asking per open day, and there are just enough convoys (`convoy_slack` = 1) to seat them, so
that every convoy that leaves part empty turns people away; escort teams are the scarce
resource they are in the field. Everything is drawn from `random.Random(seed)`: a seed always
gives the same instance. Names are synthetic.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from random import Random

from homeward.engines.planning.model import Capacity, PlanningInstance, VisitRequest

HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
HOUSEHOLD_SIZE_WEIGHTS = (0.14, 0.19, 0.21, 0.19, 0.13, 0.08, 0.04, 0.02)  # mean 3.48
CARGO_M3_PER_PERSON = 1.1


def generate_instance(
    *,
    requests: int = 30_000,
    days: int = 90,
    seed: int = 1,
    start: date = date(2026, 6, 1),
    routes: int = 10,
    settlements: int = 70,
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5}),
    demand_ratio: float = 1.1,
    seats_per_convoy: int = 50,
    cargo_m3_per_convoy: float = 60.0,
    convoy_slack: float = 1.0,
    backlog_share: float = 0.35,
) -> PlanningInstance:
    """`demand_ratio` is the people asking over the people the checkpoint can take in the horizon."""
    rng = Random(seed)
    end = start + timedelta(days=days - 1)
    places, population = _settlements(rng, settlements)
    route_map = _routes(rng, places, routes)

    visit_requests: list[VisitRequest] = []
    household = 0
    for n in range(requests):
        # A few households send their members in two groups, as two requests.
        if n == 0 or rng.random() > 0.03:
            household += 1
            destination = rng.choices(places, weights=population)[0]
        people = rng.choices(HOUSEHOLD_SIZES, weights=HOUSEHOLD_SIZE_WEIGHTS)[0]
        cargo = 0.0
        if rng.random() > 0.08:
            # Mean of the log-normal factor is 1; /0.92 keeps the mean per person over everyone.
            sigma = 0.5
            factor = rng.lognormvariate(-sigma * sigma / 2, sigma)
            cargo = round(min(people * CARGO_M3_PER_PERSON / 0.92 * factor, 30.0), 1)
        if rng.random() < backlog_share:
            earliest = start + timedelta(days=rng.randrange(min(7, days)))
        else:
            earliest = start + timedelta(days=rng.randrange(max(1, days - 13)))
        if rng.random() < 0.08:
            latest = end
        else:
            latest = min(end, earliest + timedelta(days=7 * rng.randint(2, 8) - 1))
        draw = rng.random()
        priority = 3 if draw < 0.15 else 2 if draw < 0.40 else 1
        visit_requests.append(
            VisitRequest(
                request_id=f"R{n + 1:06d}",
                household_id=f"H{household:06d}",
                people=people,
                destination=destination,
                cargo_m3=cargo,
                earliest=earliest,
                latest=latest,
                priority=priority,
            )
        )

    open_days = sum(
        1 for offset in range(days) if (start + timedelta(days=offset)).isoweekday() in weekdays
    )
    total_people = sum(q.people for q in visit_requests)
    per_day = total_people / max(1, open_days) / demand_ratio
    checkpoint = max(seats_per_convoy, _round_to(per_day, 10 if per_day > 100 else 1))
    convoys = max(1, math.ceil(checkpoint * convoy_slack / seats_per_convoy))
    capacity = Capacity(
        start=start,
        days=days,
        weekdays=weekdays,
        checkpoint_people_per_day=checkpoint,
        convoys_per_day=convoys,
        seats_per_convoy=seats_per_convoy,
        cargo_m3_per_convoy=cargo_m3_per_convoy,
        routes=route_map,
    )
    return PlanningInstance(capacity=capacity, requests=tuple(visit_requests))


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _settlements(rng: Random, count: int) -> tuple[list[str], list[float]]:
    count = max(count, 3)
    towns = max(1, count // 12)
    names = ["city"] + [f"town-{k + 1:02d}" for k in range(towns)]
    names += [f"village-{k + 1:02d}" for k in range(count - 1 - towns)]
    villages = [rng.uniform(150, 600) * (k + 1) ** -0.6 * 4 for k in range(count - 1 - towns)]
    town_sizes = [rng.uniform(2500, 5000) for _ in range(towns)]
    rest = sum(villages) + sum(town_sizes)
    city = rest * 0.7  # about two fifths of everyone
    return names, [city, *town_sizes, *villages]


def _routes(rng: Random, places: list[str], count: int) -> dict[str, tuple[str, ...]]:
    count = max(1, min(count, len(places) - 1))
    names = [f"route-{k + 1:02d}" for k in range(count)]
    others = places[1:]
    rng.shuffle(others)
    stops: list[list[str]] = [[] for _ in range(count)]
    for k, place in enumerate(others):
        stops[k % count].append(place)
    # The city sits on the first two routes, as a regional centre on two roads.
    stops[0].insert(0, places[0])
    if count > 1:
        stops[1].insert(0, places[0])
        # A few villages lie where two roads meet.
        shared = [(k, stops[k][-1]) for k in range(min(3, count)) if stops[k]]
        for k, place in shared:
            target = stops[(k + 1) % count]
            if place not in target:
                target.append(place)
    return {name: tuple(route) for name, route in zip(names, stops, strict=True)}
