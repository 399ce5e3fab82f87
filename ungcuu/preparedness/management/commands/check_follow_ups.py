"""`manage.py check_follow_ups [--now YYYY-MM-DD]`: the scheduler's job, for cron or systemd timers."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ungcuu.preparedness.followups import check_follow_ups


class Command(BaseCommand):
    help = "Tell owners of drill follow-up actions that fall due soon or are overdue (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=str, help="Run as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, now: str | None = None, **options):
        try:
            today = datetime.date.fromisoformat(now) if now else None
        except ValueError as exc:
            raise CommandError(f"--now expects a date as YYYY-MM-DD, not {now!r}") from exc
        self.stdout.write(str(check_follow_ups(today)))
