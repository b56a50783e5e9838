from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from homeward.engines.synthetic import (
    SOURCE_NAMES,
    HostRegion,
    Origin,
    generate_population,
    write_registrations_csv,
    write_truth_csv,
)
from homeward.places.models import HostRegion as HostRegionModel
from homeward.places.models import Settlement


def gazetteer_for_generator() -> tuple[list[Origin], list[HostRegion]]:
    """The loaded gazetteer as the generator's plain inputs."""
    origins = [
        Origin(
            slug=s.slug,
            names={
                "hy": s.name_hy,
                "hy-Latn": s.name_hy_latn,
                "az": s.name_az,
                "az-Latn": s.name_az_latn,
                "ru": s.name_ru,
            },
            # A village with no recorded population still sends someone.
            weight=float(s.population or 100),
        )
        for s in Settlement.objects.order_by("slug")
    ]
    regions = [
        HostRegion(
            slug=r.slug,
            share=float(r.displaced_share),
            sites=[site.slug for site in r.sites.all()],
            shelters=[
                (sh.code, sh.capacity) for site in r.sites.all() for sh in site.shelters.all()
            ],
        )
        for r in HostRegionModel.objects.prefetch_related("sites__shelters").order_by("slug")
        if r.sites.all()
    ]
    if not origins or not regions:
        raise CommandError("The gazetteer is empty: run `homeward load-gazetteer` first.")
    return origins, regions


class Command(BaseCommand):
    help = (
        "Write a synthetic displaced population as registration files (the import column "
        "contract), one per registering body, and truth.csv mapping each record to its person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=30000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--sources", type=int, default=1, help=f"registering bodies, 1 to {len(SOURCE_NAMES)}"
        )
        parser.add_argument("--output", type=Path, default=Path("var/generated"))

    def handle(self, *args, people: int, seed: int, sources: int, output: Path, **options):
        if people < 1:
            raise CommandError("--people must be at least 1")
        if not 1 <= sources <= len(SOURCE_NAMES):
            raise CommandError(f"--sources must be between 1 and {len(SOURCE_NAMES)}")
        origins, regions = gazetteer_for_generator()
        population = generate_population(
            people=people, seed=seed, origins=origins, regions=regions, sources=sources
        )
        output.mkdir(parents=True, exist_ok=True)
        for source, registrations in population.registrations.items():
            path = output / f"{source}.csv"
            write_registrations_csv(path, registrations)
            self.stdout.write(f"{path}: {len(registrations)} registrations")
        write_truth_csv(output / "truth.csv", population.truth)
        self.stdout.write(f"{output / 'truth.csv'}: ground truth for {people} people")
