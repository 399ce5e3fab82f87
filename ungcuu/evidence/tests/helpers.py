"""Upload and archive builders for the evidence tests."""

import io
import struct
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

LOCAL_HEADER, CENTRAL_HEADER = b"PK\x03\x04", b"PK\x01\x02"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes(files: dict[str, bytes], encrypt: set[str] | None = None) -> bytes:
    """A ZIP whose members named in `encrypt` carry the "encrypted" flag (all of them if None).

    The stdlib cannot write encrypted archives, so a plain one is written and bit 0 of the general-purpose
    flags is set by hand in both the member's local header and its central-directory entry.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    raw = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        infos, position = archive.infolist(), archive.start_dir
    flagged = {i.filename for i in infos} if encrypt is None else encrypt
    for info in infos:  # central-directory entries come in the same order as the members
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, position + 28)
        if info.filename in flagged:
            _set_encrypted(raw, info.header_offset, LOCAL_HEADER, 6)
            _set_encrypted(raw, position, CENTRAL_HEADER, 8)
        position += 46 + name_len + extra_len + comment_len
    return bytes(raw)


def _set_encrypted(raw: bytearray, offset: int, signature: bytes, flag_offset: int) -> None:
    assert raw[offset : offset + 4] == signature
    (flags,) = struct.unpack_from("<H", raw, offset + flag_offset)
    struct.pack_into("<H", raw, offset + flag_offset, flags | 0x1)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
