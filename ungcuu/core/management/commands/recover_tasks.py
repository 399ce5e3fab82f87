"""Put tasks whose worker died back in the queue (for cron or a systemd timer; idempotent)."""

from django.core.management.base import BaseCommand

from ungcuu.core.stale_tasks import recover_stale_tasks


class Command(BaseCommand):
    help = "Re-queue background tasks left RUNNING by a dead worker (or fail them after repeated losses)."

    def handle(self, *args, **options):
        recovery = recover_stale_tasks()
        self.stdout.write(f"{len(recovery.requeued)} task(s) re-queued, {len(recovery.failed)} failed")
