"""Run in subprocesses by test_worker_killed.py, against the database in DATABASE_URL.

    python -m tests.jobs.crash_driver worker [db_worker options]   # `homeward db_worker`
    python -m tests.jobs.crash_driver start USERNAME PARAMS_JSON   # prints {"job": id}

Both know one more job kind, `tests.hang`, which hangs (reporting progress, as real work
does) on the attempts listed in its params' "hang_on" and ends at once on the others.
"""

import json
import os
import sys
import time

KIND = "tests.hang"


def hang(job, report) -> dict:
    while job.attempts in job.params.get("hang_on", []):
        report("hanging", 0.5)
        time.sleep(0.1)
    return {"ended_on_attempt": job.attempts}


def register_kind() -> None:
    from homeward.access.roles import Permission
    from homeward.jobs.registry import JobKind, WhileRunning, register

    register(JobKind(KIND, "Hang", Permission.REVIEW_DUPLICATES, hang, WhileRunning.REFUSE))


def main(command: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
    register_kind()
    if command == "worker":
        from homeward.cli import main as homeward

        homeward(["db_worker", *args])
    elif command == "start":
        from django.contrib.auth import get_user_model

        from homeward.access.caller import caller_for
        from homeward.jobs.registry import JobAlreadyRunning
        from homeward.jobs.services import start_job

        username, params = args
        caller = caller_for(get_user_model().objects.get(username=username))
        try:
            job = start_job(caller=caller, kind=KIND, params=json.loads(params))
        except JobAlreadyRunning as refusal:
            print(json.dumps({"refused_for": refusal.job.pk}))
        else:
            print(json.dumps({"job": job.pk}))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
