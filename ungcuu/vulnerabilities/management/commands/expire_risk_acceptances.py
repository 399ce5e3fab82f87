"""`manage.py expire_risk_acceptances`: accepted risks past their date return to open (for cron/systemd)."""

from django.core.management.base import BaseCommand

from ungcuu.vulnerabilities.services import expire_risk_acceptances


class Command(BaseCommand):
    help = "Return findings whose risk acceptance has expired to 'open'. Safe to run at any time."

    def handle(self, *args, **options):
        count = expire_risk_acceptances()
        self.stdout.write(f"{count} risk acceptance(s) expired.")
