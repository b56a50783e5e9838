"""Load: 50 caseworkers at once against the production server, beside one caseworker alone.

    python bench/load.py                        # PostgreSQL, 20,000 people, 50 caseworkers
    python bench/load.py --think 0              # no pause between a caseworker's requests
    python bench/load.py --smoke                # tiny sizes: checks the script still runs

The server runs as docs/operations.md says production runs it: gunicorn workers
(`gunicorn homeward.wsgi`), DEBUG off, HOMEWARD_HTTPS=1 (the client sends X-Forwarded-Proto as
the proxy would), PostgreSQL on 127.0.0.1, all on loopback. The benchmark makes its own
database (homeward_load): the gazetteer, one organisation, one caseworker account and API
token per simulated caseworker, and a synthetic population imported with the importer.

Each caseworker (a locust user over the JSON API, its own bearer token) does, in proportion
3:2:1, with a pause of --think seconds between requests:
- search, name + birth year: a stored person's given and family name romanised to Latin
  letters as a caseworker types them (the person is written in Armenian, Russian or Latin
  letters), with the birth year;
- search, name only: the same without the year;
- register household: POST /api/v1/households with one to four persons.
The same requests are timed first with a single caseworker and no pause (the single-user
figure), then with all of them at once; p50 and p95 per request type are printed side by side.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from machine import describe_machine  # noqa: E402  (bench/ is on the path)
from registry import fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BIN = Path(sys.executable).parent
SEARCH_WITH_YEAR = "search, name + birth year"
SEARCH_NAME_ONLY = "search, name only"
REGISTER = "register household"
REQUEST_TYPES = [SEARCH_WITH_YEAR, SEARCH_NAME_ONLY, REGISTER]


def production_environment(database_url: str, workdir: Path) -> dict[str, str]:
    """What the server and the seeding share: the database, DEBUG off and one set of keys."""
    import base64
    import secrets

    def key() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    env = {k: v for k, v in os.environ.items() if k != "HOMEWARD_DATABASE_URL"}
    (workdir / "static").mkdir(exist_ok=True)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="homeward.settings",
        HOMEWARD_DEBUG="0",
        HOMEWARD_HTTPS="1",
        HOMEWARD_ALLOWED_HOSTS="127.0.0.1",
        HOMEWARD_SECRET_KEY=secrets.token_urlsafe(50),
        HOMEWARD_FIELD_KEYS=f"load:{key()}",
        HOMEWARD_LOOKUP_KEY=key(),
        HOMEWARD_AUDIT_KEYS=f"load:{key()}",
        HOMEWARD_STATIC_ROOT=str(workdir / "static"),
        # As docs/operations.md advises behind gunicorn: keep connections between requests.
        HOMEWARD_DB_CONN_MAX_AGE="60",
        HOMEWARD_JOBS="database",
    )
    return env


def seed(output: Path, people: int, caseworkers: int) -> None:
    """Run in its own process with the production environment: accounts, tokens, people."""
    import django

    django.setup()
    from django.core.management import call_command

    from homeward.access.caller import command_line_caller
    from homeward.access.roles import Role
    from homeward.access.services import create_organisation, create_staff_account, issue_api_token
    from homeward.engines.linkage import romanize
    from homeward.engines.synthetic import generate_population, write_registrations_csv
    from homeward.people.imports import import_registrations
    from homeward.people.management.commands.generate import gazetteer_for_generator
    from homeward.people.models import Person
    from homeward.places.models import Settlement
    from homeward.places.services import load_gazetteer

    call_command("migrate", verbosity=0)
    load_gazetteer()
    organisation = create_organisation(
        slug="migration-service", name="Migration Service", kind="host_government"
    )
    tokens = []
    for n in range(caseworkers):
        membership = create_staff_account(
            username=f"caseworker{n:02d}",
            password=f"load-benchmark-{n:02d}-synthetic",
            organisation=organisation,
            role=Role.CASEWORKER,
        )
        tokens.append(issue_api_token(user=membership.user, name="load benchmark"))
    origins, regions = gazetteer_for_generator()
    population = generate_population(people=people, seed=1, origins=origins, regions=regions)
    path = output.parent / "population.csv"
    write_registrations_csv(path, population.registrations["migration-service"])
    outcome = import_registrations(
        caller=command_line_caller("migration-service"), path=path, source="migration-service"
    )
    with django.db.connection.cursor() as cursor:
        if django.db.connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    rng = random.Random(7)
    stored = list(
        Person.objects.order_by("id").values_list("given_name", "family_name", "birth_year")
    )
    people_typed = [
        {
            "query": romanize(f"{given} {family}"),
            "given_name": given,
            "family_name": family,
            "birth_year": born,
        }
        for given, family, born in rng.sample(stored, min(2000, len(stored)))
    ]
    output.write_text(
        json.dumps(
            {
                "tokens": tokens,
                "people": people_typed,
                "origins": list(Settlement.objects.values_list("slug", flat=True)),
                "persons_stored": outcome.persons_created,
            }
        )
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    env: dict[str, str], workers: int, workdir: Path, token: str
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "homeward.wsgi", "--workers", str(workers)]
        + ["--bind", f"127.0.0.1:{port}", "--error-logfile", "-"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {(workdir / 'gunicorn.log').read_text()[-2000:]}")
        # A caseworker's search answers once the workers are up (static files are not
        # collected here: the API renders none).
        request = urllib.request.Request(
            base + "/api/v1/persons/search?q=a",
            headers={"X-Forwarded-Proto": "https", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return server, base
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    server.send_signal(signal.SIGTERM)
    raise SystemExit("gunicorn did not answer within 120 s")


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by gunicorn's master and workers (PostgreSQL's not included)."""
    import psutil

    master = psutil.Process(pid)
    total = 0.0
    for process in [master, *master.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_phase(
    base: str, server: int, seeded: dict, users: int, seconds: float, think: tuple[float, float]
):
    """Latencies (ms) per request type and failures, while `users` caseworkers work at once."""
    import gevent
    from locust import FastHttpUser, between, constant, task
    from locust.env import Environment

    tokens = iter(seeded["tokens"])
    rng = random.Random(users)
    people, origins = seeded["people"], seeded["origins"]

    class Caseworker(FastHttpUser):
        wait_time = constant(0) if think == (0, 0) else between(*think)
        host = base

        def on_start(self):
            self.headers = {
                "Authorization": f"Bearer {next(tokens)}",
                # What the TLS-terminating proxy in front would add.
                "X-Forwarded-Proto": "https",
            }

        def search(self, name: str, with_year: bool):
            person = rng.choice(people)
            params = {"q": person["query"]}
            if with_year and person["birth_year"]:
                params["birth_year"] = person["birth_year"]
            self.client.get(
                "/api/v1/persons/search", params=params, headers=self.headers, name=name
            )

        @task(3)
        def search_with_year(self):
            self.search(SEARCH_WITH_YEAR, with_year=True)

        @task(2)
        def search_name_only(self):
            self.search(SEARCH_NAME_ONLY, with_year=False)

        @task(1)
        def register(self):
            members = rng.sample(people, rng.randint(1, 4))
            household = {
                "origin": rng.choice(origins),
                "persons": [
                    {
                        "given_name": m["given_name"],
                        "family_name": m["family_name"],
                        "birth_date": str(m["birth_year"] or ""),
                    }
                    for m in members
                ],
            }
            with self.client.post(
                "/api/v1/households",
                json=household,
                headers=self.headers,
                name=REGISTER,
                catch_response=True,
            ) as response:
                if response.status_code != 201:
                    response.failure(f"{response.status_code}: {response.text[:200]}")

    latencies: dict[str, list[float]] = {name: [] for name in REQUEST_TYPES}
    failures: dict[str, list[str]] = {name: [] for name in REQUEST_TYPES}
    measuring = False

    def on_request(name, response_time, exception, **kwargs):
        if not measuring:
            return
        if exception is not None:
            failures[name].append(str(exception)[:200])
        else:
            latencies[name].append(response_time)

    environment = Environment(user_classes=[Caseworker])
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(1, users / 5))
    while runner.user_count < users:
        gevent.sleep(0.1)
    gevent.sleep(min(5, seconds / 4))  # every caseworker past its first request
    measuring = True
    started, cpu = time.monotonic(), server_cpu_seconds(server)
    gevent.sleep(seconds)
    measuring = False
    elapsed, cpu = time.monotonic() - started, server_cpu_seconds(server) - cpu
    runner.quit()
    return latencies, failures, elapsed, cpu


