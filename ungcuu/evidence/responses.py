"""The one way evidence leaves the platform, shared by the page and the API: audited, opaque, uncached."""

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from ungcuu.evidence import services
from ungcuu.evidence.access import can_download
from ungcuu.evidence.models import Evidence
from ungcuu.organizations import access


def download_response(*, actor, evidence: Evidence, ip_address: str | None) -> FileResponse:
    """403 before anything is opened; the custody and timeline rows exist before the first byte is sent."""
    access.require(can_download(actor, evidence.incident))
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    try:
        services.record_download(actor=actor, evidence=evidence, ip_address=ip_address)
    except BaseException:
        handle.close()
        raise
    # Always opaque bytes as an attachment: a browser must never render or sniff evidence.
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
