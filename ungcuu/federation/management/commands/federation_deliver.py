"""Deliver the federation outbox now (what the worker's job does); for cron or after fixing a peer."""

from django.core.management.base import BaseCommand

from ungcuu.federation import delivery


class Command(BaseCommand):
    help = "Send every federation message that is due, in order per stream; safe to run at any time."

    def handle(self, *args, **options) -> None:
        delivered, next_due = delivery.deliver_due()
        self.stdout.write(
            f"delivered {delivered}" + (f", next retry at {next_due.isoformat()}" if next_due else "")
        )
