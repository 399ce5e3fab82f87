"""Holds a signed-in session that still owes its second factor at the two-factor pages."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ungcuu.accounts import twofactor

# Pages an unverified session may still open: the two-factor steps, signing out, the language switch,
# and static files. Everything else, the admin and the session-authenticated API included, waits.
OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/")


class TwoFactorMiddleware:
    """After the password: enrolment for a required user without a device, else the code prompt."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and twofactor.needs_verification(user)
        ):
            return self.refuse(request, user)
        return self.get_response(request)

    def refuse(self, request, user):
        if request.path.startswith("/api/"):
            message = _("Finish two-factor sign-in in the web interface first, or use an API token.")
            return JsonResponse({"detail": message}, status=403)
        step = "accounts:two_factor_verify" if twofactor.is_enabled(user) else "accounts:two_factor_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
