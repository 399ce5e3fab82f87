"""How every page answers a refused action: the one mapping of service errors for pages.

The house behaviour (CONTRIBUTING, "Refusals"): a POST that a service refuses re-shows the page it came
from with the reason on it and status 400 (bad input: the form, or a `ValidationError`) or 409 (wrong
state: `core.errors.Conflict`, which includes `InvalidTransition`); 403/404 come from the access checks
before. Success adds a flash message and redirects. The API maps the same errors in
`ungcuu.api.base.exception_handler`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ungcuu.core.errors import Conflict
from ungcuu.core.htmx import is_htmx

BAD_INPUT, WRONG_STATE = 400, 409


class Refuse(Protocol):
    def __call__(self, status: int, error: str) -> HttpResponse: ...


class Page(Protocol):
    """An object's page shown again: `page(request, obj, status, error=..., <form_name>=form)`."""

    def __call__(self, request, obj, status: int, /, **extra) -> HttpResponse: ...


def add_errors(form, exc: ValidationError) -> None:
    """A service's field errors land on the form's fields; the rest on the form itself."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        form.add_error(name if name in form.fields else None, texts)


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


def act_on(
    request,
    obj,
    *,
    allowed: bool,
    form=None,
    form_name: str = "",
    call: Callable[[dict], Any],
    page: Page,
    success: str,
    done: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """One action on one object's page (the buttons and small forms of a detail page).

    403 unless `allowed` (the object was fetched through the tenancy gate, so hidden is 404 already);
    a refusal shows the object's page again (`page`) with the reason and 400/409, the refused form under
    `form_name` so the typed input survives; success flashes `success` and returns `done(result)`, by
    default a redirect to the object.
    """
    if not allowed:
        raise PermissionDenied
    extra = {form_name: form} if form is not None and form_name else {}
    return act(
        request,
        form=form,
        call=call,
        refuse=lambda status, error: page(request, obj, status, error=error, **extra),
        success=success,
        done=done or (lambda _result: redirect(obj)),
    )


def action_view(
    *,
    fetch: Callable[..., Any],
    page: Page,
    target: str,
    allowed: Callable[[Any, Any], bool],
    service: Callable[..., Any],
    success,
    form_class=None,
    form_name: str = "",
    form_kwargs: Callable[[Any], dict] | None = None,
    ready: Callable[[Any], None] | None = None,
    done: Callable[[Any, Any, Any], HttpResponse] | None = None,
):
    """A POST-only view that runs `service(actor=user, <target>=obj, **form data)` on one object.

    `fetch(user, pk)` goes through the tenancy gate (404), `allowed(user, obj)` decides 403 (False, or a
    `PermissionDenied` it raises with the reason), and the rest is
    `act_on`; `done(request, obj, result)` replaces the redirect to the object; `success` is the flashed
    text, or `success(request)` for one that depends on the request. `form_kwargs(obj)` adds what the form
    needs to know of the object; `ready(obj)` may raise `Conflict` for an object whose state refuses any
    input (409 whatever was sent, checked after the 403 and before the form). Apps declare their action
    buttons with it (usually through `ObjectActions`) instead of writing the same view body again.
    """

    @login_required
    @require_POST
    def view(request, *args, **kwargs):
        obj = fetch(request.user, *args, *kwargs.values())
        form = None
        if form_class is not None:
            form = form_class(request.POST, request.FILES, **(form_kwargs(obj) if form_kwargs else {}))
        permitted = allowed(request.user, obj)
        if ready is not None and permitted:
            try:
                ready(obj)
            except Conflict as exc:
                return page(request, obj, WRONG_STATE, error=str(exc))
        return act_on(
            request,
            obj,
            allowed=permitted,
            form=form,
            form_name=form_name,
            call=lambda data: service(actor=request.user, **{target: obj}, **data),
            page=page,
            success=str(success(request) if callable(success) else success),
            done=(lambda result: done(request, obj, result)) if done is not None else None,
        )

    return view


@dataclass(frozen=True)
class ObjectActions:
    """The action buttons of one kind of object's page, declared once per view module.

    What every button shares is said once here: how the object is fetched through the tenancy gate, the
    page a refusal shows again, the service's keyword for the object, the default check, where success
    goes, and under which context key the page shows each refused form (`forms`, by form class; or one
    `form_name` for all). Each button is then one `view(service, success, ...)` (rules: `action_view`).
    `quiet_in_place` drops the flash for an htmx answer, whose fragment shows the new state.
    """

    fetch: Callable[..., Any]
    page: Page
    target: str
    allowed: Callable[[Any, Any], bool] | None = None
    done: Callable[[Any, Any, Any], HttpResponse] | None = None
    forms: dict[type, str] = field(default_factory=dict)
    form_name: str = ""
    quiet_in_place: bool = False

    def view(
        self,
        service: Callable[..., Any],
        success,
        *,
        allowed: Callable[[Any, Any], bool] | None = None,
        form=None,
        form_kwargs: Callable[[Any], dict] | None = None,
        ready: Callable[[Any], None] | None = None,
    ):
        """One button: `service` on the object with `form`'s data, `success` flashed; `allowed`, or the
        table's check, decides 403."""
        check = allowed or self.allowed
        if check is None:
            raise TypeError("an action needs an access check")
        return action_view(
            fetch=self.fetch,
            page=self.page,
            target=self.target,
            allowed=check,
            service=service,
            success=(lambda request: "" if is_htmx(request) else success) if self.quiet_in_place else success,
            form_class=form,
            form_name=self.forms.get(form, self.form_name),
            form_kwargs=form_kwargs,
            ready=ready,
            done=self.done,
        )


def form_page(
    request,
    form,
    *,
    call: Callable[[dict], Any],
    success,
    template: str,
    context: dict | None = None,
    done: Callable[[Any], HttpResponse] = redirect,
) -> HttpResponse:
    """A create or edit page: GET shows `form`; a POST calls `call(cleaned_data)` and a refusal shows the
    form again with it (400/409, `run`); success flashes `success` (or `success(result)`) and returns
    `done(result)`, by default a redirect to what was saved."""
    status = 200
    if request.method == "POST":
        status = BAD_INPUT
        if form.is_valid():
            data = dict(form.cleaned_data)
            result, status = run(form, lambda: call(data))
            if result is not None:
                messages.success(request, success(result) if callable(success) else success)
                return done(result)
    return render(request, template, {"form": form, **(context or {})}, status=status)
