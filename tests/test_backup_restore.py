"""Backup and restore: an archive restored into an empty instance gives back every row and file.

Runs on whichever database the suite runs on (SQLite and PostgreSQL in CI). The tests commit for real
(transaction=True) so that deferred foreign keys are checked when the restore commits.
"""

import datetime
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.core import backup
from ungcuu.evidence import services as evidence_services
from ungcuu.evidence.models import Evidence
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Incident

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def instance(media, responder, coordinator, system_a, org_a):
    """A small but real instance: a report (incident, timeline, notifications), evidence on disk."""
    data = incident_services.ReportInput(
        channel="form",
        title="Cổng thông tin bị thay đổi giao diện",
        description="Trang chủ hiển thị nội dung lạ",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="Alpha",
        organization=org_a,
        system=system_a,
        harms=("service_disruption",),
    )
    incident = incident_services.submit_report(actor=responder, data=data).incident
    evidence_services.add_evidence(
        actor=responder,
        incident=incident,
        uploaded_file=SimpleUploadedFile("access.log", b"GET /admin 200\n" * 100),
        kind=Evidence.Kind.LOG,
        classification=Evidence.Classification.INTERNAL,
        description="web server log",
    )
    (media / "nested").mkdir(parents=True, exist_ok=True)
    (media / "nested" / "tệp tin.bin").write_bytes(bytes(range(256)) * 10)
    return incident


def file_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def empty_the_instance(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def rewrite(archive: Path, change) -> None:
    """Copy the archive member by member, letting `change(name, data)` alter a member's bytes."""
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source.getmembers()]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_restore_into_an_empty_instance_gives_back_every_row_and_file(instance, media, tmp_path):
    counts = backup.row_counts()
    files = file_checksums(media)
    incident_row = Incident.objects.filter(pk=instance.pk).values().get()
    archive = tmp_path / "backup.tar.gz"

    manifest = backup.backup(archive)
    empty_the_instance(media)
    assert User.objects.count() == 0 and file_checksums(media) == {}
    backup.restore(archive)

    assert backup.row_counts() == counts
    assert file_checksums(media) == files and len(files) == 2
    assert Incident.objects.filter(pk=instance.pk).values().get() == incident_row  # datetimes, JSON, flags
    assert {name: t["rows"] for name, t in manifest["tables"].items()} == counts
    assert set(manifest["checksums"]) == {f"media/{name}" for name in files} | {
        f"db/{name}.jsonl" for name in counts
    }
    # Sequences follow the restored ids: the next row gets a fresh id instead of colliding.
    assert User.objects.create_user("new-after-restore").pk > max(
        User.objects.exclude(username="new-after-restore").values_list("pk", flat=True)
    )


def test_restore_refuses_an_instance_that_holds_data_unless_forced(instance, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    Incident.objects.filter(pk=instance.pk).update(title="changed after the backup")

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", archive, stdout=io.StringIO())
    assert Incident.objects.get(pk=instance.pk).title == "changed after the backup"

    call_command("restore", archive, force=True, stdout=io.StringIO())
    assert Incident.objects.get(pk=instance.pk).title == "Cổng thông tin bị thay đổi giao diện"


def test_a_damaged_archive_is_refused_before_anything_is_written(instance, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup.backup(archive)
    empty_the_instance(media)
    rewrite(
        archive, lambda name, data: data.replace(b"\xe1\xbb\x95", b"o") if name.startswith("db/") else data
    )

    with pytest.raises(backup.BackupError, match="checksum of db/.* does not match"):
        backup.restore(archive)
    assert User.objects.count() == 0
    assert file_checksums(media) == {}


def test_an_archive_from_a_newer_schema_is_refused(instance, media, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup.backup(archive)
    empty_the_instance(media)

    def add_future_migration(name, data):
        if name != backup.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"].append("incidents.9999_from_the_future")
        return json.dumps(manifest).encode()

    rewrite(archive, add_future_migration)

    with pytest.raises(backup.BackupError, match="newer version of Ứng Cứu"):
        backup.restore(archive)
    assert User.objects.count() == 0 and file_checksums(media) == {}


def test_restore_command_names_a_missing_archive(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", tmp_path / "nope.tar.gz")


def test_backup_command_names_a_missing_folder_and_leaves_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist; create it first"):
        call_command("backup", output=tmp_path / "missing" / "backup.tar.gz")
    assert list(tmp_path.iterdir()) == []
