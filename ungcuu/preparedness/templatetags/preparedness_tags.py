"""`{% incident_playbooks incident %}`: the scenario suggestions on the incident page."""

from django import template

from ungcuu.preparedness.models import category_label as _category_label
from ungcuu.preparedness.models import role_label as _role_label
from ungcuu.preparedness.presenters import incident_playbooks_context
from ungcuu.preparedness.render import vnd as _vnd

register = template.Library()


@register.inclusion_tag("preparedness/_incident_playbooks.html", takes_context=True)
def incident_playbooks(context, incident):
    """The whole fragment; the incident app need not import this one."""
    user = context["user"]
    return {
        **incident_playbooks_context(user, incident),
        "user": user,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def category_label(code: str) -> str:
    return _category_label(code)


@register.filter
def role_label(code: str) -> str:
    return _role_label(code)


@register.filter
def vnd(amount) -> str:
    return _vnd(amount or 0)
