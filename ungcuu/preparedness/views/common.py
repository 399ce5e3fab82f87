"""What every preparedness view shares: file names, and saving a form with its rows (refusals are mapped
by `ungcuu.core.actions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.text import slugify

from ungcuu.core.actions import run
from ungcuu.core.text import fold


def filename(*parts: object, ext: str) -> str:
    """An ASCII file name from Vietnamese words: "Phương án Sở Y tế" -> "phuong-an-so-y-te"."""
    return slugify(fold(" ".join(str(p) for p in parts)))[:80] + f".{ext}"


def save_with_rows(form, formset, rows_of: Callable[[Any], list[dict]], call: Callable[[dict, list], Any]):
    """A form and its formset of rows (a scenario's steps, a course's attendees) validated together, then
    `call(form data, rows_of(formset))` through `run`: (result, 200), or (None, 400/409) with the reason."""
    if not (form.is_valid() and formset.is_valid()):
        return None, 400
    return run(form, lambda: call(dict(form.cleaned_data), rows_of(formset)))
