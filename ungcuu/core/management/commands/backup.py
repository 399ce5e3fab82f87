"""Write a backup archive of this instance: database, uploaded files, checksums, version."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ungcuu.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and MEDIA_ROOT into one .tar.gz archive (safe while the site runs)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="archive to write, e.g. ungcuu.tar.gz")

    def handle(self, *args, output: Path, **options):
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist; create it first.")
        started = time.monotonic()
        manifest = backup(output)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        files = sum(1 for name in manifest["checksums"] if name.startswith("media/"))
        self.stdout.write(
            f"{output}: {rows} rows in {len(manifest['tables'])} tables, {files} uploaded file(s), "
            f"{output.stat().st_size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
        )
