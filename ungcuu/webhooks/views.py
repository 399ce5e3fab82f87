"""Pages of an organisation's webhook subscriptions: list, create, edit, rotate the secret, delivery log
and re-sending one delivery from it.

A secret is shown in the answer to the POST that made it (create, rotate) and never again.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.audit.requests import request_meta
from ungcuu.core.errors import Conflict
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.webhooks import access, resend, services, signing
from ungcuu.webhooks.forms import SubscriptionForm
from ungcuu.webhooks.models import Delivery, Subscription


@login_required
@require_GET
def subscription_list(request):
    subscriptions = Subscription.objects.visible_to(request.user).select_related("organization")
    context = {
        "subscriptions": subscriptions,
        "can_create": access.manageable_organizations(request.user).exists(),
    }
    return render(request, "webhooks/list.html", context)


@login_required
def subscription_create(request):
    organizations = access.manageable_organizations(request.user)
    require(organizations.exists())
    form = SubscriptionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription, secret = services.create_subscription(
                actor=request.user,
                organization=data["organization"],
                name=data["name"],
                url=data["url"],
                events=data["events"],
                meta=request_meta(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _reveal(request, subscription, secret)
    return render(request, "webhooks/form.html", {"form": form}, status=400 if form.errors else 200)


def _render_detail(request, subscription: Subscription, status: int = 200, error: str = ""):
    deliveries = Delivery.objects.filter(subscription=subscription).prefetch_related("attempt_log")
    context = {
        "subscription": subscription,
        "page": paginate(request, deliveries, per_page=25),
        "can_resend": access.can_manage(request.user, subscription.organization) and subscription.is_active,
        "resendable": resend.FINAL,
        "error": error,
        **_headers(),
    }
    return render(request, "webhooks/detail.html", context, status=status)


@login_required
def subscription_detail(request, pk: int):
    subscription = get_visible_or_404(
        Subscription.objects.select_related("organization"), request.user, pk=pk
    )
    return _render_detail(request, subscription)


class ResendForm(forms.Form):
    delivery = forms.UUIDField()


@login_required
@require_POST
def delivery_resend(request, pk: int):
    subscription = get_visible_or_404(
        Subscription.objects.select_related("organization"), request.user, pk=pk
    )
    if not access.can_manage(request.user, subscription.organization):
        raise PermissionDenied
    form = ResendForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, subscription, 400, _("Choose a delivery from the log."))
    row = Delivery.objects.filter(subscription=subscription, uuid=form.cleaned_data["delivery"]).first()
    if row is None:
        raise Http404
    try:
        resend.resend_delivery(
            actor=request.user, subscription=subscription, delivery=row, meta=request_meta(request)
        )
    except Conflict as exc:
        return _render_detail(request, subscription, 409, str(exc))
    messages.success(request, _("The delivery is being sent again."))
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
def subscription_edit(request, pk: int):
    subscription = get_visible_or_404(Subscription.objects, request.user, pk=pk)
    require(access.can_manage(request.user, subscription.organization))
    initial = {k: getattr(subscription, k) for k in ("name", "url", "events", "is_active")}
    form = SubscriptionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(
                actor=request.user, subscription=subscription, meta=request_meta(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Subscription saved."))
            return redirect("webhooks:detail", pk=subscription.pk)
    context = {"form": form, "subscription": subscription}
    return render(request, "webhooks/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def subscription_rotate(request, pk: int):
    subscription = get_visible_or_404(Subscription.objects, request.user, pk=pk)
    require(access.can_manage(request.user, subscription.organization))
    subscription, secret = services.rotate_secret(
        actor=request.user, subscription=subscription, meta=request_meta(request)
    )
    return _reveal(request, subscription, secret, rotated=True)


def _reveal(request, subscription: Subscription, secret: str, rotated: bool = False):
    # Never cached, never put in the session: this answer is the only place the secret ever appears.
    response = render(
        request,
        "webhooks/secret.html",
        {"subscription": subscription, "secret": secret, "rotated": rotated, **_headers()},
    )
    response["Cache-Control"] = "no-store"
    return response


def _headers() -> dict:
    return {
        "signature_header": signing.SIGNATURE_HEADER,
        "delivery_header": signing.DELIVERY_HEADER,
        "event_header": signing.EVENT_HEADER,
    }
