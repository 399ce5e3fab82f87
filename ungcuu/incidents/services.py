"""Every rule-bearing change to an incident: intake, acknowledgement, classification, workflow, merge."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.core import config_cache, platform, references, taxonomy, validators
from ungcuu.core.db import retry_on_busy
from ungcuu.core.errors import Conflict, InvalidTransition
from ungcuu.incidents import clocks, form03, routing
from ungcuu.incidents.access import can_add_entry, can_complete_task, can_handle
from ungcuu.incidents.models import (
    CONTAINED_OR_LATER,
    LIVE_REQUEST_STATES,
    PROVISIONAL_REFERENCE,
    ClosingReport,
    Incident,
    IncidentReport,
    RoutingRule,
    Status,
    Task,
    TimelineEvent,
)
from ungcuu.incidents.severity import assess_severity
from ungcuu.incidents.timeline import record
from ungcuu.notifications.services import notify, one_delivery_job, written_together
from ungcuu.organizations import access
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.webhooks.events import emit
from ungcuu.webhooks.models import Event as WebhookEvent

Kind = TimelineEvent.Kind


def next_reference(now: datetime.datetime | None = None) -> str:
    """`PREFIX-YYYY-NNNNNN`, unique per year: the counter row stays locked until the caller's transaction
    ends (a rolled-back intake gives its number back), so intake takes it as late as it can."""
    return references.next_reference("incident", platform.current().reference_prefix, digits=6, now=now)


@dataclass(frozen=True)
class ReportInput:
    """What any of the three intake doors hands to `submit_report` (form 03 / public / API)."""

    channel: str
    title: str
    description: str
    detected_at: datetime.datetime
    reporter_name: str
    reporter_email: str = ""
    reporter_phone: str = ""
    organization: Organization | None = None
    system: InformationSystem | None = None
    category: str = ""
    harms: tuple[str, ...] = ()
    exceeds_capacity: bool = False
    crime_signs: bool = False
    secret_target: bool = False
    confidential: bool = False
    form_data: dict | None = None
    idempotency_key: str = ""


def validate_report(data: ReportInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the incident a short title.")]
    if not data.description.strip():
        errors["description"] = [_("Describe what happened.")]
    if not data.reporter_name.strip():
        errors["reporter_name"] = [_("Say who is reporting.")]
    if data.detected_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["detected_at"] = [_("The detection time cannot be in the future.")]
    elif data.detected_at.year < validators.EARLIEST_YEAR:
        errors["detected_at"] = [_("This date is too long ago; check the year.")]
    try:
        validators.validate_phone(data.reporter_phone)
    except ValidationError as exc:
        errors["reporter_phone"] = exc.messages
    if data.category and data.category not in taxonomy.incident_categories():
        errors["category"] = [_("Unknown incident category.")]
    if data.channel == IncidentReport.Channel.PUBLIC and not (
        data.reporter_email.strip() or data.reporter_phone.strip()
    ):  # a citizen must leave one way to be reached (issue 15)
        errors["reporter_email"] = [_("Give an e-mail or a phone number so we can reach you.")]
    bad_harms = [h for h in data.harms if h not in Incident.Harm.values]
    if bad_harms:
        errors["harms"] = [_("Unknown harm: %(h)s") % {"h": ", ".join(bad_harms)}]
    errors.update(form03.errors(data.form_data or {}))  # the same structured items from every door
    if errors:
        raise ValidationError(errors)


def submit_report(*, actor, data: ReportInput) -> IncidentReport:
    """The one intake service behind all three doors: validate, log, number, start the clocks.

    A repeated submission with the same idempotency key returns the first report instead of a duplicate
    (a second click on "submit" or a client retry never creates a second incident). A key belongs to the
    user who sent it: another user's identical key neither returns their report nor swallows this one.
    An anonymous caller (the public door) has no scope to hold a key, so its key is ignored; that door's
    single-use challenge token already refuses a second submission of the same form.
    """
    validate_report(data)
    if not getattr(actor, "is_authenticated", False):
        data = replace(data, idempotency_key="")
    if data.idempotency_key:
        existing = _replayed(actor, data.idempotency_key)
        if existing:
            return existing
    try:
        return _create_report(actor=actor, data=data)
    except IntegrityError:
        existing = _replayed(actor, data.idempotency_key) if data.idempotency_key else None
        if existing:
            return existing
        raise


def _replayed(actor, key: str) -> IncidentReport | None:
    """The caller's own earlier report under this key, never anyone else's."""
    return IncidentReport.objects.filter(submitted_by=actor, idempotency_key=key).first()


@retry_on_busy  # a busy database runs the whole intake again (it rolled back as one)
@transaction.atomic
def _create_report(*, actor, data: ReportInput) -> IncidentReport:
    # The rules, policies, role holders and addresses come from this process's copy when still current
    # (one token query), and the e-mails of the report leave in one job after commit (issue 18).
    with config_cache.pinned(), one_delivery_job():
        return _write_report(actor=actor, data=data)


def _write_report(*, actor, data: ReportInput) -> IncidentReport:
    system = data.system
    operator = _organization(system, "operator", data.organization) if system else data.organization
    owner = _organization(system, "owner", data.organization, operator) if system else None
    assessment = assess_severity(
        system=system, harms=list(data.harms), exceeds_capacity=data.exceeds_capacity
    )
    incident = Incident.objects.create(
        reference=f"{PROVISIONAL_REFERENCE}{uuid.uuid4().hex}",  # the number is taken last, see below
        title=data.title.strip(),
        description=data.description.strip(),
        category=data.category,
        harms=list(data.harms),
        exceeds_capacity=data.exceeds_capacity,
        crime_signs=data.crime_signs,
        secret_target=data.secret_target,
        severity=assessment.severity,
        severity_reasons=assessment.reasons,
        system=system,
        operator=operator,
        owner=owner,
        detected_at=data.detected_at,
        confidential=data.confidential,
        tlp=Incident.Tlp.AMBER_STRICT if data.confidential else Incident.Tlp.AMBER,
    )
    report = IncidentReport.objects.create(
        incident=incident,
        channel=data.channel,
        organization=data.organization,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        reporter_name=data.reporter_name.strip(),
        reporter_email=data.reporter_email,
        reporter_phone=data.reporter_phone,
        data=data.form_data or {},
        idempotency_key=data.idempotency_key,
    )
    record(
        incident,
        Kind.REPORTED,
        actor=report.submitted_by,
        message=incident.title,
        channel=data.channel,
        report_id=report.pk,
    )
    by_operator = report.organization_id is not None and report.organization_id == incident.operator_id
    third_party = data.channel == IncidentReport.Channel.PUBLIC
    clocks.start_clocks(
        incident, received_at=report.received_at, by_operator=by_operator, third_party=third_party
    )
    targets = routing.plan_with_recipients(incident, RoutingRule.Event.REPORT_RECEIVED)
    # Every intake waits on the one counter row from here to commit, so it is taken after the other work,
    # reads included: after it only the writes that quote the number (the notifications, their timeline).
    incident.reference = next_reference()
    incident.save(update_fields=["reference", "search_text"])
    with written_together():  # the notices and the acknowledgement: one INSERT for their rows, one for
        routing.route(incident, RoutingRule.Event.REPORT_RECEIVED, report=report, targets=targets)  # entries
    if needs_emergency_reporting(incident):
        start_emergency_reporting(incident, actor=report.submitted_by)
    for flag, event in FLAG_EVENTS:
        if getattr(incident, flag):
            routing.route(incident, event)
    emit(WebhookEvent.INCIDENT_REPORTED, incident)  # after commit; subscribers' gates asked on delivery
    return report


def _organization(system: InformationSystem, field: str, *known: Organization | None) -> Organization | None:
    """The system's owner or operator, reusing an organization already loaded (the reporting unit usually
    operates the system it reports: two look-ups saved)."""
    pk = getattr(system, f"{field}_id")
    match = next((org for org in known if org is not None and org.pk == pk), None)
    return match if match is not None else getattr(system, field)


def needs_emergency_reporting(incident: Incident) -> bool:
    """DOMAIN.md §d, QĐ05 Art. 11.1a: once the incident may exceed the operator's own capacity (or is
    serious), emergency reporting starts at once, not after the 5-day report."""
    return incident.exceeds_capacity or incident.severity == Incident.Severity.SERIOUS


def start_emergency_reporting(incident: Incident, *, actor) -> None:
    """Tell the emergency chain now, in a notice marked as emergency (QĐ05 Art. 11.1a, 11.2; S0 §II.4a):
    the routing rules of the `emergency` event (specialised unit, owner, national coordinator, and for a
    serious incident the provincial steering committee). Once per incident."""
    if incident.emergency_reported_at is not None:
        return
    incident.emergency_reported_at = timezone.now()
    incident.save(update_fields=["emergency_reported_at", "search_text"])
    why = [_("may exceed the operator's own capacity")] if incident.exceeds_capacity else []
    if incident.severity == Incident.Severity.SERIOUS:
        why.append(_("serious"))
    note = _("Emergency reporting (QĐ05 Art. 11.1a): the incident is %(why)s.") % {"why": ", ".join(why)}
    targets = routing.route(incident, RoutingRule.Event.EMERGENCY, note=note)
    told = [org.pk for org in targets["to"] + targets["copy"]]
    record(incident, Kind.EMERGENCY, actor=actor, message=note, organizations=told)


# Flags that, once set, pull more bodies into the chain (DOMAIN.md §d "other channels").
FLAG_EVENTS = [
    ("crime_signs", RoutingRule.Event.CRIME_SIGNS),
    ("secret_target", RoutingRule.Event.SECRET_TARGET),
]


def _require_coordinator(actor) -> None:
    access.require(access.is_coordinator(actor))


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def change_status(*, actor, incident: Incident, to: str, note: str = "") -> Incident:
    """Move an incident along its procedure; only moves in `Incident.TRANSITIONS` are allowed.

    Closing with open tasks or live coordination requests is refused: `incidents.closing.close_incident`
    settles them with the coordinator's decision first (issue 15: closing checks the work).
    """
    if to == Status.CLOSED:
        tasks, requests = open_work_counts(incident)
        if tasks or requests:
            raise Conflict(
                _(
                    "%(tasks)s open task(s) and %(requests)s coordination request(s) still open: "
                    "decide on them when closing (complete, cancel with a reason, or close anyway "
                    "with a reason)."
                )
                % {"tasks": tasks, "requests": requests}
            )
    return move(actor=actor, incident=incident, to=to, note=note)


def open_work_counts(incident: Incident) -> tuple[int, int]:
    """(open tasks, live coordination requests) of an incident: what closing must settle first."""
    tasks = incident.tasks.filter(done_at__isnull=True).count()
    requests = incident.coordination_requests.filter(status__in=LIVE_REQUEST_STATES).count()
    return tasks, requests


@transaction.atomic
def move(*, actor, incident: Incident, to: str, note: str = "") -> Incident:
    """The status change itself, after the callers' checks (`change_status`, `closing.close_incident`)."""
    incident = _lock(incident)
    if not can_handle(actor, incident):
        raise PermissionDenied
    incident.check_transition(to)
    if to == Status.CLOSED and not ClosingReport.objects.filter(incident=incident).exists():
        raise InvalidTransition(_("Submit the closing report (form 04) before closing the incident."))
    old = incident.status
    incident.status = to
    now = timezone.now()
    if to == Status.ACKNOWLEDGED and incident.acknowledged_at is None:
        incident.acknowledged_at = now
        clocks.meet(incident, clocks.Code.INTAKE_ACK, at=now)
    if to in CONTAINED_OR_LATER and incident.contained_at is None:
        incident.contained_at = now
    if to in {Status.CLOSED, Status.REJECTED}:
        incident.closed_at = now
        clocks.meet(incident, clocks.Code.CLOSE, at=now)
    incident.save()
    record(incident, Kind.STATUS, actor=actor, message=note, **{"from": old, "to": to})
    emit(WebhookEvent.INCIDENT_CHANGED, incident)
    if to == Status.CLOSED:
        routing.route(incident, RoutingRule.Event.CLOSED)
    return incident


