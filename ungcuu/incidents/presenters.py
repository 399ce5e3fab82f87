"""Glue between forms/pages and the services: turning form data into a ReportInput, and what the
detail page shows (kept out of views so they stay thin)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.coordination.access import can_send as can_send_coordination_request
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents import forms, matching
from ungcuu.incidents.access import can_complete_task, can_handle
from ungcuu.incidents.closing import open_work
from ungcuu.incidents.models import ClosingReport, Deadline, Incident, IncidentReport, Status, Task
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
    "attack_succeeded",
    "disruption_risk",
    "data_sensitivity",
    "affected",
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


# The context keys of the workspace's forms: a refused form is re-shown there with its input and errors.
FORM_KEYS = {
    forms.TransitionForm: "transition_form",
    forms.ClassifyForm: "classify_form",
    forms.EntryForm: "entry_form",
    forms.TaskForm: "task_form",
    forms.ClosingReportForm: "closing_form",
    forms.MergeForm: "merge_form",
    forms.CloseForm: "close_form",
}


def next_steps(user, incident: Incident) -> list[dict]:
    """The legal moves this user may make now, as buttons: the procedure's next step first and primary.

    Acknowledging and merging have their own buttons, closing its check (`incidents.closing`).
    """
    if not can_handle(user, incident):
        return []
    own_buttons = {Status.MERGED, Status.ACKNOWLEDGED, Status.CLOSED}
    steps = [s for s in incident.allowed_transitions() if s not in own_buttons]
    return [
        {"value": s, "label": Status(s).label, "primary": i == 0, "danger": s == Status.REJECTED}
        for i, s in enumerate(steps)
    ]


def detail_context(user, incident: Incident, refused=None) -> dict:
    """Everything the incident workspace shows, each part through the tenancy gate of its own app."""
    handler = can_handle(user, incident)
    closing = ClosingReport.objects.filter(incident=incident).first()
    tasks = list(incident.tasks.select_related("owner", "owner_team"))
    for task in tasks:  # a team's member settles its task without handling the incident
        task.may_complete = task.is_open and can_complete_task(user, task)
    requests = list(
        CoordinationRequest.objects.visible_to(user).filter(incident=incident).select_related("recipient")
    )
    context = {
        "incident": incident,
        "reports": incident.reports.select_related("organization", "submitted_by"),
        "timeline": incident.timeline.select_related("actor"),
        "tasks": tasks,
        "open_tasks": [t for t in tasks if t.is_open],
        "deadlines": incident.deadlines.all(),
        "closing": closing,
        "is_coordinator": access.is_coordinator(user),
        "is_handler": incident.handlers.filter(pk=user.pk).exists(),
        "can_handle": handler,
        "can_write_entry": handler or incident.reports.filter(submitted_by=user).exists(),
        "next_steps": next_steps(user, incident),
        "open_work": open_work(user, incident) if handler and incident.can_close else None,
        "notifications": incident.notifications.visible_to(user).select_related(
            "recipient_user", "recipient_org"
        ),
        "delivery_summary": delivery_summary(incident, user),
        "coordination_requests": requests,
        "can_send_request": can_send_coordination_request(user) and incident.is_open,
        **intake_matches(user, incident),
    }
    context.update(_forms(incident, closing, suggested=context["registry_matches"]))
    if refused is not None and type(refused) in FORM_KEYS:
        context[FORM_KEYS[type(refused)]] = refused
    return context


def intake_matches(user, incident: Incident) -> dict:
    """For a coordinator on an open incident: the registered systems its reports name (while it has no
    system yet) and the open incidents it may duplicate (while it can still be merged)."""
    if not (access.is_coordinator(user) and incident.is_open):
        return {"registry_matches": [], "duplicates": []}
    found = matching.registry_matches(user, incident) if incident.system_id is None else []
    mergeable = incident.can_transition_to(Status.MERGED)
    systems = [m.system for m in found]
    duplicates = matching.duplicate_candidates(user, incident, systems) if mergeable else []
    return {"registry_matches": found, "duplicates": duplicates}


def _forms(incident: Incident, closing: ClosingReport | None, suggested=()) -> dict:
    # A report without a system proposes the best registry match in classification (the coordinator decides).
    system_id = incident.system_id or (suggested[0].system.pk if suggested else None)
    classify_form = forms.ClassifyForm(
        initial={
            "category": incident.category,
            "system": system_id,
            "harms": incident.harms,
            "exceeds_capacity": incident.exceeds_capacity,
            "crime_signs": incident.crime_signs,
            "secret_target": incident.secret_target,
            "tlp": incident.tlp,
        }
    )
    return {
        "transition_form": forms.TransitionForm(),
        "classify_form": classify_form,
        "entry_form": forms.EntryForm(),
        "task_form": forms.TaskForm(incident=incident),
        "closing_form": forms.ClosingReportForm(
            initial={"reporter_name": str(closing.reporter_name) if closing else ""}
        ),
        "merge_form": forms.MergeForm(),
        "support_form": forms.SupportRequestForm(),
        "close_form": forms.CloseForm(),
    }


PAGE_SIZES = (25, 50, 100)


def page_size(request) -> int:
    """Rows per list page from `?per_page=` (one of PAGE_SIZES, default the first)."""
    value = request.GET.get("per_page", "")
    return int(value) if value.isdigit() and int(value) in PAGE_SIZES else PAGE_SIZES[0]


def list_page(page):
    """The list's rows with their handlers, next running clock and lateness, read for this page only.

    Prefetches are separate queries on the page's ids: the list queryset itself gains no join or
    DISTINCT (the visibility gate's speed is branch perf's work).
    """
    now = timezone.now()
    rows = list(page.object_list)
    # Every clock and task of the page's incidents (four clocks an incident), the running ones picked here:
    # asked `met_at IS NULL AND incident_id IN (…)`, SQLite chose the (met_at, due_at) index (its statistics
    # say a met_at value holds one row; NULL holds the 60,000 running clocks) and read them all, 20-30 ms on
    # every list page at 100,000 incidents (issue 18). By incident id alone both databases probe its index.
    prefetch_related_objects(
        rows,
        "handlers",
        Prefetch(
            "deadlines", queryset=Deadline.objects.only("incident_id", "due_at", "met_at"), to_attr="clocks"
        ),
        Prefetch(
            "tasks", queryset=Task.objects.only("incident_id", "due_at", "done_at"), to_attr="all_tasks"
        ),
    )
    for incident in rows:
        incident.running = [d for d in incident.clocks if d.met_at is None]
        incident.open_tasks = [t for t in incident.all_tasks if t.done_at is None]
        incident.next_deadline = (
            min((d.due_at for d in incident.running), default=None) if incident.is_open else None
        )
        incident.age_days = (now - incident.reported_at).days
        incident.is_late = incident.is_open and (
            any(d.due_at < now for d in incident.running)
            or any(t.due_at is not None and t.due_at < now for t in incident.open_tasks)
        )
    page.object_list = rows
    return page


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
