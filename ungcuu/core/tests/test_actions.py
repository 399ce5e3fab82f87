"""The one mapping of service refusals for pages: 403 before the form, 400 bad input, 409 wrong state."""

from dataclasses import dataclass, field

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from ungcuu.core import actions
from ungcuu.core.errors import Conflict, InvalidTransition


@dataclass
class Thing:
    pk: int
    calls: list = field(default_factory=list)

    def get_absolute_url(self) -> str:
        return f"/things/{self.pk}/"


class NoteForm(forms.Form):
    note = forms.CharField(max_length=10)


class Person:
    is_authenticated = True
    is_active = True


THINGS = {1: Thing(1)}


def _fetch(user, pk):
    if pk not in THINGS:
        raise Http404
    return THINGS[pk]


def _page(request, thing, status, **extra):
    """The thing's page again: the status, the error, and which form came back (by name)."""
    return HttpResponse(f"{extra.get('error', '')}|{sorted(k for k in extra if k != 'error')}", status=status)


def _post(data=None, method="post"):
    request = getattr(RequestFactory(), method)("/things/1/act/", data or {})
    request.user = Person()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _service(outcome=None):
    def service(*, actor, thing, **data):
        thing.calls.append(data)
        if outcome is not None:
            raise outcome
        return thing

    return service


def _view(service, allowed=True, **declared):
    return actions.action_view(
        fetch=_fetch,
        page=_page,
        target="thing",
        allowed=lambda user, thing: allowed,
        service=service,
        **declared,
    )


@pytest.fixture(autouse=True)
def _fresh_thing():
    THINGS[1] = Thing(1)


def test_success_calls_the_service_with_the_form_data_flashes_and_goes_back_to_the_object():
    request = _post({"note": "đã xong"})
    response = _view(_service(), form_class=NoteForm, form_name="note_form", success="Done.")(request, pk=1)

    assert response.status_code == 302 and response["Location"] == "/things/1/"
    assert THINGS[1].calls == [{"note": "đã xong"}]
    assert [str(m) for m in get_messages(request)] == ["Done."]


def test_hidden_is_404_and_not_allowed_is_403_before_the_form_is_read():
    with pytest.raises(Http404):
        _view(_service(), success="Done.")(_post(), pk=2)
    with pytest.raises(PermissionDenied):
        _view(_service(), allowed=False, form_class=NoteForm, success="Done.")(
            _post({"note": "x" * 99}), pk=1
        )
    assert THINGS[1].calls == []


def test_bad_input_is_400_on_the_page_with_the_form_and_no_call():
    request = _post({"note": "x" * 99})
    response = _view(_service(), form_class=NoteForm, form_name="note_form", success="Done.")(request, pk=1)

    assert response.status_code == 400
    assert response.content.decode() == "|['note_form']"
    assert THINGS[1].calls == []
    assert list(get_messages(request)) == []


@pytest.mark.parametrize(
    ("refusal", "status", "shown"),
    [
        (Conflict("Already closed."), 409, "Already closed."),
        (InvalidTransition("Not from this state."), 409, "Not from this state."),
        (ValidationError("Say why."), 400, "Say why."),
    ],
)
def test_a_refusal_shows_the_page_again_with_its_reason_and_status(refusal, status, shown):
    request = _post()
    response = _view(_service(refusal), success="Done.")(request, pk=1)

    assert response.status_code == status
    assert response.content.decode().startswith(shown)
    assert list(get_messages(request)) == []


def test_a_get_is_refused_by_an_action_view():
    assert _view(_service(), success="Done.")(_post(method="get"), pk=1).status_code == 405


def test_success_may_depend_on_the_request_and_done_replaces_the_redirect():
    view = _view(
        _service(),
        success=lambda request: "",
        done=lambda request, thing, result: HttpResponse("fragment", status=200),
    )
    request = _post()
    response = view(request, pk=1)

    assert response.status_code == 200 and response.content == b"fragment"
    assert list(get_messages(request)) == []


def test_form_page_shows_the_form_then_saves_or_keeps_the_input_with_the_refusal(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", {"form.html": "{{ form.errors }}"})]
            },
        }
    ]

    def page(request, call):
        return actions.form_page(
            request, NoteForm(request.POST or None), call=call, success="Saved.", template="form.html"
        )

    def conflict(data):
        raise Conflict("Frozen.")

    assert page(_post(method="get"), lambda data: THINGS[1]).status_code == 200
    assert page(_post({"note": "x" * 99}), lambda data: THINGS[1]).status_code == 400
    refused = page(_post({"note": "ok"}), conflict)
    assert refused.status_code == 409 and "Frozen." in refused.content.decode()
    saved = page(_post({"note": "ok"}), lambda data: THINGS[1])
    assert saved.status_code == 302 and saved["Location"] == "/things/1/"


def _buttons(**declared):
    return actions.ObjectActions(fetch=_fetch, page=_page, target="thing", **declared)


def test_a_button_table_names_each_refused_form_and_uses_its_shared_check():
    buttons = _buttons(allowed=lambda user, thing: True, forms={NoteForm: "note_form"})
    response = buttons.view(_service(), "Done.", form=NoteForm)(_post({"note": "x" * 99}), pk=1)

    assert response.status_code == 400 and response.content.decode() == "|['note_form']"
    with pytest.raises(PermissionDenied):
        buttons.view(_service(), "Done.", allowed=lambda user, thing: False)(_post(), pk=1)
    assert THINGS[1].calls == []


def test_a_quiet_table_flashes_nothing_for_an_htmx_answer():
    view = _buttons(allowed=lambda user, thing: True, quiet_in_place=True).view(_service(), "Done.")
    request = _post()
    request.META["HTTP_HX_REQUEST"] = "true"

    assert view(request, pk=1).status_code == 302
    assert list(get_messages(request)) == []


def test_an_object_not_ready_for_any_input_is_409_before_the_form_is_read():
    def closed(thing):
        raise Conflict("No longer open.")

    view = _buttons(allowed=lambda user, thing: True).view(_service(), "Done.", form=NoteForm, ready=closed)
    response = view(_post({"note": "x" * 99}), pk=1)

    assert response.status_code == 409 and response.content.decode().startswith("No longer open.")
    assert THINGS[1].calls == []
