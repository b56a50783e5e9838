"""django-tasks-db's worker, watched: a heartbeat, and recovery of jobs whose worker died.

Two daemon threads run beside the worker's loop, each with its own database connection, so
that neither waits for the job the loop is running:

- the heartbeat writes this worker's row (read by /healthz) and the heartbeat of the job it
  runs, every few seconds;
- the watch runs `recover_stalled_jobs`: a job whose heartbeat stopped — its worker was
  killed — is run again once or failed, whichever worker is running again.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from homeward.jobs import services

logger = logging.getLogger(__name__)


class WatchedWorker(Worker):
    def run(self) -> None:
        self.started_at = timezone.now()
        if self.batch:
            # A batch run ("work off the queue, then exit") does the watch's work once, first,
            # in its own thread of control: no threads beside it.
            self._beat()
            services.recover_stalled_jobs()
            try:
                super().run()
            finally:
                services.worker_stopped(worker_id=self.worker_id)
            return
        stop = threading.Event()
        threads = [
            self._every(stop, "heartbeat", self._beat),
            self._every(stop, "watch", services.recover_stalled_jobs),
        ]
        try:
            super().run()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=services.heartbeat_seconds() * 2)
            try:
                services.worker_stopped(worker_id=self.worker_id)
            except Exception:  # a worker stopping because the database went away
                logger.exception("worker %s: its heartbeat row was not removed", self.worker_id)

    def _beat(self) -> None:
        services.beat_worker(worker_id=self.worker_id, started_at=self.started_at)
        services.beat_running_jobs()

    def _every(self, stop: threading.Event, name: str, work: Callable[[], object]):
        def loop() -> None:
            while not stop.is_set():
                close_old_connections()
                try:
                    work()
                except Exception:  # the database may be away for a moment: try next time
                    logger.exception("worker %s: %s failed", self.worker_id, name)
                finally:
                    close_old_connections()
                stop.wait(services.heartbeat_seconds())
            connection.close()

        thread = threading.Thread(target=loop, name=f"homeward-{name}", daemon=True)
        thread.start()
        return thread
