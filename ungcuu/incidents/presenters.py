"""Glue between forms/pages and the services: turning form data into a ReportInput, and what the
detail page shows (kept out of views so they stay thin)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.coordination.access import can_send as can_send_coordination_request
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents import forms
from ungcuu.incidents.access import can_handle
from ungcuu.incidents.models import ClosingReport, Incident, IncidentReport, Status
from ungcuu.incidents.services import ReportInput
from ungcuu.organizations import access

FORM03_EXTRA = [
    "reporter_address",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_email",
    "system_text",
    "handled",
    "detection_methods",
    "notified_by",
    "already_notified",
    "os",
    "services",
    "controls",
    "public_ips",
    "domains",
    "support_requests",
]


def report_input_from_form03(data: dict) -> ReportInput:
    extra = {key: data.get(key) for key in FORM03_EXTRA}
    extra["reported_at"] = timezone.now().isoformat()
    return ReportInput(
        channel=IncidentReport.Channel.FORM,
        title=data["title"],
        description=data["description"],
        detected_at=data["detected_at"],
        reporter_name=data["reporter_name"],
        reporter_email=data["reporter_email"],
        reporter_phone=data["reporter_phone"],
        organization=data["organization"],
        system=data.get("system"),
        category=data.get("category") or "",
        harms=tuple(data.get("harms") or ()),
        exceeds_capacity=data.get("exceeds_capacity", False),
        crime_signs=data.get("crime_signs", False),
        confidential=data.get("confidential", False),
        form_data=extra,
        idempotency_key=data.get("idempotency_key") or "",
    )


def report_input_from_public(data: dict) -> ReportInput:
    what = data["system_text"]
    return ReportInput(
        channel=IncidentReport.Channel.PUBLIC,
        title=_("Public report: %(what)s") % {"what": what[:250]},
        description=data["description"],
        detected_at=data["detected_at"],
        reporter_name=data["reporter_name"],
        reporter_email=data.get("reporter_email") or "",
        reporter_phone=data.get("reporter_phone") or "",
        form_data={
            key: data.get(key) or ""
            for key in ("reporter_address", "system_text", "operator_text", "suggested_handling")
        },
    )


def detail_context(user, incident: Incident) -> dict:
    """Everything the incident page shows, each part through the tenancy gate of its own app."""
    coordinator = access.is_coordinator(user)
    handler = can_handle(user, incident)
    # Merging and acknowledging have their own buttons; the "next step" select offers the rest.
    hidden = {Status.MERGED, Status.ACKNOWLEDGED}
    allowed = [s for s in incident.allowed_transitions() if s not in hidden] if handler else []
    transition_form = forms.TransitionForm()
    transition_form.fields["to"].choices = [(s, Status(s).label) for s in allowed]
    classify_form = forms.ClassifyForm(
        initial={
            "category": incident.category,
            "system": incident.system_id,
            "harms": incident.harms,
            "exceeds_capacity": incident.exceeds_capacity,
            "crime_signs": incident.crime_signs,
            "secret_target": incident.secret_target,
            "tlp": incident.tlp,
        }
    )
    closing = ClosingReport.objects.filter(incident=incident).first()
    return {
        "incident": incident,
        "reports": incident.reports.select_related("organization", "submitted_by"),
        "timeline": incident.timeline.select_related("actor"),
        "tasks": incident.tasks.select_related("owner"),
        "deadlines": incident.deadlines.all(),
        "closing": closing,
        "is_coordinator": coordinator,
        "can_handle": handler,
        "can_write_entry": handler or incident.reports.filter(submitted_by=user).exists(),
        "allowed": allowed,
        "transition_form": transition_form,
        "classify_form": classify_form,
        "entry_form": forms.EntryForm(),
        "task_form": forms.TaskForm(incident=incident),
        "closing_form": forms.ClosingReportForm(
            initial={
                "reporter_name": str(closing.reporter_name) if closing else "",
            }
        ),
        "merge_form": forms.MergeForm(),
        "support_form": forms.SupportRequestForm(),
        "notifications": incident.notifications.visible_to(user).select_related(
            "recipient_user", "recipient_org"
        ),
        "delivery_summary": delivery_summary(incident, user),
        "coordination_requests": CoordinationRequest.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("recipient"),
        "can_send_request": can_send_coordination_request(user) and incident.is_open,
    }


def delivery_summary(incident: Incident, user) -> dict:
    """Counts per delivery state, so a long outbox folds into one line unless something is failing."""
    states = dict(
        incident.notifications.visible_to(user).values_list("state").annotate(n=Count("id")).order_by()
    )
    return {
        "total": sum(states.values()),
        "sent": states.get("sent", 0),
        "waiting": states.get("pending", 0) + states.get("sending", 0),
        "failed": states.get("failed", 0),
        "dead": states.get("dead", 0),
    }
