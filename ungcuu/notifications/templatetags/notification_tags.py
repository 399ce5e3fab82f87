"""`{% notification_bell %}`: the header's inbox link with its unread count (then kept fresh by htmx)."""

from django import template

from ungcuu.notifications.models import BADGE_CAP, Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    user = context["request"].user
    count = Notification.objects.inbox_for(user).badge_count() if user.is_authenticated else 0
    return {"unread_count": count, "badge_cap": BADGE_CAP, "user": user}
