"""Restore a backup archive into an empty instance (checksums and schema are checked first)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ungcuu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into this (empty, migrated) instance."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace the data of an instance that is not empty"
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        started = time.monotonic()
        try:
            manifest = restore(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"restored {rows} rows and {sum(1 for n in manifest['checksums'] if n.startswith('media/'))} "
            f"file(s) from a backup of {manifest['created_at']} (version {manifest['app_version']}) "
            f"in {time.monotonic() - started:.1f} s"
        )
