"""The administrators' search of the audit trail and its CSV export (superusers and coordinators)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from ungcuu.audit.exports import csv_response
from ungcuu.audit.filters import AuditFilterSet
from ungcuu.audit.models import AuditEvent
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations import access


def _trail_for(request):
    """The trail is for those who answer for the whole province; anyone else is told it is not there."""
    if not access.is_coordinator(request.user):
        raise Http404
    filters, events = filter_page(
        AuditFilterSet, request, AuditEvent.objects.select_related("target_type", "organization")
    )
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return filters, events, status


@login_required
@require_GET
def audit_index(request):
    filters, events, status = _trail_for(request)
    context = {"filters": filters, "page": paginate(request, events, per_page=50)}
    return render_page_or_fragment(request, "audit/index.html", "audit/_table.html", context, status=status)


@login_required
@require_GET
def audit_export(request):
    filters, events, status = _trail_for(request)
    if status != 200:
        return render_page_or_fragment(
            request, "audit/index.html", "audit/_table.html", {"filters": filters, "page": None}, status
        )
    return csv_response(events)