def acknowledge(*, actor, incident: Incident, note: str = "") -> Incident:
    """The specialised unit acknowledges receipt to the reporter (QĐ05 Art. 12.1c)."""
    _require_coordinator(actor)
    incident = change_status(actor=actor, incident=incident, to=Status.ACKNOWLEDGED, note=note)
    if not incident.handlers.exists():  # whoever takes the report in handles it until reassigned
        assign_handler(actor=actor, incident=incident)
    return incident


@transaction.atomic
def classify(
    *,
    actor,
    incident: Incident,
    category: str,
    harms: list[str],
    exceeds_capacity: bool,
    system: InformationSystem | None = None,
    override_severity: str = "",
    override_reason: str = "",
    crime_signs: bool | None = None,
    secret_target: bool | None = None,
    tlp: str = "",
) -> Incident:
    """Set the cause/subtype and compute severity from the registry; an override needs a reason."""
    _require_coordinator(actor)
    incident = _lock(incident)
    if category not in taxonomy.incident_categories():
        raise ValidationError({"category": [_("Unknown incident category.")]})
    if override_severity and not override_reason.strip():
        raise ValidationError({"override_reason": [_("Say why the computed severity is overridden.")]})
    if system is not None:
        incident.system, incident.operator, incident.owner = system, system.operator, system.owner
    assessment = assess_severity(system=incident.system, harms=harms, exceeds_capacity=exceeds_capacity)
    before = {flag: getattr(incident, flag) for flag in ("crime_signs", "secret_target", "exceeds_capacity")}
    was_serious = incident.severity == Incident.Severity.SERIOUS and incident.classified_at is not None
    incident.category, incident.harms, incident.exceeds_capacity = category, harms, exceeds_capacity
    incident.crime_signs = incident.crime_signs if crime_signs is None else crime_signs
    incident.secret_target = incident.secret_target if secret_target is None else secret_target
    if tlp and tlp not in Incident.Tlp.values:
        raise ValidationError({"tlp": [_("Unknown TLP marking.")]})
    incident.tlp = tlp or incident.tlp
    incident.severity = override_severity or assessment.severity
    incident.severity_reasons = assessment.reasons
    incident.severity_override_reason = override_reason.strip() if override_severity else ""
    incident.classified_at = incident.classified_at or timezone.now()
    incident.save()
    record(
        incident,
        Kind.CLASSIFIED,
        actor=actor,
        message=override_reason,
        category=category,
        severity=incident.severity,
        computed=assessment.severity,
        reasons=assessment.reasons,
    )
    clocks.meet(incident, clocks.Code.INTAKE_CLASSIFY)
    emit(WebhookEvent.INCIDENT_CHANGED, incident)
    _route_classification(incident, before=before, was_serious=was_serious)
    if incident.status in {Status.ACKNOWLEDGED, Status.VERIFYING}:
        incident = change_status(actor=actor, incident=incident, to=Status.CLASSIFIED)
    return incident


