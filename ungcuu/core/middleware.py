"""Request-wide rules: Vietnamese first whatever the browser asks, no caching of signed-in pages, and a
request whose write met a busy database answers 503 with the person's input kept (BusyDatabaseMiddleware).
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ungcuu.core.db import is_busy

log = logging.getLogger(__name__)

# Fields never written back into a page: the person types them again.
SECRET_FIELDS = ("password", "token", "otp", "secret", "csrfmiddlewaretoken", "answer")
# Sent again but not listed under "what you typed": the person did not type them.
TECHNICAL_FIELDS = ("idempotency_key", "next", "challenge")


class VietnameseFirstMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to the user's chosen language
    (the language cookie set by the switch) or to LANGUAGE_CODE (Vietnamese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """What a signed-in person sees is never kept by the browser or a proxy cache (`Cache-Control:
    no-store`): on a shared office computer, Back after sign-out must not show an incident again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: DRF authenticates API tokens inside the view and sets request.user then.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class BusyDatabaseMiddleware:
    """When a save still meets a busy database after the retries, say so and keep what was typed.

    The page shows the typed values and one button that sends them again (files and secrets excepted);
    the API answers 503 with Retry-After. Nothing was saved: the write rolled back as a whole.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        log.warning("%s %s: database busy after retries: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            detail = _("The system is busy and nothing was saved. Send the same request again in a moment.")
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            files = request.method == "POST" and bool(request.FILES)
            context = {"kept": kept_fields(request), "files": files, "technical": TECHNICAL_FIELDS}
            response = render(request, "503.html", context, status=503)
        response["Retry-After"] = "5"
        return response


def kept_fields(request) -> list[tuple[str, str]]:
    """The POSTed (name, value) pairs that can be sent again as they were."""
    if request.method != "POST":
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        if not any(secret in name.lower() for secret in SECRET_FIELDS)
        for value in values
    ]
