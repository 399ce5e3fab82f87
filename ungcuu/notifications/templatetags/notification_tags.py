"""`{% notification_bell %}`: the header's inbox link with its unread count (then kept fresh by htmx)."""

from django import template

from ungcuu.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    user = context["request"].user
    count = Notification.objects.inbox_for(user).unread().count() if user.is_authenticated else 0
    return {"unread_count": count, "user": user}
