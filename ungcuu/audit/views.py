"""The administrators' search of the audit trail and its CSV export (superusers and coordinators)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ungcuu.audit.filters import AuditFilterSet
from ungcuu.audit.models import AuditEvent
from ungcuu.core.exports import csv_cell
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations import access

CSV_COLUMNS = [
    "time",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "detail",
    "organization",
    "page",
    "ip_address",
    "user_agent",
]


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
    # Streamed: a province's trail grows by every sign-in and download, so it is never held in memory.
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Line:
    """csv.writer target that hands each formatted line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(events):
    # The shared writer's rules (core.exports), a line at a time: failed sign-ins' usernames and user
    # agents are attacker text.
    writer = csv.writer(_Line(), quoting=csv.QUOTE_NONNUMERIC)
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM makes Excel read Vietnamese as UTF-8
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([csv_cell(value) for value in _row(event)])


def _row(event: AuditEvent) -> list:
    return [
        timezone.localtime(event.at).isoformat(timespec="seconds"),
        event.actor_name,
        event.action,
        event.target_type.model if event.target_type else "",
        event.target_id,
        event.target_label,
        event.detail,
        event.organization.code if event.organization else "",
        event.view_name,
        event.ip_address or "",
        event.user_agent,
    ]
