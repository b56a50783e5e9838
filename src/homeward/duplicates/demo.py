"""Duplicates for the demo to find: part of another body's register, imported on top.

The demo's registry is the migration service's single, clean registration of everyone, so it
holds no duplicates. The ICRC registered many of the same people, mostly in Russian, with
the errors registers hold; importing the first part of its list (same seed, so the same
people) gives the demo's deduplication run real work: other scripts, typos, swapped names.
"""

import tempfile
from pathlib import Path

from homeward.access.caller import command_line_caller
from homeward.engines.synthetic import generate_population, write_registrations_csv
from homeward.people.imports import import_registrations
from homeward.people.management.commands.generate import gazetteer_for_generator

SHARED_SOURCE = "icrc"


def import_shared_register(*, organisation: str, people: int, seed: int, share: float) -> int:
    """Import the ICRC's registrations of about ``share`` of the ``people`` (whole households);
    return how many records were added."""
    origins, regions = gazetteer_for_generator()
    population = generate_population(
        people=people, seed=seed, origins=origins, regions=regions, sources=3
    )
    registrations = population.registrations[SHARED_SOURCE]
    count = min(len(registrations), int(people * share))
    while 0 < count < len(registrations) and (
        registrations[count].household_ref == registrations[count - 1].household_ref
    ):
        count += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{SHARED_SOURCE}.csv"
        write_registrations_csv(path, registrations[:count])
        outcome = import_registrations(
            caller=command_line_caller(organisation), path=path, source=SHARED_SOURCE
        )
    return outcome.persons_created
