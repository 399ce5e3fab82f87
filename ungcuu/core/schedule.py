"""Periodic work that the process started by `make run` fires on schedule (no cron needed).

Each entry (registered by the app that owns it, in its AppConfig.ready()) is an idempotent function:
running it twice, or from two schedulers at once, is harmless.
A production deployment may instead call the matching management commands from cron or systemd timers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: int
    function: str  # dotted path, imported when the job runs so the schedule stays a plain table


# core's own job; each app adds its jobs from its AppConfig.ready() through `register` (core imports no
# app above it, so the table is filled from above rather than listing them here).
SCHEDULE: list[PeriodicJob] = [
    PeriodicJob(
        "tasks: recover those a dead worker left running", 300, "ungcuu.core.stale_tasks.recover_stale_tasks"
    ),
    PeriodicJob("database: refresh the planner's statistics (SQLite)", 24 * 3600, "ungcuu.core.db.analyze"),
]


def register(name: str, every_seconds: int, function: str) -> None:
    """Add a periodic job; registering the same name again (ready() running twice) changes nothing."""
    if not any(job.name == name for job in SCHEDULE):
        SCHEDULE.append(PeriodicJob(name, every_seconds, function))


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run every job whose interval has passed; returns the names that ran."""
    ran = []
    for job in SCHEDULE:
        if now - last_run.get(job.name, 0.0) >= job.every_seconds:
            import_string(job.function)()
            last_run[job.name] = now
            ran.append(job.name)
    return ran
