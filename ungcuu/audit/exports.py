"""The audit trail as CSV: one answer for the page's export and the API's (same columns, same cells)."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from ungcuu.audit.models import AuditEvent
from ungcuu.core.exports import CSV_TYPE, csv_cell

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


def csv_response(events) -> StreamingHttpResponse:
    """The events as an attachment. Streamed: a province's trail grows by every sign-in and download, so
    it is never held in memory."""
    response = StreamingHttpResponse(_csv_lines(events), content_type=CSV_TYPE)
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
