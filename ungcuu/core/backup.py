"""Backup and restore of a whole instance: every table as JSON lines, the uploaded files, checksums.

Why our own JSON-lines dump rather than sqlite3's backup API or pg_dump: one archive format restores on
either database (a province can move from the embedded SQLite to PostgreSQL by backup and restore), the
same code is tested on both, and it needs no client binaries whose version must match the server's.
Django's dumpdata/loaddata was not used: it clashes with the content types and permissions `migrate`
creates, and natural keys are slow. Values are written by column (`attname`) and read back through each
field's `to_python`, inserted raw (no `save()`, no auto_now) inside one transaction.

The archive (tar.gz) holds `db/<table>.jsonl`, `media/<path>` and `manifest.json`: format, app version,
applied migrations, per-table columns and row counts, and the SHA-256 of every other member. A restore
verifies every checksum before it writes anything, refuses an archive from another schema, and refuses
an instance that already holds data unless forced.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """An archive that must not be restored here; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: list[models.Field]

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def tables() -> list[Table]:
    """Every table Django manages here, once (auto-created many-to-many tables included)."""
    seen: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in seen:
            seen[meta.db_table] = Table(model, list(meta.local_concrete_fields))
    return sorted(seen.values(), key=lambda table: table.name)


def row_counts() -> dict[str, int]:
    return {table.name: table.model._base_manager.count() for table in tables()}


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def app_version() -> str:
    try:
        return metadata.version("ungcuu")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- writing ------------------------------------------------------------------------------------------


