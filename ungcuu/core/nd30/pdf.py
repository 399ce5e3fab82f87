"""A `Paper` as PDF: the HTML rendering printed by WeasyPrint.

WeasyPrint takes seconds to import; `engine()` imports it once per process, and web processes warm it in
the background at start-up (`warm()`, called from wsgi/asgi) so the first download does not pay for it.
The CSS asks for Liberation Serif, metric-compatible with Times New Roman (DOMAIN.md §l).
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

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
    """Load the engine in a daemon thread (web processes call this once at start-up)."""
    threading.Thread(target=engine, name="weasyprint-warm", daemon=True).start()


def render_pdf(paper: Paper) -> bytes:
    return engine().HTML(string=render_html(paper)).write_pdf(presentational_hints=True)
