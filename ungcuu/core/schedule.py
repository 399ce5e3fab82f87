"""Periodic work that the process started by `make run` fires on schedule (no cron needed).

Each entry is an idempotent function: running it twice, or from two schedulers at once, is harmless.
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


SCHEDULE = [
    PeriodicJob(
        "tasks: recover those a dead worker left running", 300, "ungcuu.core.stale_tasks.recover_stale_tasks"
    ),
    PeriodicJob("retry due notifications", 60, "ungcuu.notifications.delivery.retry_due"),
    PeriodicJob(
        "obligations: occurrences, overdue, reminders", 3600, "ungcuu.obligations.engine.run_obligations"
    ),
    PeriodicJob(
        "vulnerabilities: expire accepted risks",
        3600,
        "ungcuu.vulnerabilities.jobs.expire_due_risk_acceptances",
    ),
    PeriodicJob(
        "advisories: reminders and overdue escalation", 900, "ungcuu.advisories.services.remind_advisories"
    ),
]


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run every job whose interval has passed; returns the names that ran."""
    ran = []
    for job in SCHEDULE:
        if now - last_run.get(job.name, 0.0) >= job.every_seconds:
            import_string(job.function)()
            last_run[job.name] = now
            ran.append(job.name)
    return ran
