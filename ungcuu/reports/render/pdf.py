"""PDF from the same HTML the browser previews (WeasyPrint; fonts from fontconfig).

The document CSS asks for Liberation Serif (metric-compatible with Times New Roman, which the
administrative format prescribes) and falls back to DejaVu Serif; both carry every Vietnamese glyph and
are installed by `scripts/ensure-system-packages` (fonts-liberation2, fonts-dejavu).
"""

from __future__ import annotations

import logging

from ungcuu.reports.documents import Document
from ungcuu.reports.render.html import standalone

# WeasyPrint reports unsupported CSS at WARNING; the document CSS is ours, so keep the log quiet.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(document: Document) -> bytes:
    # Imported on first use, not with the URLconf: it costs every process about a second to load and
    # only PDF downloads need it.
    import weasyprint

    return weasyprint.HTML(string=standalone(document)).write_pdf()