def _route_classification(incident: Incident, *, before: dict, was_serious: bool) -> None:
    """Tell the chain once per classification, and the extra bodies only when a flag newly turns on."""
    routing.route(incident, RoutingRule.Event.CLASSIFIED)
    if incident.severity == Incident.Severity.SERIOUS and not was_serious:
        routing.route(incident, RoutingRule.Event.SERIOUS)
    for flag, event in FLAG_EVENTS:
        if getattr(incident, flag) and not before[flag]:
            routing.route(incident, event)
    # The operator's capacity (Art. 11.1a) starts emergency reporting; it is not the province's "cannot
    # cope" (S4 Art. 7.1d), which only the coordinator's `request_national_support` declares.
    if needs_emergency_reporting(incident):
        start_emergency_reporting(incident, actor=None)


@transaction.atomic
def request_national_support(*, actor, incident: Incident, reason: str) -> Incident:
    """The province cannot cope: the specialised unit asks the national coordinator for support (DOMAIN.md
    §d, §e; S4 Art. 7.1d). The request is sent through the `province_cannot_cope` routing rules; form 05's
    "national coordinator asked" column counts these requests (`national_support_requested_at`)."""
    _require_coordinator(actor)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the province cannot cope and what support it needs.")]})
    incident = _lock(incident)
    targets = routing.plan(incident, RoutingRule.Event.PROVINCE_CANNOT_COPE)
    if not (targets["to"] or targets["copy"]):  # the registry's state, not the input: 409
        raise Conflict(_("No national coordinator is registered to receive the request; add it first."))
    routing.route(incident, RoutingRule.Event.PROVINCE_CANNOT_COPE, note=reason.strip(), targets=targets)
    incident.national_support_requested_at = incident.national_support_requested_at or timezone.now()
    incident.save(update_fields=["national_support_requested_at", "search_text"])
    told = [org.pk for org in targets["to"] + targets["copy"]]
    record(incident, Kind.SUPPORT_REQUEST, actor=actor, message=reason.strip(), organizations=told)
    return incident


