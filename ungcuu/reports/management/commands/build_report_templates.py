"""`manage.py build_report_templates [--into DIR]`: (re)generate the default DOCX templates."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ungcuu.reports.render.docx import DEFAULT_DIR
from ungcuu.reports.render.docx_defaults import write_defaults


class Command(BaseCommand):
    help = "Write the default DOCX templates of the official forms and reports (a starting point to edit)."

    def add_arguments(self, parser):
        parser.add_argument("--into", default=str(DEFAULT_DIR), help="Folder to write into.")

    def handle(self, *args, into: str, **options):
        for path in write_defaults(Path(into)):
            self.stdout.write(f"wrote {path}")
