"""Login, logout, password change (Django's views), the profile page, API tokens and two-factor steps."""

from functools import wraps
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungcuu.accounts import savedfilters, tokens, twofactor
from ungcuu.accounts.forms import CodeForm, PasswordConfirmForm, ProfileForm, TokenForm
from ungcuu.accounts.models import SavedFilter
from ungcuu.core import ratelimit
from ungcuu.core.clientip import client_ip
from ungcuu.organizations.models import Membership


def verified_required(view):
    """The session has passed its second factor (a user without one is sent to set it up); goes under
    login_required."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_verified():
            return view(request, *args, **kwargs)
        enabled = twofactor.is_enabled(request.user)
        step = "accounts:two_factor_verify" if enabled else "accounts:two_factor_setup"
        messages.info(request, _("This needs two-factor sign-in: confirm it with a code first."))
        return redirect(f"{reverse(step)}?{urlencode({'next': reverse('accounts:profile')})}")

    return wrapper


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    context = {
        "form": form,
        "memberships": memberships,
        "tokens": tokens.tokens_of(request.user),
        "token_form": TokenForm(),
        "two_factor": {
            "required": twofactor.is_required(request.user),
            "enabled": twofactor.is_enabled(request.user),
            "recovery_left": twofactor.recovery_codes_left(request.user),
        },
    }
    return render(request, "accounts/profile.html", context)


# --- API tokens -----------------------------------------------------------------------------------------


@login_required
@require_POST
@verified_required
def token_create(request):
    """The secret is in this one response and nowhere else (the database keeps its digest)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name, a validity and at least one scope."))
        return redirect("accounts:profile")
    token, secret = tokens.create_token(
        actor=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["days"],
        scopes=form.cleaned_data["scopes"],
    )
    response = render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    if not tokens.revoke_token(actor=request.user, token_id=pk):
        raise Http404
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:profile")


# --- two-factor sign-in ---------------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_setup(request):
    """Scan the QR code, type the app's code; the device counts only once a code from it was right."""
    user = request.user
    if twofactor.is_enabled(user) and not user.is_verified():
        # A password alone must never replace an existing second factor.
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.path})}")
    device = twofactor.pending_device(user, request.session)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The 6 digits your authenticator app shows.")  # no recovery codes yet
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(actor=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            del request.session[twofactor.PENDING_KEY_SESSION]
            django_otp.login(request, device)
            return _recovery_codes_page(request, codes, first=True)
        form.add_error("code", _("That code is not right. Check the phone's clock and try the new code."))
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.is_required(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
def two_factor_verify(request):
    user = request.user
    if not twofactor.is_enabled(user):
        return redirect("accounts:two_factor_setup" if twofactor.is_required(user) else "accounts:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or was already used."))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
@verified_required
def two_factor_recovery(request):
    return _recovery_codes_page(request, twofactor.new_recovery_codes(actor=request.user), first=False)


@login_required
@require_POST
@verified_required
def two_factor_disable(request):
    if twofactor.is_required(request.user):
        return HttpResponse(_("Your role requires two-factor sign-in."), status=403)
    form = PasswordConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The password is not right; two-factor sign-in stays on."))
        return redirect("accounts:profile")
    twofactor.disable(actor=request.user)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:profile")


def _recovery_codes_page(request, codes: list[str], *, first: bool):
    context = {"codes": codes, "first": first, "next": _next_url(request)}
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- password reset: a rate limit per address (each request may send an e-mail) --------------------------


class PasswordResetView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        ip = client_ip(request) or "unknown"
        if not ratelimit.hit("password-reset", ip, limit=settings.PASSWORD_RESET_LIMIT, window_seconds=3600):
            message = _("Too many password reset requests from your address. Try again in an hour.")
            context = {"message": message, "title": _("Try again later")}
            return render(request, "accounts/locked.html", context, status=429)
        return super().post(request, *args, **kwargs)


def _to(request, url: str) -> HttpResponse:
    """After saving or deleting: the list at the filter's URL, as a full page (htmx follows HX-Redirect)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def filter_save(request):
    """Save the list's current filter. From htmx the filter form's fields come along (hx-include); a page
    without htmx sends the query the list was rendered with."""
    page = request.POST.get("list", "")
    htmx = request.headers.get("HX-Request") == "true"
    data = request.POST if htmx else QueryDict(request.POST.get("query", ""))
    try:
        saved = savedfilters.save_filter(
            actor=request.user, page=page, name=request.POST.get("name", ""), data=data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if page not in savedfilters.PAGES:
            raise Http404 from exc
        return _to(request, f"{reverse(savedfilters.PAGES[page][0])}?{data.urlencode()}")
    messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
    return _to(request, savedfilters.url_of(saved))


@login_required
@require_POST
def filter_delete(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    savedfilters.delete_filter(actor=request.user, pk=saved.pk)
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return _to(
        request, reverse(savedfilters.PAGES[saved.page][0]) if saved.page in savedfilters.PAGES else "/"
    )
