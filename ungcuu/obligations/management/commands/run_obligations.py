"""`manage.py run_obligations [--now YYYY-MM-DD]`: the scheduler's job, for cron or systemd timers."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ungcuu.obligations.engine import run_obligations


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now expects a date as YYYY-MM-DD, not {text!r}") from exc


class Command(BaseCommand):
    help = "Generate obligation occurrences 13 months ahead, flag overdue ones and send due reminders."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=str, help="Run as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, now: str | None = None, **options):
        summary = run_obligations(_date(now) if now else None)
        self.stdout.write(str(summary))
