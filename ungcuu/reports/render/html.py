"""A document as HTML: the body the preview page shows, and the standalone page WeasyPrint prints."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ungcuu.reports.documents import Document
from ungcuu.reports.render.charts import charts_for, data_uri


def context(document: Document) -> dict:
    """What every document template reads: `doc` (figures), `head` (letterhead), `charts` (data URIs)."""
    with translation.override(settings.LANGUAGE_CODE):
        charts = {name: data_uri(png) for name, png in charts_for(document.kind, document.figures).items()}
    return {"document": document, "doc": document.figures, "head": document.head, "charts": charts}


def standalone(document: Document) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("reports/doc/standalone.html", context(document))
