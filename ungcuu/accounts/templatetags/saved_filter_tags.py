"""`{% saved_filters "incidents" %}`: the user's saved filters of a list, and the form to save one."""

from django import template

from ungcuu.accounts import savedfilters

register = template.Library()


@register.inclusion_tag("accounts/_saved_filters.html", takes_context=True)
def saved_filters(context, page: str, filter_form: str = ""):
    request = context["request"]
    saved = list(savedfilters.saved_for(request.user, page))
    for item in saved:
        item.url = savedfilters.url_of(item)
    return {
        "page": page,
        "saved": saved,
        "current": request.GET.urlencode(),
        "filter_form": filter_form,
        "csrf_token": context.get("csrf_token"),
    }
