"""Answering with a document: the preview page, or the file when `?download=pdf|docx|xlsx` is asked."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render

from ungcuu.reports.documents import Document
from ungcuu.reports.render import html
from ungcuu.reports.render.docx import render_docx
from ungcuu.reports.render.pdf import render_pdf
from ungcuu.reports.render.tables import tables_for
from ungcuu.reports.render.xlsx import render_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _xlsx(document: Document) -> bytes:
    return render_xlsx(tables_for(document.kind, document.figures))


FORMATS: dict[str, tuple[str, Callable[[Document], bytes]]] = {
    "pdf": ("application/pdf", render_pdf),
    "docx": (DOCX, render_docx),
    "xlsx": (XLSX, _xlsx),
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


def document_response(request, document: Document, page: dict, template: str = "reports/document.html"):
    fmt = request.GET.get("download", "")
    if fmt in FORMATS:
        content_type, renderer = FORMATS[fmt]
        return attachment(renderer(document), content_type, f"{document.filename}.{fmt}")
    context = {**html.context(document), **page, "downloads": download_links(request)}
    return render(request, template, context)
