"""Keeps the processes of one Ứng Cứu machine running: web (gunicorn), worker and scheduler.

`manage.py serve` (what `make run` starts) is the small-province deployment: one command, no systemd. A child
that dies is started again after a backoff that grows while it keeps dying (so a broken configuration does
not spin the CPU) and resets once it has stayed up; Ctrl-C or SIGTERM stops every child, politely first.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

log = logging.getLogger("ungcuu.supervisor")

MANAGE = [sys.executable, "manage.py"]


@dataclass
class Child:
    """One supervised command and what the supervisor remembers about it."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # deaths in a row without a stable run in between
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Starts children, restarts the ones that die with a growing backoff, stops all on request."""

    children: list[Child]
    backoff: Sequence[float] = (1, 2, 5, 10, 30)
    stable_after: float = 30.0  # seconds up after which a death counts as the first one again
    stop_grace: float = 15.0  # seconds between SIGTERM and SIGKILL when stopping
    clock: Callable[[], float] = time.monotonic
    spawn: Callable[[Sequence[str]], subprocess.Popen] = field(default=subprocess.Popen)
    stopping: bool = False

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        child.process = self.spawn(list(child.argv))
        child.started_at, child.restart_at = self.clock(), None
        log.warning("started %s (pid %s)", child.name, child.process.pid)

    def check(self) -> None:
        """One supervision step: note deaths, schedule restarts, start the children whose wait is over."""
        now = self.clock()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at and not self.stopping:
                    self._spawn(child)
                continue
            code = child.process.poll() if child.process else None
            if code is None:
                continue
            child.failures = 1 if now - child.started_at >= self.stable_after else child.failures + 1
            delay = self.backoff[min(child.failures, len(self.backoff)) - 1]
            child.restart_at = now + delay
            pid = child.process.pid if child.process else None
            log.error("%s (pid %s) exited with %s; restarting in %ss", child.name, pid, code, delay)

    def stop(self) -> None:
        """SIGTERM to every running child, then SIGKILL to those still there after the grace period."""
        self.stopping = True
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + self.stop_grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.error("pid %s did not stop in %ss; killing it", process.pid, self.stop_grace)
                process.kill()
                process.wait()

    def run(self, tick: float = 0.5) -> None:
        """Supervise until SIGINT/SIGTERM."""

        def request_stop(*_):
            self.stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        self.start()
        while not self.stopping:
            self.check()
            time.sleep(tick)
        self.stop()


def web_command(host: str, port: int | str) -> list[str]:
    """The production web server: gunicorn, threads in a few processes (settings WEB_WORKERS/THREADS)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ungcuu.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={settings.WEB_WORKERS}",
        "--worker-class=gthread",
        f"--threads={settings.WEB_THREADS}",
        f"--timeout={settings.WEB_TIMEOUT}",
        "--graceful-timeout=10",
        "--access-logfile=-",
        "--forwarded-allow-ips=127.0.0.1",
        "--no-control-socket",  # unused; one fixed path per user would be fought over by two instances
        *recycling(settings.WEB_MAX_REQUESTS),
    ]


def recycling(max_requests: int) -> list[str]:
    """A safety net, off by default: a worker is replaced after about `max_requests` requests (with a 10 %
    jitter, so that workers are not replaced together). Workers stay under 200 MB without it because PDFs
    and charts are rendered outside them (ungcuu.core.apart); it bounds a leak not yet found."""
    if max_requests <= 0:
        return []
    return [f"--max-requests={max_requests}", f"--max-requests-jitter={max(1, max_requests // 10)}"]


def worker_command() -> list[str]:
    """The background worker of the configured tasks backend (the database queue or RQ on Redis)."""
    if settings.TASKS_BACKEND == "rq":
        return [*MANAGE, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
    return [*MANAGE, "worker", "--interval", "2"]  # db_worker that first recovers stale tasks


def default_children(host: str, port: int | str) -> list[Child]:
    return [
        Child("web", web_command(host, port)),
        Child("worker", worker_command()),
        Child("scheduler", [*MANAGE, "scheduler"]),
    ]
