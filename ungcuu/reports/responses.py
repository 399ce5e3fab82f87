"""Answering with a document: the preview page, or the file when `?download=pdf|docx|xlsx` is asked.

All three formats are written from the document's one `nd30.Paper` (ungcuu.core.nd30), so they agree.
A format that takes seconds for this document (reports.builds.BACKGROUND) is offered on the page as
"prepare", built in the background; its download link still answers the file directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ungcuu.core import apart
from ungcuu.core.nd30.docx import render_docx
from ungcuu.core.nd30.html import body_html
from ungcuu.core.nd30.pdf import render_pdf
from ungcuu.core.nd30.xlsx import render_xlsx
from ungcuu.reports import builds
from ungcuu.reports.documents import Document

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FORMATS: dict[str, tuple[str, Callable[[Document], bytes]]] = {
    "pdf": ("application/pdf", lambda document: render_pdf(document.paper)),
    "docx": (DOCX, lambda document: render_docx(document.paper)),
    "xlsx": (XLSX, lambda document: render_xlsx(document.paper)),
}


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_links(request) -> dict[str, str]:
    """The current page's query with `download=<format>` added, one per format."""
    query = request.GET.copy()
    query.pop("download", None)
    base = query.urlencode()
    return {fmt: f"?{base}{'&' if base else ''}download={fmt}" for fmt in FORMATS}


def preview_context(document: Document) -> dict:
    # A template's output is already safe (SafeString): it escaped the document's text itself.
    return {
        "document": document,
        "doc": document.figures,
        "head": document.head,
        "paper_html": body_html(document.paper),
    }


def document_response(request, document: Document, page: dict, template: str = "reports/document.html"):
    if getattr(request, "document_mode", "") == builds.CHECK:
        return HttpResponse(status=204)  # the page's gate let the person in: nothing to render
    fmt = request.GET.get("download", "")
    if fmt in FORMATS:
        content_type, renderer = FORMATS[fmt]
        try:
            content = renderer(document)
        except apart.RenderFailed:  # the render process failed or died: say so, send no partial file
            logger.exception("rendering %s.%s failed", document.filename, fmt)
            return HttpResponse(
                _("The document could not be written. Please try again in a moment."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return attachment(content, content_type, f"{document.filename}.{fmt}")
    context = {
        **preview_context(document),
        **page,
        "downloads": download_links(request),
        "prepared": prepared(request, document),
    }
    return render(request, template, context)


def prepared(request, document: Document) -> dict:
    """The formats this document is prepared in rather than linked: the page, and the person's last build
    of each (None when there is none yet)."""
    slow = [fmt for fmt in FORMATS if builds.in_background(document.kind, fmt)]
    if not slow:
        return {}
    page = builds.page_of(request)
    latest = builds.latest_builds(request.user, page)
    return {"page": page, "builds": {fmt: latest.get(fmt) for fmt in slow}}
