"""`manage.py remind_advisories`: the reminder and escalation sweep, for cron or a systemd timer."""

from django.core.management.base import BaseCommand

from ungcuu.advisories.services import remind_advisories


class Command(BaseCommand):
    help = "Remind advisory targets before the deadline and escalate the overdue ones (idempotent)."

    def handle(self, *args, **options):
        sent = remind_advisories()
        self.stdout.write(f"{sent} reminder(s) or escalation(s) queued.")
