"""`homeward db_worker`: django-tasks-db's worker command, running the watched worker.

This app is listed before django_tasks_db in INSTALLED_APPS so that this command is the one
`homeward db_worker` runs. The arguments are django-tasks-db's own; `handle` is theirs with
WatchedWorker in place of Worker.
"""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from homeward.jobs.worker import WatchedWorker


class Command(db_worker.Command):
    help = (
        "Run background jobs as they are queued, with a heartbeat; run again or fail the jobs "
        "of a worker that died"
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            db_worker.logger.warning("--reload and --batch cannot be given together: no reload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = WatchedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process, which runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
