"""What every preparedness view shares: file names (refusals are mapped by `ungcuu.core.actions`)."""

from __future__ import annotations

from django.utils.text import slugify

from ungcuu.core.text import fold


def filename(*parts: object, ext: str) -> str:
    """An ASCII file name from Vietnamese words: "Phương án Sở Y tế" -> "phuong-an-so-y-te"."""
    return slugify(fold(" ".join(str(p) for p in parts)))[:80] + f".{ext}"
