"""How every page answers a refused action: the one mapping of service errors for pages.

The house behaviour (CONTRIBUTING, "Refusals"): a POST that a service refuses re-shows the page it came
from with the reason on it and status 400 (bad input: the form, or a `ValidationError`) or 409 (wrong
state: `core.errors.Conflict`, which includes `InvalidTransition`); 403/404 come from the access checks
before. Success adds a flash message and redirects. The API maps the same errors in
`ungcuu.api.base.exception_handler`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from ungcuu.core.errors import Conflict

BAD_INPUT, WRONG_STATE = 400, 409


class Refuse(Protocol):
    def __call__(self, status: int, error: str) -> HttpResponse: ...


def add_errors(form, exc: ValidationError) -> None:
    """A service's field errors land on the form's fields; the rest on the form itself."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, texts in errors.items():
        form.add_error(field if field in form.fields else None, texts)


def refusal(exc: Exception) -> tuple[int, str]:
    """The status and the message a page shows for a service's refusal."""
    if isinstance(exc, Conflict):
        return WRONG_STATE, str(exc)
    messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    return BAD_INPUT, " ".join(messages_)


def run(form, call: Callable[[], Any]) -> tuple[Any, int]:
    """Call a service for a valid form: (result, 200), or (None, 400/409) with the refusal on the form."""
    try:
        return call(), 200
    except Conflict as exc:
        form.add_error(None, str(exc))
        return None, WRONG_STATE
    except ValidationError as exc:
        add_errors(form, exc)
        return None, BAD_INPUT


def act(
    request,
    *,
    form=None,
    call: Callable[[dict], Any],
    refuse: Refuse,
    success: str,
    done: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Run one page action after the access check: `call(cleaned_data)`, then `done(result)`.

    Bad input (400) or a wrong state (409) goes to `refuse(status, error)`, which re-shows the page;
    `error` is empty when the form carries the reason. Success flashes `success` and returns `done`.
    """
    if form is not None and not form.is_valid():
        return refuse(BAD_INPUT, "")
    try:
        result = call(form.cleaned_data if form is not None else {})
    except Conflict as exc:
        return refuse(WRONG_STATE, str(exc))
    except ValidationError as exc:
        if form is None:
            return refuse(*refusal(exc))
        add_errors(form, exc)
        return refuse(BAD_INPUT, "")
    if success:
        messages.success(request, success)
    return done(result)
