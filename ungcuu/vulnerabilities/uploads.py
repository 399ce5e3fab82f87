"""Size limits for scan uploads, enforced before a byte is parsed and without holding a big body in memory.

Three gates: the request's Content-Length is checked before Django reads the body (a 200 MB upload is
answered at once and never read); an upload handler counts the bytes as they stream in, for bodies whose
length was not announced; and the service checks the file's size before reading it into memory.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Room for the multipart envelope and the other form fields around the file.
ENVELOPE_BYTES = 64 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "SCAN_MAX_BYTES", DEFAULT_MAX_BYTES))


class ScanTooLarge(ValidationError):
    """Over SCAN_MAX_BYTES: the views and the API answer 413 rather than 400."""

    def __init__(self, limit: int | None = None):
        self.limit = limit or max_bytes()
        message = _("The file is larger than the %(limit)s limit for scan reports.") % {
            "limit": filesizeformat(self.limit)
        }
        super().__init__({"file": [message]})


def body_too_large(meta: dict) -> bool:
    """True when the announced request body cannot hold a file within the limit."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + ENVELOPE_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading the body as soon as one file passes the limit; the view then answers 413."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_bytes()
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        self.received = 0
        return super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers build the file object


def install_limit(request) -> LimitedUploadHandler:
    """Put the counting handler first; must run before anything reads request.POST or request.FILES."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return handler


def read_upload(uploaded_file: UploadedFile) -> bytes:
    """The file's bytes, refused as too large or empty before and while reading."""
    limit = max_bytes()
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ScanTooLarge(limit)
    chunks, total = [], 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        total += len(chunk)
        if total > limit:
            raise ScanTooLarge(limit)
        chunks.append(chunk)
    if not total:
        raise ValidationError({"file": [_("The file is empty.")]})
    return b"".join(chunks)
