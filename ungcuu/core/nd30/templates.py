"""Where the replaceable parts of the look come from: `REPORT_TEMPLATE_DIR` first, then the defaults.

- `base.docx`: the Word document every DOCX starts from (styles, margins, a logo in the first-page header):
  a province edits a copy in Word and drops it into the directory;
- `nd30/document.html` and `nd30/_style.html`: the preview and PDF page (Django templates; a file of the same
  relative path in the directory wins).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template import Engine


def custom_dir() -> Path | None:
    custom = getattr(settings, "REPORT_TEMPLATE_DIR", None)
    return Path(custom) if custom else None


def base_docx() -> Path | None:
    """The administrator's `base.docx`, or None for the built-in page set-up."""
    folder = custom_dir()
    if folder and (folder / "base.docx").is_file():
        return folder / "base.docx"
    return None


@lru_cache(maxsize=4)
def _engine(folder: str) -> Engine:
    default = Engine.get_default()
    dirs = [folder] if folder else []
    return Engine(dirs=[*dirs, *default.dirs], app_dirs=True, libraries=default.libraries, autoescape=True)


def engine() -> Engine:
    """A template engine that looks in REPORT_TEMPLATE_DIR before the project's templates."""
    folder = custom_dir()
    return _engine(str(folder) if folder else "")