@transaction.atomic
def add_entry(*, actor, incident: Incident, kind: str, message: str) -> TimelineEvent:
    """Progress report, response-plan report, request for direction, or a note (QĐ05 Art. 11.2); the
    specialised unit answers a request with a direction entry."""
    access.require(can_add_entry(actor, incident))  # first: a refused caller learns nothing from validation
    if kind not in {Kind.NOTE, Kind.PROGRESS, Kind.PLAN, Kind.DIRECTION_REQUEST, Kind.DIRECTION}:
        raise ValidationError({"kind": [_("This kind of entry cannot be added by hand.")]})
    if kind == Kind.DIRECTION:
        _require_coordinator(actor)
    if not message.strip():
        raise ValidationError({"message": [_("Write the entry.")]})
    entry = record(incident, kind, actor=actor, message=message.strip())
    if kind == Kind.DIRECTION_REQUEST:
        _route_direction_request(incident, entry)
    elif kind == Kind.DIRECTION:
        clocks.meet(incident, clocks.Code.DIRECTION_ANSWER, at=entry.at)
    return entry


def _route_direction_request(incident: Incident, entry: TimelineEvent) -> None:
    """A request for direction or support reaches someone, with a deadline (DOMAIN.md §d, §e; QĐ05 Art.
    11.2, 12.1f): the `direction_requested` rules name the specialised unit and, for a serious incident,
    the bodies above it; the DIRECTION_ANSWER clock runs until a direction entry answers it."""
    routing.route(incident, RoutingRule.Event.DIRECTION_REQUESTED, note=entry.message)
    clocks.restart(incident, clocks.Code.DIRECTION_ANSWER, at=entry.at)