def report(label: str, latencies, failures, elapsed, cpu) -> dict:
    total = sum(len(v) for v in latencies.values())
    # CPU per request hardly depends on what else the machine runs; latencies do.
    print(
        f"{label}: {total:,} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s); "
        f"gunicorn CPU {cpu:.1f} s, {1000 * cpu / max(total, 1):.0f} ms per request; "
        f"machine load average {os.getloadavg()[0]:.1f}"
    )
    figures = {}
    for name in REQUEST_TYPES:
        values = latencies[name]
        if values:
            figures[name] = (percentile(values, 0.5), percentile(values, 0.95), len(values))
        if failures[name]:
            print(f"  {name}: {len(failures[name])} failed, e.g. {failures[name][0]}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=50, help="caseworkers at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=60, help="measured time of each phase")
    parser.add_argument(
        "--think",
        default="1,3",
        help="pause between a caseworker's requests, 'MIN,MAX' seconds (0 for none)",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the script runs")
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_into:
        seed(args.seed_into, args.people, args.users)
        return
    if args.smoke:
        args.people, args.users, args.workers, args.seconds, args.think = 300, 5, 2, 4, "0.1,0.3"
    low, _, high = args.think.partition(",")
    think = (float(low), float(high or low))

    # Before anything else touches sockets: locust runs its users as gevent greenlets.
    from gevent import monkey

    monkey.patch_all()

    print(f"machine: {describe_machine()}")
    workdir = Path(tempfile.mkdtemp(prefix="homeward-load-"))
    env = production_environment(fresh_database(args.database, workdir, "homeward_load"), workdir)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, __file__, "--seed-into", str(workdir / "seeded.json")]
        + ["--people", str(args.people), "--users", str(args.users)],
        env=env,
        check=True,
    )
    seeded = json.loads((workdir / "seeded.json").read_text())
    print(
        f"seeded in {time.monotonic() - started:.0f} s: {seeded['persons_stored']:,} persons, "
        f"{len(seeded['tokens'])} caseworker accounts with API tokens ({args.database})"
    )
    server, base = start_server(env, args.workers, workdir, seeded["tokens"][0])
    try:
        print(f"server: gunicorn homeward.wsgi --workers {args.workers}, DEBUG off, {base}")
        single = report(
            "1 caseworker, no pause",
            *run_phase(base, server.pid, seeded, 1, args.seconds / 2, (0, 0)),
        )
        many = report(
            f"{args.users} caseworkers, pause {think[0]:g}-{think[1]:g} s",
            *run_phase(base, server.pid, seeded, args.users, args.seconds, think),
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(f"{'request':<28}{'1 user p50':>12}{'p95':>9}{f'{args.users} users p50':>16}{'p95':>9}")
    for name in REQUEST_TYPES:
        one = single.get(name)
        all_ = many.get(name)
        if one is None or all_ is None:
            print(f"{name:<28} no requests measured")
            continue
        print(
            f"{name:<28}{one[0]:>9.0f} ms{one[1]:>6.0f} ms{all_[0]:>13.0f} ms{all_[1]:>6.0f} ms"
            f"   ({one[2]} / {all_[2]} requests)"
        )


if __name__ == "__main__":
    main()
