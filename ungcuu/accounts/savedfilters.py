"""Saved filters: a user keeps the current filter of a list under a name and opens it again (issue 15).

What is kept is the query string, cleaned through the list's own FilterSet (unknown keys, paging and empty
values dropped; a value the FilterSet refuses for this user is refused here too). Opening a saved filter
is an ordinary visit to the list, so the FilterSet and `visible_to` decide again what it shows: an id the
user can no longer see finds nothing, exactly as if typed by hand. Filters are the user's own: nobody
else lists, opens or deletes them (another user's id is 404).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ungcuu.accounts.models import SavedFilter

# list -> (URL name, FilterSet, extra keys the list reads besides its filters). Dotted paths, imported
# when used: accounts sits below the apps whose lists it serves.
PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "incidents": ("incidents:list", "ungcuu.incidents.filters.IncidentFilterSet", ("per_page",)),
    "coordination": ("coordination:list", "ungcuu.coordination.filters.RequestFilterSet", ()),
    "systems": ("systems:list", "ungcuu.systems.filters.SystemFilterSet", ()),
}
MAX_PER_LIST = 30


def saved_for(user, page: str):
    return (
        SavedFilter.objects.filter(user=user, page=page)
        if user.is_authenticated
        else SavedFilter.objects.none()
    )


def url_of(saved: SavedFilter) -> str:
    url = reverse(PAGES[saved.page][0])
    return f"{url}?{saved.query}" if saved.query else url


def clean_query(user, page: str, data: QueryDict) -> str:
    """The part of `data` the list understands, checked by its FilterSet as `user` would be."""
    if page not in PAGES:
        raise ValidationError({"page": [_("This list has no saved filters.")]})
    _url, dotted, extra = PAGES[page]
    filterset_class = import_string(dotted)
    keys = [*filterset_class.base_filters, *extra]
    kept = QueryDict(mutable=True)
    for key in keys:
        values = [v for v in data.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, values)
    filterset = filterset_class(kept, queryset=filterset_class._meta.model.objects.none(), request=_As(user))
    if not filterset.is_valid():
        raise ValidationError({"name": [_("The current filter is not valid; correct it before saving.")]})
    return kept.urlencode()


class _As:
    """The FilterSet asks `request.user` which objects it may offer; a service has no request."""

    def __init__(self, user):
        self.user = user


@transaction.atomic
def save_filter(*, actor, page: str, name: str, data: QueryDict) -> SavedFilter:
    """Keep the filter under `name`; the same name again replaces it (the user updates their filter)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the filter a name.")]})
    query = clean_query(actor, page, data)
    existing = saved_for(actor, page)
    if not existing.filter(name=name).exists() and existing.count() >= MAX_PER_LIST:
        raise ValidationError(
            {"name": [_("Delete a saved filter first: at most %(n)s per list.") % {"n": MAX_PER_LIST}]}
        )
    saved, _created = SavedFilter.objects.update_or_create(
        user=actor, page=page, name=name[:100], defaults={"query": query}
    )
    return saved


@transaction.atomic
def delete_filter(*, actor, pk: int) -> None:
    """Only the owner deletes; another user's filter does not exist for them."""
    get_object_or_404(SavedFilter, pk=pk, user=actor).delete()