def task_owners(incident: Incident):
    """Who may own a response task: active members of the operator or the owner, and coordinators."""
    units = [pk for pk in (incident.operator_id, incident.owner_id) if pk]
    people = Q(memberships__organization_id__in=units) | Q(platform_role=User.PlatformRole.COORDINATOR)
    return User.objects.filter(is_active=True).filter(people).distinct().order_by("last_name", "username")


def task_teams(incident: Incident):
    """Which teams may own a task: the active response teams; none on a confidential incident (only the
    people it names may read it, and a team is everyone in it)."""
    if incident.confidential:
        return Organization.objects.none()
    return Organization.objects.filter(kind=OrgKind.PROV_IR_TEAM, is_active=True).order_by("name")


@transaction.atomic
def add_task(*, actor, incident: Incident, title: str, owner=None, owner_team=None, due_at=None) -> Task:
    """A response task with an owner (a person or the response team) and a due date."""
    access.require(can_handle(actor, incident))
    if owner is not None and not task_owners(incident).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must belong to the incident's units or coordinate.")})
    if owner is not None and owner_team is not None:
        raise ValidationError({"owner_team": _("Give the task to a person or to a team, not both.")})
    if owner_team is not None and not task_teams(incident).filter(pk=owner_team.pk).exists():
        raise ValidationError(
            {"owner_team": _("Only an active response team can own a task of this incident.")}
        )
    validators.check_not_past(due_at, "due_at")
    task = Task.objects.create(
        incident=incident, title=title, owner=owner, owner_team=owner_team, due_at=due_at
    )
    data = {"team": owner_team.pk} if owner_team is not None else {}
    record(incident, Kind.TASK, actor=actor, message=title, task_id=task.pk, action="added", **data)
    if owner_team is not None:
        _tell_team(task, actor)
    return task


