"""Run the periodic jobs of `ungcuu.core.schedule` in a loop until interrupted."""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ungcuu.core.health import SCHEDULER, beat
from ungcuu.core.schedule import run_due

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Fire periodic jobs (notification retries, reminders) on schedule; --once runs what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--tick", type=float, default=5.0)

    def handle(self, *args, once: bool, tick: float, **options):
        last_run: dict[str, float] = {}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            close_old_connections()
            run_tick(last_run)
            if once:
                break
            time.sleep(tick)


def run_tick(last_run: dict[str, float]) -> None:
    """One turn of the loop: the heartbeat /healthz reads, then the jobs that are due."""
    try:
        beat(SCHEDULER)
        run_due(last_run, time.time())
    except Exception:  # a failing job must not stop the others; it is logged and retried next tick
        log.exception("periodic job failed")
