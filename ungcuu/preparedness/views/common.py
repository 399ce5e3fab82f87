"""What every preparedness view shares: fetching through the gate, running a service, form errors."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from ungcuu.core.errors import InvalidTransition
from ungcuu.core.text import fold

BAD_INPUT, WRONG_STATE = 400, 409


def add_errors(form, exc: ValidationError) -> None:
    """A service's field errors land on the form's fields; the rest on the form itself."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


def run[T](form, call: Callable[[], T]) -> tuple[T | None, int]:
    """Call a service for a valid form: (result, 200), or (None, 400/409) with the refusal on the form."""
    try:
        return call(), 200
    except InvalidTransition as exc:
        form.add_error(None, str(exc))
        return None, WRONG_STATE
    except ValidationError as exc:
        add_errors(form, exc)
        return None, BAD_INPUT


def filename(*parts: object, ext: str) -> str:
    """An ASCII file name from Vietnamese words: "Phương án Sở Y tế" -> "phuong-an-so-y-te"."""
    return slugify(fold(" ".join(str(p) for p in parts)))[:80] + f".{ext}"
