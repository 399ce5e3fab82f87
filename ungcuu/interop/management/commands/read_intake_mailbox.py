"""`manage.py read_intake_mailbox`: one poll of the intake mailbox, for cron instead of the scheduler."""

from django.core.management.base import BaseCommand, CommandError

from ungcuu.interop import imap


class Command(BaseCommand):
    help = "Read the intake mailbox once (UNGCUU_MAIL_INTAKE_* settings)."

    def handle(self, *args, **options):
        if not imap.configured():
            raise CommandError("No intake mailbox is configured (UNGCUU_MAIL_INTAKE_HOST and _USER).")
        result = imap.poll()
        self.stdout.write(f"processed {len(result.processed)}, left for later {len(result.failed)}")
