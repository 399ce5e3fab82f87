"""The in-app inbox, its read marks (HTMX) and the polled unread badge."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.notifications import services
from ungcuu.notifications.models import BADGE_CAP, Notification

# htmx stops polling when a response has this status; sent to a poller whose session has ended.
HTMX_STOP_POLLING = 286


def _own(user, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.inbox_for(user), pk=pk)


def _inbox_context(request) -> dict:
    notifications = Notification.objects.inbox_for(request.user)
    page = paginate(request, notifications.select_related("incident").unread_first())
    page.object_list = services.as_seen_by(request.user, page.object_list)
    return {
        "page": page,
        "unread_count": notifications.unread().count(),
    }


@login_required
def inbox(request):
    context = _inbox_context(request)
    return render_page_or_fragment(request, "notifications/inbox.html", "notifications/_inbox.html", context)


def badge(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    count = Notification.objects.inbox_for(request.user).badge_count()
    return render(request, "notifications/_badge.html", {"unread_count": count, "badge_cap": BADGE_CAP})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = services.mark_read(actor=request.user, notification=_own(request.user, pk))
    if not is_htmx(request):
        return redirect("notifications:inbox")
    count = Notification.objects.inbox_for(request.user).badge_count()
    [notification] = services.as_seen_by(request.user, [notification])
    context = {"n": notification, "unread_count": count, "badge_cap": BADGE_CAP, "badge_oob": True}
    return render(request, "notifications/_item.html", context)


@login_required
@require_POST
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = services.mark_read(actor=request.user, notification=_own(request.user, pk))
    safe = url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()})
    return redirect(notification.link if notification.link and safe else "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(actor=request.user)
    if not is_htmx(request):
        return redirect("notifications:inbox")
    return render(request, "notifications/_inbox.html", {**_inbox_context(request), "badge_oob": True})
