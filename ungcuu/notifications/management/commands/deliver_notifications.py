"""Send the notifications that are due, once (for cron or a systemd timer; idempotent)."""

from django.core.management.base import BaseCommand

from ungcuu.notifications.delivery import retry_due


class Command(BaseCommand):
    help = "Deliver due notifications: new, failed and waiting for a retry, or abandoned mid-send."

    def handle(self, *args, **options):
        attempted = retry_due()
        self.stdout.write(f"{attempted} notification(s) attempted")
