"""What the API accepts: query parameters declared once per viewset (documented in the schema, enforced
here), and JSON bodies.

A list's filters are its page's FilterSet (`filterset_class`, ungcuu.core.filters): the filter backend
below validates and applies them, drf-spectacular's django-filter extension documents them. The page
number is declared here (documented by api/schema.py). Nothing else is accepted.

Kept apart from base.py because DRF imports the permission and parser classes below (settings) while
`rest_framework.views` is still loading: this module must not import DRF's views.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import CharFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, parsers, permissions, serializers

from ungcuu.core.filters import MAX_ID

_PAGE = "A page number within the paginated result set (past the last page: 404)."


def declared_parameters(view) -> list[OpenApiParameter]:
    """The query parameters `view` declares for its current action besides its FilterSet's: the
    paginator's on its `list` action, and those an action names in the view's `action_parameters`
    ({action: [OpenApiParameter]}, e.g. a document's `download` format). Nothing else is accepted.
    """
    action = getattr(view, "action", None)
    declared = list((getattr(view, "action_parameters", None) or {}).get(action, []))
    if action != "list":
        return declared
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        declared.append(page_parameter(paginator.page_query_param))
    return declared


def page_parameter(name: str = "page") -> OpenApiParameter:
    """The page number of a paged answer: a list's, or an action's that pages (declare it in the view's
    `action_parameters`, e.g. an organization's staff-change history)."""
    page = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return OpenApiParameter(name, page, description=_PAGE)


def _field_for(parameter: OpenApiParameter) -> serializers.Field:
    kind = parameter.type
    if parameter.enum:
        return serializers.ChoiceField(choices=list(parameter.enum))
    if isinstance(kind, dict) and kind.get("type") == "integer":
        return serializers.IntegerField(min_value=kind.get("minimum"), max_value=kind.get("maximum", MAX_ID))
    return serializers.CharField(allow_blank=True, trim_whitespace=False)


def filtered_action(view) -> bool:
    """Whether the view's current action takes its FilterSet: the list, and the actions named in the
    view's `filterset_actions` (an export of the same rows, e.g. the findings CSV)."""
    return getattr(view, "action", None) in {"list", *getattr(view, "filterset_actions", ())}


def filterset_parameters(view) -> dict:
    """The list's FilterSet filters by name (validated and applied by ListFilterBackend)."""
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None or not filtered_action(view):
        return {}
    return dict(filterset_class.base_filters)


def check_query_parameters(view, query: Iterable[tuple[str, list[str]]]) -> None:
    """400 naming every unknown query parameter, and every declared one whose value is not of its type
    (the FilterSet's own values are checked by its form, in ListFilterBackend)."""
    declared = {p.name: p for p in declared_parameters(view)}
    filtered = filterset_parameters(view)
    errors: dict[str, list[str]] = {}
    for name, values in query:
        if name in filtered:
            # The page sends an empty value for "All"; in the API a filter not wanted is left out, and an
            # empty one is refused (it is not of the documented type), text searches apart.
            if "" in values and not isinstance(filtered[name], CharFilter):
                errors[name] = [_("This field may not be blank.")]
            continue
        parameter = declared.get(name)
        if parameter is None:
            accepted = ", ".join(sorted({*declared, *filtered})) or _("none")
            errors[name] = [_("Unknown query parameter. Accepted here: %(names)s.") % {"names": accepted}]
            continue
        field = _field_for(parameter)
        for value in values:
            try:
                field.run_validation(value)
            except serializers.ValidationError as exc:
                errors[name] = [str(message) for message in exc.detail]
    if errors:
        raise exceptions.ValidationError(errors)


class DeclaredQueryParameters(permissions.BasePermission):
    """Refuses (400) query parameters the view does not declare, or values not of their declared type.

    A permission class because it is DRF's one per-request hook that every view shares and that runs after
    authentication: an anonymous caller still gets 401 first, and no viewset has to remember to opt in. On
    a detail route the check waits for the object, so a hidden object is 404 whatever the query says.
    Without it a misspelt filter (`?stauts=open`) silently answered the unfiltered list.
    """

    def has_permission(self, request, view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        if lookup not in getattr(view, "kwargs", {}):
            check_query_parameters(view, request.query_params.lists())
        return True

    def has_object_permission(self, request, view, obj):
        check_query_parameters(view, request.query_params.lists())
        return True


class ListFilterBackend(DjangoFilterBackend):
    """A viewset's `filterset_class` filters its list (and the exports in its `filterset_actions`), and
    nothing else: on a detail route a query parameter is refused (400) like any undeclared one, never
    turned into a 404 by filtering the object away. A value the FilterSet's form refuses is a 400 with the
    form's message (the page would show the unfiltered list); a hidden related object gets the same
    message as a missing one."""

    def get_filterset_class(self, view, queryset=None):
        if not filtered_action(view):
            return None
        return super().get_filterset_class(view, queryset)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested deeper than Python's recursion limit a 400 rather than a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error: the body is nested too deeply.")) from exc


def route_id(value: str) -> int:
    """A numeric id taken from an action's route (`tasks/<task>/done`): the route accepts any segment, so a
    malformed one reaches the API and gets its JSON 404 rather than the site's HTML page (or a 500)."""
    if not re.fullmatch(r"[0-9]{1,10}", value or ""):
        raise Http404
    return int(value)
