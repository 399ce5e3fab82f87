"""Import a registry workbook from the command line: the same run as the page, without its row limit
(a 50,000-row dry run takes minutes, longer than a web request may)."""

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from ungcuu.accounts.models import User
from ungcuu.onboarding import services
from ungcuu.onboarding.services import Mode, Outcome
from ungcuu.onboarding.sheets import FileRefused, read_upload, refuse_legacy


class Command(BaseCommand):
    help = "Dry-run (default) or apply a registry workbook (.xlsx/.csv) as a coordinator."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", required=True, help="a coordinator's username")
        parser.add_argument("--mode", choices=Mode.values, default=Mode.DRY_RUN)

    def handle(self, *args, file, username, mode, **options):
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"No user {username!r}.")
        try:
            with open(file, "rb") as handle:
                tables = read_upload(File(handle, name=file))
                refuse_legacy(tables)
        except (FileRefused, OSError) as exc:
            raise CommandError(str(exc)) from exc
        report = services.run_import(actor=actor, tables=tables, mode=mode)
        for row in report.rows:
            if row.outcome == Outcome.ERROR:
                self.stdout.write(f"{row.sheet}:{row.number} {row.label}: {'; '.join(row.messages)}")
        self.stdout.write(f"{report.counts} applied={report.applied}")
        if report.has_errors and mode == Mode.ALL:
            raise CommandError("Rows with errors: nothing was written (use --mode valid_only to skip them).")
