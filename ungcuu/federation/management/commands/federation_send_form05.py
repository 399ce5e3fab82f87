"""`manage.py federation_send_form05`: the scheduler's form 05 job (form05.py), for cron or systemd timers."""

from django.core.management.base import BaseCommand

from ungcuu.federation.form05 import send_due_form05


class Command(BaseCommand):
    help = "Send the province's form 05 to the national instance if its period is due and not sent yet."

    def handle(self, *args, **options) -> None:
        message = send_due_form05()
        self.stdout.write(f"queued {message.summary}" if message else "nothing to send")
