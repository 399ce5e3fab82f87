"""Evidence rules: what may be uploaded (DOMAIN.md §i), who may take a copy, and the custody/audit rows."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import zipfile
from collections.abc import Iterator

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.evidence.access import can_download, can_upload
from ungcuu.evidence.models import CustodyEntry, Evidence, evidence_path
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.services import record
from ungcuu.organizations import access

Kind = Evidence.Kind
Classification = Evidence.Classification
Action = CustodyEntry.Action

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_EXTENSIONS = (
    "log",
    "txt",
    "csv",
    "json",
    "evtx",
    "pcap",
    "pcapng",
    "png",
    "jpg",
    "jpeg",
    "pdf",
    "zip",
    "7z",
    "rar",
    "eml",
    "gz",
)
SAMPLE_EXTENSIONS = ("zip", "7z", "rar")
# Checked by content, whatever the name says: programs (filetype's names, then signatures it does not
# know: Mach-O and Java/fat binaries, Android dex, and "#!" scripts). Samples travel in sealed archives.
EXECUTABLE_TYPES = {"exe", "elf", "wasm", "crx", "deb", "rpm", "swf"}
EXECUTABLE_SIGNATURES = (
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"dex\n",
)
# Binary formats whose first bytes must match the extension: filetype's names, or, for captures and
# Windows event logs that it does not know, their signatures. Other extensions (text) need no match.
ZIP_TYPES = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}
CONTENT_TYPES = {
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "pdf": {"pdf"},
    "zip": ZIP_TYPES,
    "7z": {"7z"},
    "rar": {"rar"},
    "gz": {"gz"},
}
SIGNATURES = {
    "pcap": (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"),
    "pcapng": (b"\x0a\x0d\x0d\x0a",),
    "evtx": (b"ElfFile\x00",),
}
# Uploads and downloads are written by the system; people add hand-overs, checks and remarks.
HAND_ACTIONS = (Action.TRANSFERRED, Action.VERIFIED, Action.NOTE)

SECRET_REFUSED = gettext_lazy(
    "State-secret documents must not be uploaded to a system connected to the Internet. "
    "This upload is refused: hand the material over through the approved offline channel."
)


PROGRAM_REFUSED = gettext_lazy(
    "This file is a program or a script, whatever its name says: programs are not accepted as evidence. "
    "Send a malware sample only inside a password-protected archive (kind: malware sample)."
)


class EvidenceTooLarge(ValidationError):
    """The file is over EVIDENCE_MAX_BYTES; views and the API answer 413 rather than 400."""

    def __init__(self, limit: int):
        self.limit = limit
        message = _("The file is larger than the %(limit)s limit.") % {"limit": filesizeformat(limit)}
        super().__init__({"file": [message]})


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_extensions() -> list[str]:
    configured = getattr(settings, "EVIDENCE_ALLOWED_EXTENSIONS", DEFAULT_EXTENSIONS)
    return [ext.lower().lstrip(".") for ext in configured]


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


# --- checks before a byte is stored ----------------------------------------------------------------


def validate_upload(
    *, uploaded_file: UploadedFile, kind: str, classification: str, password_hint: str
) -> None:
    """Refuse state secrets, unknown kinds, empty or oversize files, other types and bare samples."""
    if classification == Classification.SECRET_STATE:
        raise ValidationError({"classification": [SECRET_REFUSED]})
    if classification not in Classification.values:
        raise ValidationError({"classification": [_("Choose how the file is classified.")]})
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of evidence.")]})
    if not uploaded_file.size:
        raise ValidationError({"file": [_("The file is empty.")]})
    if uploaded_file.size > max_bytes():
        raise EvidenceTooLarge(max_bytes())
    ext = extension(uploaded_file.name or "")
    if ext not in allowed_extensions():
        raise ValidationError(
            {"file": [_("Files of this type are not accepted. Allowed: %(ext)s.") % _ext_list()]}
        )
    if kind == Kind.SAMPLE_ARCHIVE:
        _check_sample(uploaded_file, ext, password_hint)
    _check_content(uploaded_file, ext)


def _head(uploaded_file: UploadedFile) -> bytes:
    uploaded_file.seek(0)
    try:
        return uploaded_file.read(512)
    finally:
        uploaded_file.seek(0)


def _check_content(uploaded_file: UploadedFile, ext: str) -> None:
    """The first bytes decide: no program under any name, and a binary format is what its name says."""
    head = _head(uploaded_file)
    found = filetype.guess_extension(head)
    if found in EXECUTABLE_TYPES or head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError({"file": [PROGRAM_REFUSED]})
    expected = CONTENT_TYPES.get(ext)
    matches = found in expected if expected else head.startswith(SIGNATURES.get(ext, (b"",)))
    if not matches:
        raise ValidationError(
            {
                "file": [
                    _("The file's content is not a .%(ext)s file; check the file or its name.") % {"ext": ext}
                ]
            }
        )


def _ext_list() -> dict[str, str]:
    return {"ext": ", ".join(allowed_extensions())}


def _check_sample(uploaded_file: UploadedFile, ext: str, password_hint: str) -> None:
    """Malware travels only inside password-protected archives, so no scanner or viewer can trip on it."""
    if ext not in SAMPLE_EXTENSIONS:
        raise ValidationError(
            {"kind": [_("Malware samples are accepted only in a password-protected .zip, .7z or .rar.")]}
        )
    if ext != "zip":
        # The stdlib cannot read .7z/.rar headers; the uploader vouches by giving the password.
        if not password_hint.strip():
            raise ValidationError(
                {
                    "password_hint": [
                        _("Give the archive password (or a hint to it) for a .7z or .rar sample.")
                    ]
                }
            )
        return
    encrypted = zip_is_encrypted(uploaded_file)
    if encrypted is None:
        raise ValidationError({"file": [_("The file is not a readable ZIP archive.")]})
    if not encrypted:
        raise ValidationError({"file": [_("Every file in a sample archive must be password-protected.")]})


def zip_is_encrypted(fileobj) -> bool | None:
    """True if the ZIP has files and each has the "encrypted" flag (bit 0); None if it is not a ZIP.

    Only the central directory is read, never the members. Directory entries hold no data and archivers
    do not flag them, so they are left out.
    """
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    return bool(members) and all(info.flag_bits & 0x1 for info in members)


# --- storing ---------------------------------------------------------------------------------------


class _HashingUpload(File):
    """Hands the upload to storage chunk by chunk, hashing and counting on the way.

    It deliberately has no `temporary_file_path`: storage would then move the temp file in one step and
    no chunk would pass through the hash. The counter enforces the limit even if `size` was wrong.
    """

    def __init__(self, upload: UploadedFile, limit: int):
        super().__init__(upload, name=upload.name)
        self.upload = upload
        self.digest = hashlib.sha256()
        self.count = 0
        self.limit = limit

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in self.upload.chunks(chunk_size):
            self.count += len(chunk)
            if self.count > self.limit:
                raise EvidenceTooLarge(self.limit)
            self.digest.update(chunk)
            yield chunk


def _storage() -> Storage:
    return Evidence._meta.get_field("file").storage  # type: ignore[attr-defined]


def _store(uploaded_file: UploadedFile, storage: Storage) -> tuple[str, int, str]:
    """Write under a random name; a failed or refused write leaves nothing behind."""
    reader = _HashingUpload(uploaded_file, max_bytes())
    # 128 random bits: this name is ours alone, so deleting it on failure cannot touch another file.
    name = storage.generate_filename(evidence_path(None, ""))
    try:
        stored = storage.save(name, reader)
    except BaseException:
        storage.delete(name)
        raise
    if reader.count == 0:
        storage.delete(stored)
        raise ValidationError({"file": [_("The file is empty.")]})
    return stored, reader.count, reader.digest.hexdigest()


def _ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


# --- services --------------------------------------------------------------------------------------


def add_evidence(
    *,
    actor,
    incident: Incident,
    uploaded_file: UploadedFile,
    kind: str,
    classification: str,
    description: str = "",
    password_hint: str = "",
    ip_address: str | None = None,
) -> Evidence:
    """Check, store while hashing, then write the row, its custody entry and the timeline in one go.

    The file is written first because its hash and size belong in the row. If the transaction fails the
    file is deleted, so there is neither an orphan file nor a half row. Django has no rollback hook, so
    a caller's *outer* transaction rolling back later would leave the file: call this outside one (the
    views and the API do; ATOMIC_REQUESTS is off).
    """
    access.require(can_upload(actor, incident))
    validate_upload(
        uploaded_file=uploaded_file, kind=kind, classification=classification, password_hint=password_hint
    )
    storage = _storage()
    stored, size, digest = _store(uploaded_file, storage)
    evidence = Evidence(
        incident=incident,
        file=stored,
        original_name=os.path.basename(uploaded_file.name or "")[:255],
        size=size,
        sha256=digest,
        content_type=(uploaded_file.content_type or "")[:255],
        kind=kind,
        classification=classification,
        description=description.strip(),
        archive_password_hint=password_hint.strip(),
        uploaded_by=actor,
    )
    try:
        return _save_with_audit(actor=actor, evidence=evidence, ip_address=_ip(ip_address))
    except BaseException:
        storage.delete(stored)
        raise


@transaction.atomic
def _save_with_audit(*, actor, evidence: Evidence, ip_address: str | None) -> Evidence:
    evidence.save()
    CustodyEntry.objects.create(
        evidence=evidence, action=Action.UPLOADED, actor=actor, ip_address=ip_address, note=evidence.sha256
    )
    record(
        evidence.incident,
        TimelineEvent.Kind.EVIDENCE,
        actor=actor,
        message=evidence.original_name,
        action=Action.UPLOADED.value,
        evidence_id=evidence.pk,
        sha256=evidence.sha256,
        classification=evidence.classification,
    )
    return evidence


@transaction.atomic
def record_download(*, actor, evidence: Evidence, ip_address: str | None = None) -> CustodyEntry:
    """Every copy taken is a disclosure: a custody entry and a timeline entry (DOMAIN.md §i)."""
    access.require(can_download(actor, evidence.incident))
    entry = CustodyEntry.objects.create(
        evidence=evidence, action=Action.DOWNLOADED, actor=actor, ip_address=_ip(ip_address)
    )
    record(
        evidence.incident,
        TimelineEvent.Kind.EVIDENCE,
        actor=actor,
        message=evidence.original_name,
        action=Action.DOWNLOADED.value,
        evidence_id=evidence.pk,
    )
    return entry


@transaction.atomic
def add_custody_note(
    *, actor, evidence: Evidence, action: str, note: str, ip_address: str | None = None
) -> CustodyEntry:
    """A holder of the evidence records a hand-over, an integrity check or a remark."""
    access.require(can_download(actor, evidence.incident))
    if action not in HAND_ACTIONS:
        raise ValidationError({"action": [_("Uploads and downloads are recorded by the system.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Write what happened.")]})
    entry = CustodyEntry.objects.create(
        evidence=evidence, action=action, actor=actor, note=note.strip(), ip_address=_ip(ip_address)
    )
    record(
        evidence.incident,
        TimelineEvent.Kind.EVIDENCE,
        actor=actor,
        message=f"{evidence.original_name}: {note.strip()}",
        action=action,
        evidence_id=evidence.pk,
    )
    return entry


# --- files kept elsewhere with the same checks (coordination answers) --------------------------------


def check_attachment(uploaded_file: UploadedFile) -> str:
    """The upload checks for a file attached to something other than an incident; returns its kind."""
    kind = KIND_BY_EXTENSION.get(extension(uploaded_file.name or ""), Kind.OTHER)
    validate_upload(
        uploaded_file=uploaded_file, kind=kind, classification=Classification.INTERNAL, password_hint=""
    )
    return kind


def store_attachment(uploaded_file: UploadedFile) -> tuple[str, int, str]:
    """Store a checked file under a random evidence name: (stored name, size, SHA-256)."""
    return _store(uploaded_file, _storage())


def discard_stored(name: str) -> None:
    """Delete a stored file whose row was never written (its transaction failed)."""
    _storage().delete(name)


# --- files that arrive by themselves (the intake mailbox) ------------------------------------------

KIND_BY_EXTENSION = {
    "log": Kind.LOG,
    "txt": Kind.LOG,
    "csv": Kind.LOG,
    "json": Kind.LOG,
    "evtx": Kind.LOG,
    "pcap": Kind.PCAP,
    "pcapng": Kind.PCAP,
    "png": Kind.IMAGE,
    "jpg": Kind.IMAGE,
    "jpeg": Kind.IMAGE,
    "pdf": Kind.DOCUMENT,
    "eml": Kind.DOCUMENT,
}


def receive_file(
    *, intake_account, incident: Incident, uploaded_file: UploadedFile, description: str, source: str
) -> Evidence:
    """Keep a file that arrived with a report (an e-mail attachment): same checks, hash and custody as
    an upload, recorded as received by the intake account with where it came from.

    No person chose to upload it, so nobody's `can_upload` is asked; the caller (the mail intake) has
    already decided the message belongs to this incident. Runs inside the caller's transaction: if that
    rolls back, the caller deletes `evidence.file` (it knows which names it wrote).
    """
    kind = KIND_BY_EXTENSION.get(extension(uploaded_file.name or ""), Kind.OTHER)
    classification = Classification.CONFIDENTIAL if incident.confidential else Classification.INTERNAL
    validate_upload(uploaded_file=uploaded_file, kind=kind, classification=classification, password_hint="")
    storage = _storage()
    stored, size, digest = _store(uploaded_file, storage)
    evidence = Evidence(
        incident=incident,
        file=stored,
        original_name=os.path.basename(uploaded_file.name or "")[:255],
        size=size,
        sha256=digest,
        content_type=(uploaded_file.content_type or "")[:255],
        kind=kind,
        classification=classification,
        description=description,
        uploaded_by=intake_account,
    )
    try:
        evidence.save()
        CustodyEntry.objects.create(
            evidence=evidence, action=Action.UPLOADED, actor=intake_account, note=f"{source}\n{digest}"
        )
        record(
            incident,
            TimelineEvent.Kind.EVIDENCE,
            actor=None,
            message=evidence.original_name,
            action=Action.UPLOADED.value,
            evidence_id=evidence.pk,
            sha256=digest,
            classification=classification,
            source=source,
        )
    except BaseException:
        storage.delete(stored)
        raise
    return evidence
