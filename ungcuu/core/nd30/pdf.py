"""A `Paper` as PDF: the HTML rendering printed by WeasyPrint.

WeasyPrint takes seconds to import; `engine()` imports it once per process, and web processes warm it in
the background at start-up (`warm()`, called from wsgi/asgi) so the first download does not pay for it.
The CSS asks for Liberation Serif, metric-compatible with Times New Roman (DOMAIN.md §l).

The HTML is written here (Django's templates) and printed in the render process (`ungcuu.core.apart`), so
the web worker neither imports WeasyPrint nor keeps the heap a long layout leaves behind (issue 18).

A PDF depends only on its HTML (styles inline, charts as data URIs, the fonts of the machine), so the
printed file is kept on disk under the hash of its HTML and of WeasyPrint's version (`PDF_CACHE_DIR`, the
newest `PDF_CACHE_FILES`): asking again for a document whose content has not changed sends the same file
without laying it out again (the province report: 2-5 s of layout; issue 18).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

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
    html = render_html(paper)
    folder = cache_dir()
    if folder is None:
        return apart.run(print_pdf, html)
    path = folder / f"{_key(html)}.pdf"
    try:
        content = path.read_bytes()
    except OSError:
        content = apart.run(print_pdf, html)
        _keep(path, content)
    else:
        os.utime(path)  # the newest are kept
    return content


def cache_dir() -> Path | None:
    folder = getattr(settings, "PDF_CACHE_DIR", None)
    return Path(folder) if folder else None


@lru_cache(maxsize=1)
def _engine_version() -> str:
    return version("weasyprint")


def _key(html: str) -> str:
    return hashlib.sha256(f"{_engine_version()}\n{html}".encode()).hexdigest()


def _keep(path: Path, content: bytes) -> None:
    """Write the file whole or not at all (a temporary file renamed over), then drop the oldest beyond
    PDF_CACHE_FILES. A cache that cannot be written is only a slower next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
            part.write(content)
        os.replace(part.name, path)
        kept = sorted(path.parent.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[getattr(settings, "PDF_CACHE_FILES", 64) :]:
            old.unlink(missing_ok=True)
    except OSError:
        logging.getLogger(__name__).warning(
            "could not keep the printed PDF in %s", path.parent, exc_info=True
        )