def _tell_team(task: Task, actor) -> None:
    """The team learns of its new task like any other piece of work (the outbox sends after commit)."""
    team = task.owner_team
    if team is None:
        return
    notify(
        event="task_assigned",
        subject=_("[%(ref)s] New task for %(team)s") % {"ref": task.incident.reference, "team": team},
        body=task.title,
        incident=task.incident,
        link=reverse("incidents:team_work", args=[team.pk]),
        dedupe_key=f"task-team:{task.pk}",
        actor=actor,
        organizations=[team],
    )


@transaction.atomic
def complete_task(*, actor, task: Task) -> Task:
    """The owner or a handler marks the task done; a settled task keeps when and how it was settled."""
    access.require(can_complete_task(actor, task))
    if task.done_at is not None:
        raise Conflict(_("This task is already settled."))
    task.done_at = timezone.now()
    task.save(update_fields=["done_at", "updated_at"])
    record(task.incident, Kind.TASK, actor=actor, message=task.title, task_id=task.pk, action="done")
    return task


@transaction.atomic
def cancel_task(*, actor, task: Task, reason: str) -> Task:
    """A task that will not be done is settled with the reason, which the timeline keeps."""
    access.require(can_handle(actor, task.incident))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    if task.done_at is not None:
        raise Conflict(_("This task is already settled."))
    task.done_at = timezone.now()
    task.cancel_reason = reason.strip()
    task.save(update_fields=["done_at", "cancel_reason", "updated_at"])
    record(
        task.incident,
        Kind.TASK,
        actor=actor,
        message=f"{task.title}: {task.cancel_reason}",
        task_id=task.pk,
        action="cancelled",
    )
    return task


@transaction.atomic
def submit_closing_report(
    *, actor, incident: Incident, reporter_name: str, what_happened: str, how_solved: str, proposals: str = ""
) -> ClosingReport:
    """Form 04; closing an incident requires it."""
    access.require(can_handle(actor, incident))
    report, _created = ClosingReport.objects.update_or_create(
        incident=incident,
        defaults={
            "reporter_name": reporter_name,
            "what_happened": what_happened,
            "how_solved": how_solved,
            "proposals": proposals,
            "author": actor,
        },
    )
    record(incident, Kind.CLOSING_REPORT, actor=actor, message=how_solved)
    return report


@transaction.atomic
def merge_incidents(*, actor, target: Incident, duplicate: Incident, note: str = "") -> Incident:
    """Fold a duplicate into the target: its reports move, its history stays, nothing is lost."""
    _require_coordinator(actor)
    if target.pk == duplicate.pk:
        raise ValidationError({"duplicate": [_("An incident cannot be merged into itself.")]})
    target, duplicate = _lock(target), _lock(duplicate)
    if not duplicate.can_transition_to(Status.MERGED) or not target.is_open:
        raise InvalidTransition(
            _("Only an open incident can receive a merge, and only an incident in intake can be merged.")
        )
    moved = list(duplicate.reports.values_list("pk", flat=True))
    IncidentReport.objects.filter(pk__in=moved).update(incident=target)
    first = None
    if target.operator_id is not None:
        from_operator = IncidentReport.objects.filter(pk__in=moved, organization_id=target.operator_id)
        first = from_operator.order_by("received_at").first()
    if first is not None:
        clocks.meet_operator_report(target, at=first.received_at)
    duplicate.status, duplicate.merged_into = Status.MERGED, target
    duplicate.save()
    target.confidential = target.confidential or duplicate.confidential
    target.save()
    record(duplicate, Kind.MERGED, actor=actor, message=note, into=target.reference)
    record(target, Kind.MERGED, actor=actor, message=note, merged=duplicate.reference, reports=moved)
    return target


@transaction.atomic
def assign_handler(*, actor, incident: Incident, handler=None) -> Incident:
    """A coordinator takes (or gives) the handling; handlers are the people a confidential report names."""
    _require_coordinator(actor)
    person = handler or actor
    if not access.is_coordinator(person):
        raise ValidationError({"handler": [_("Only staff of the specialised unit can handle incidents.")]})
    incident.handlers.add(person)
    record(
        incident,
        Kind.NOTE,
        actor=actor,
        message=_("Handler assigned: %(name)s") % {"name": str(person)},
        handler=person.pk,
    )
    return incident
