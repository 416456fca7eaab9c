"""The background worker for production: runs the queued tasks (django-tasks' database
worker, in batches) and sweeps the e-mail outbox every minute, in one process that does not
exit when the database goes away.

`db_worker` on its own exits on the first database error and stays down. Here any error in a
round (the database unreachable, a lost connection) is logged, the connections are closed and
the round is tried again after a growing pause (1 s, 2 s, 4 s … at most --max-backoff), so
the worker carries on by itself once the database is back. SIGTERM or Ctrl+C stop it after
the task in hand; a second signal stops it at once. Run it under a supervisor that restarts it
if the process itself dies (systemd `Restart=always`, see README).
"""

import logging
import signal
import sys
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from kokemustori.outbox.services import sweep

logger = logging.getLogger("kokemustori.outbox.worker")

DATABASE_ERRORS = (OperationalError, InterfaceError, DatabaseError)


class Command(BaseCommand):
    help = (
        "Run queued tasks and sweep the e-mail outbox every minute; keeps running through "
        "database outages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Queues, comma-separated.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks for new tasks."
        )
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between outbox sweeps."
        )
        parser.add_argument(
            "--max-backoff",
            type=float,
            default=60.0,
            help="Longest pause, in seconds, between tries while the database is down.",
        )
        parser.add_argument(
            "--rounds", type=int, default=None, help="Stop after this many rounds (for tests)."
        )

    def handle(self, *args, **options):
        self.stop = threading.Event()
        self.worker = None
        if options["verbosity"] < 2:
            # django-tasks' worker logs every round it starts and ends (each second here).
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        self._install_signals()
        worker_id = f"outbox-{get_random_string(24)}"
        queues = options["queue_name"].split(",")
        logger.info("Worker %s started (queues %s)", worker_id, ",".join(queues))
        try:
            self._run(options, worker_id, queues)
        finally:
            self._restore_signals()
        logger.info("Worker %s stopped", worker_id)

    def _run(self, options, worker_id, queues):
        max_backoff = max(0.0, options["max_backoff"])
        backoff = min(1.0, max_backoff)
        last_sweep = None
        rounds = 0
        while not self.stop.is_set():
            pause = options["interval"]
            try:
                self.worker = Worker(
                    queue_names=queues,
                    interval=0,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id=worker_id,
                    excluded_queue_names=[],
                )
                self.worker.run()
                self.worker = None
                now = time.monotonic()
                if last_sweep is None or now - last_sweep >= options["sweep_every"]:
                    result = sweep()
                    last_sweep = now
                    if result.sent or result.failed or result.dead:
                        logger.info(
                            "Outbox: %s sent, %s to retry, %s failed for good",
                            result.sent,
                            result.failed,
                            result.dead,
                        )
                backoff = min(1.0, max_backoff)
            except DATABASE_ERRORS as exc:
                logger.warning(
                    "Database unavailable (%s: %s); trying again in %.0f s",
                    type(exc).__name__,
                    exc,
                    backoff,
                )
                pause, backoff = backoff, min(max_backoff, max(backoff * 2, 1.0))
                self._close_connections()
            except Exception:
                logger.exception("Worker round failed; trying again in %.0f s", backoff)
                pause, backoff = backoff, min(max_backoff, max(backoff * 2, 1.0))
                self._close_connections()
            finally:
                self.worker = None
            rounds += 1
            if options["rounds"] is not None and rounds >= options["rounds"]:
                break
            self.stop.wait(pause)

    def _close_connections(self):
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:  # a connection to a server that is gone may refuse to close
                connection.connection = None

    def _install_signals(self):
        self._old_handlers = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                number = getattr(signal, name)
                self._old_handlers[number] = signal.signal(number, self._on_signal)

    def _restore_signals(self):
        for number, handler in self._old_handlers.items():
            signal.signal(number, handler)

    def _on_signal(self, signum, frame):
        if self.stop.is_set():
            logger.warning("Second %s: stopping now", signal.strsignal(signum))
            sys.exit(1)
        logger.warning("%s: stopping after the current task", signal.strsignal(signum))
        self.stop.set()
        if self.worker is not None:
            self.worker.running = False
