"""`{% load advisory_tags %}{% incident_indicators incident %}`: the incident page's indicators section."""

from django import template

from ungcuu.advisories.presenters import incident_indicators_context

register = template.Library()


@register.inclusion_tag("advisories/_indicators.html", takes_context=True)
def incident_indicators(context, incident):
    """The incident's indicators with "seen before" and, for those who work the incident, the add form."""
    user = context["user"]
    return {
        **incident_indicators_context(user, incident),
        "user": user,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
