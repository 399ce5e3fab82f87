"""A `Paper` as PDF: the HTML rendering printed by WeasyPrint.

WeasyPrint takes seconds to import; `engine()` imports it once per process, and web processes warm it in
the background at start-up (`warm()`, called from wsgi/asgi) so the first download does not pay for it.
The CSS asks for Liberation Serif, metric-compatible with Times New Roman (DOMAIN.md §l).

The HTML is written here (Django's templates) and printed in the render process (`ungcuu.core.apart`), so
the web worker neither imports WeasyPrint nor keeps the heap a long layout leaves behind (issue 18).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from ungcuu.core import apart
from ungcuu.core.nd30.html import render_html
from ungcuu.core.nd30.model import Paper

# WeasyPrint reports unsupported CSS at WARNING; the document CSS is ours, so keep the log quiet.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load():
    import weasyprint

    return weasyprint


def engine():
    with _lock:
        return _load()


def warm() -> None:
    """Load the engine where PDFs are printed, in the background (web processes call this at start-up): the
    render process when documents are rendered apart, else this process."""
    if apart.enabled():
        apart.warm()
    else:
        threading.Thread(target=engine, name="weasyprint-warm", daemon=True).start()


def print_pdf(html: str) -> bytes:
    """The page as PDF (run in the render process)."""
    return engine().HTML(string=html).write_pdf(presentational_hints=True)


def render_pdf(paper: Paper) -> bytes:
    return apart.run(print_pdf, render_html(paper))