def backup(output: Path) -> dict:
    """Write the archive to `output` (through a temporary name, so a failed run leaves no half file)."""
    partial = output.with_name(f".{output.name}.partial")
    try:
        manifest = _write(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    return manifest


def _write(path: Path) -> dict:
    checksums: dict[str, str] = {}
    with tarfile.open(path, "w:gz", compresslevel=6) as archive, tempfile.TemporaryDirectory() as scratch:
        with _read_snapshot():
            manifest_tables = {t.name: _add_table(archive, t, Path(scratch), checksums) for t in tables()}
            migrations = applied_migrations()
        _add_media(archive, checksums)
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "tables": manifest_tables,
            "checksums": checksums,
        }
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """One consistent view of every table for the whole dump, without blocking the site's writers."""
    connection.ensure_connection()
    if connection.in_atomic_block:  # the caller's transaction already fixes the view (tests)
        yield
    elif connection.vendor == "sqlite":
        # A deferred transaction reads one WAL snapshot from its first read to its end and takes no write
        # lock, even where the site begins its own transactions IMMEDIATE.
        mode, connection.transaction_mode = connection.transaction_mode, None  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":  # READ COMMITTED would give each query its own view
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def _add_table(archive: tarfile.TarFile, table: Table, scratch: Path, checksums: dict[str, str]) -> dict:
    columns = [field.attname for field in table.fields]
    path = scratch / f"{table.name}.jsonl"
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        queryset = table.model._base_manager.order_by("pk").values_list(*columns)
        for values in queryset.iterator(chunk_size=2000):
            out.write(json.dumps(values, default=_encode, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            rows += 1
    with path.open("rb") as source:
        checksums[f"db/{table.name}.jsonl"] = _add_stream(archive, f"db/{table.name}.jsonl", source)
    return {"model": table.model._meta.label, "columns": columns, "rows": rows}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")  # BinaryField.to_python reads base64 back
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _add_media(archive: tarfile.TarFile, checksums: dict[str, str]) -> None:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        name = f"media/{path.relative_to(root).as_posix()}"
        with path.open("rb") as source:
            checksums[name] = _add_stream(archive, name, source)


class _Hashing(io.RawIOBase):
    """Reads through to a file while hashing, so a member is read once and hashed as stored."""

    def __init__(self, source: IO[bytes]):
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


def _add_stream(archive: tarfile.TarFile, name: str, source: IO[bytes]) -> str:
    info = tarfile.TarInfo(name)
    info.size = Path(source.name).stat().st_size
    info.mtime = int(timezone.now().timestamp())
    reader = _Hashing(source)
    archive.addfile(info, reader)
    return reader.digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restoring ----------------------------------------------------------------------------------------


def verify(archive_path: Path) -> dict:
    """Read the manifest and check every member's SHA-256 against it; raises BackupError on any doubt."""
    with tarfile.open(archive_path, "r:gz") as archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        if MANIFEST not in members:
            raise BackupError(f"{archive_path} has no {MANIFEST}: it is not an Ứng Cứu backup.")
        manifest = json.load(_open(archive, members[MANIFEST]))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Backup format {manifest.get('format')} is not supported (this is {FORMAT}).")
        expected = manifest["checksums"]
        extra = set(members) - set(expected) - {MANIFEST}
        missing = set(expected) - set(members)
        if extra or missing:
            raise BackupError(f"The archive is damaged: unlisted {sorted(extra)}, missing {sorted(missing)}.")
        for name, digest in expected.items():
            if _sha256(_open(archive, members[name])) != digest:
                raise BackupError(f"The archive is damaged: the checksum of {name} does not match.")
    return manifest


def restore(archive_path: Path, *, force: bool = False) -> dict:
    """Restore into this instance; checks come first, then media, then all tables in one transaction."""
    manifest = verify(archive_path)
    check_schema(manifest["migrations"])
    if not force and not instance_is_empty():
        raise BackupError(
            "This instance already holds data (user accounts or organizations); restore into an empty, "
            "migrated instance, or pass --force to replace everything in it."
        )
    local = {table.name: table for table in tables()}
    if set(manifest["tables"]) != set(local):
        raise BackupError("The archive's tables are not this code's tables; restore it with its own version.")
    for name, described in manifest["tables"].items():
        if name not in local or described["columns"] != [f.attname for f in local[name].fields]:
            raise BackupError(f"Table {name} in the archive does not match this code's table.")
    with tarfile.open(archive_path, "r:gz") as archive:
        _restore_media(archive)
        _restore_tables(archive, [local[name] for name in manifest["tables"]])
    return manifest


def check_schema(archived: list[str]) -> None:
    known = {f"{app}.{name}" for app, name in MigrationLoader(connection).disk_migrations}
    newer = sorted(set(archived) - known)
    if newer:
        raise BackupError(
            "The archive comes from a newer version of Ứng Cứu (migrations unknown here: "
            f"{', '.join(newer[:5])}). Upgrade this installation first, then restore."
        )
    here = set(applied_migrations())
    if set(archived) != here:
        missing, extra = sorted(set(archived) - here)[:5], sorted(here - set(archived))[:5]
        raise BackupError(
            "The archive's schema differs from this database's: migrate an empty database to exactly the "
            "archive's migrations, restore, then run `manage.py migrate`. Missing here: "
            f"{missing}; not in the archive: {extra}."
        )


def instance_is_empty() -> bool:
    # `migrate` itself fills content types, permissions and reference tables (routing rules, scenarios),
    # but never creates an account or an organization: anything a person entered needs one of them.
    # Looked up by label, not imported: core sits below the apps (CONTRIBUTING, layers).
    organization = apps.get_model("organizations", "Organization")
    return not (get_user_model().objects.exists() or organization.objects.exists())


def _restore_media(archive: tarfile.TarFile) -> None:
    root = Path(settings.MEDIA_ROOT).resolve()
    for member in archive.getmembers():
        if not member.name.startswith("media/") or not member.isfile():
            continue
        relative = PurePosixPath(member.name).relative_to("media")
        target = (root / relative).resolve()
        if root not in target.parents:
            raise BackupError(f"The archive tries to write outside the media folder: {member.name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with _open(archive, member) as source, target.open("wb") as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)


@transaction.atomic
def _restore_tables(archive: tarfile.TarFile, restored: list[Table]) -> None:
    # Django's foreign keys are deferred to commit on SQLite and PostgreSQL, so the order of tables and
    # rows does not matter inside this one transaction.
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(
            no_style(), [t.name for t in tables()], reset_sequences=True, allow_cascade=True
        ):
            cursor.execute(statement)
    for table in restored:
        for batch in _batches(_rows(archive, table), table):
            table.model._base_manager._insert(batch, fields=table.fields, raw=True)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in restored]):
            cursor.execute(statement)


def _rows(archive: tarfile.TarFile, table: Table) -> Iterator[models.Model]:
    source = io.TextIOWrapper(_open(archive, archive.getmember(f"db/{table.name}.jsonl")), encoding="utf-8")
    for line in source:
        values = json.loads(line)
        yield table.model(
            **{
                field.attname: None if value is None else field.to_python(value)
                for field, value in zip(table.fields, values, strict=True)
            }
        )


def _batches(rows: Iterator[models.Model], table: Table) -> Iterator[list[models.Model]]:
    size = max(1, 900 // max(1, len(table.fields)))
    batch: list[models.Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _open(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    extracted = archive.extractfile(member)
    if extracted is None:
        raise BackupError(f"{member.name} in the archive is not a file.")
    return extracted


def _sha256(source: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()
