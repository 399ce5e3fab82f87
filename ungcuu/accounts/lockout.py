"""What a locked-out sign-in gets from django-axes: a Vietnamese page, or JSON on the API (429)."""

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ungcuu.core.clientip import client_ip as request_ip


def client_ip(request) -> str | None:
    """The address axes records (an IP field): the platform's one notion of the client address, or None
    when the request has none (an in-process login such as a test's force_login)."""
    return request_ip(request)


def lockout_response(request, original_response=None, credentials=None):
    minutes = math.ceil(float(settings.AXES_COOLOFF_TIME) * 60)
    message = ngettext(
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)d minute, "
        "or ask an administrator to unlock it.",
        "Too many failed sign-ins for this account from your address. Try again in %(minutes)d minutes, "
        "or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429, headers={"Retry-After": str(minutes * 60)})
    return render(
        request, "accounts/locked.html", {"message": message, "title": _("Sign-in locked")}, status=429
    )
