"""Fulfilling, waiving and raising obligation occurrences (DOMAIN.md §g).

Other apps call `record_fulfilment` from their own services when a drill is held, a scan imported, a plan
version approved or a report sent: they have already decided that the actor may do that, so this
function does not check roles again. The UI's "mark done" goes through `mark_occurrence_done`, which does.
The periodic side (generating occurrences, overdue, reminders) lives in `ungcuu.obligations.engine`.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.core.errors import Conflict
from ungcuu.obligations import drills, periods
from ungcuu.obligations.access import can_edit_definitions, can_fulfil, can_waive
from ungcuu.obligations.models import EvidenceKind, ObligationDefinition, Occurrence, OccurrenceEvent
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

logger = logging.getLogger(__name__)
Status = Occurrence.Status
STAFF_CHANGE_NOTICE = "STAFF_CHANGE_NOTICE"
LEVEL_DOSSIER = "LEVEL_DOSSIER"
# Evidence that points at a row of another app must be a row of that app (a drill is not a scan).
EVIDENCE_APPS: dict[str, set[str]] = {
    EvidenceKind.DRILL: {"preparedness"},
    EvidenceKind.TRAINING: {"preparedness"},
    EvidenceKind.PLAN_VERSION: {"preparedness"},
    EvidenceKind.SCAN: {"vulnerabilities"},
    EvidenceKind.REPORT: {"reports"},
}


# --- who owes what ----------------------------------------------------------------------------------


def applies_to(definition: ObligationDefinition, organization: Organization, system=None) -> bool:
    """Does this obligation bind this organization (or, for per-system duties, this system)?"""
    if definition.applies_to_systems:
        return system is not None and system.security_level >= definition.min_security_level
    return organization.kind in (definition.applies_to_kinds or []) or bool(
        definition.applies_to_network_members and organization.is_network_member
    )


# --- fulfilling ---------------------------------------------------------------------------------------


@transaction.atomic
def record_fulfilment(
    *,
    actor,
    code: str,
    organization: Organization,
    system: InformationSystem | None = None,
    on: datetime.date,
    evidence_kind: str,
    evidence: models.Model | None = None,
    note: str = "",
    link: str = "",
    file=None,
    period_on: datetime.date | None = None,
) -> Occurrence | None:
    """Mark the occurrence of `code` for (organization, system) whose period covers `on` as done.

    `period_on`, a day of another period, names the period instead: a report about a known period sent
    after its due date fulfils that period's occurrence (late), not the next one's.
    Returns None when no active definition binds them. A period already done passes the fulfilment to
    the oldest earlier overdue occurrence (done late); event-driven obligations close the oldest open
    occurrence, or get one created. Wrong evidence raises ValidationError and writes nothing.
    """
    definition = ObligationDefinition.objects.filter(code=code, active=True).first()
    if definition is None or not applies_to(definition, organization, system):
        return None
    validate_evidence(definition, evidence_kind, evidence)
    if not definition.applies_to_systems:
        system = None  # an organization-wide duty: the system named is context, not the key
    occurrence = _occurrence_to_fulfil(definition, organization, system, period_on or on)
    if occurrence is None:
        return _existing_for(definition, organization, system, period_on or on)
    _complete(
        occurrence, actor=actor, on=on, kind=evidence_kind, evidence=evidence, note=note, link=link, file=file
    )
    return occurrence


def validate_evidence(definition: ObligationDefinition, kind: str, evidence) -> None:
    """The kind must be one this obligation accepts, and a linked row must come from the right app."""
    if kind not in (definition.evidence_kinds or []):
        accepted = ", ".join(str(EvidenceKind(k).label) for k in definition.evidence_kinds or [])
        raise ValidationError(
            {
                "evidence_kind": _("%(kind)s does not fulfil “%(title)s”; it takes: %(accepted)s.")
                % {"kind": _kind_label(kind), "title": definition.title, "accepted": accepted or "—"}
            }
        )
    apps = EVIDENCE_APPS.get(kind)
    if evidence is not None and apps and evidence._meta.app_label not in apps:
        raise ValidationError(
            {"evidence_kind": _("The linked record is not a %(kind)s.") % {"kind": _kind_label(kind)}}
        )


def _kind_label(kind: str) -> str:
    return str(EvidenceKind(kind).label) if kind in EvidenceKind.values else repr(kind)


def _key(definition, organization, system) -> dict:
    if system is not None:
        return {"definition": definition, "system": system}
    return {"definition": definition, "organization": organization, "system__isnull": True}


def _occurrence_to_fulfil(definition, organization, system, on) -> Occurrence | None:
    open_ones = Occurrence.objects.select_for_update().filter(**_key(definition, organization, system))
    if definition.is_event_driven:
        earlier = open_ones.open().filter(period_start__lte=on).order_by("period_start").first()
        if earlier is not None or open_ones.filter(period_start=on).exists():
            return earlier  # None: that day's event is recorded and done already
        return _create_event_occurrence(definition, organization, system, on)
    covering = _get_or_create_covering(definition, organization, system, on)
    if covering.is_open:
        return covering
    return open_ones.filter(status=Status.OVERDUE, due_on__lt=on).order_by("due_on").first()


def _existing_for(definition, organization, system, on) -> Occurrence | None:
    if definition.is_event_driven:
        return Occurrence.objects.filter(**_key(definition, organization, system), period_start=on).first()
    return _get_or_create_covering(definition, organization, system, on)


def _get_or_create_covering(definition, organization, system, on) -> Occurrence:
    period = periods.covering_period(
        on=on, period_months=definition.period_months, fixed_dates=definition.fixed_dates
    )
    occurrence, _created = Occurrence.objects.select_for_update().get_or_create(
        **_key(definition, organization, system),
        period_start=period.start,
        defaults={"organization": _owing(organization, system), "system": system, "due_on": period.end},
    )
    return occurrence


def _owing(organization: Organization, system: InformationSystem | None) -> Organization:
    """A per-system duty is owed by the unit that runs the system."""
    return system.operator if system is not None else organization


def _create_event_occurrence(definition, organization, system, on, *, actor=None, note="") -> Occurrence:
    occurrence = Occurrence.objects.create(
        definition=definition,
        organization=_owing(organization, system),
        system=system,
        period_start=on,
        due_on=on + datetime.timedelta(days=definition.event_due_days),
    )
    OccurrenceEvent.objects.create(
        occurrence=occurrence, kind=OccurrenceEvent.Kind.CREATED, actor=actor, note=note
    )
    return occurrence


def _complete(occurrence: Occurrence, *, actor, on, kind, evidence=None, note="", link="", file=None):
    occurrence.status, occurrence.done_on, occurrence.done_by = Status.DONE, on, actor
    occurrence.evidence_kind = kind
    occurrence.evidence_type = ContentType.objects.get_for_model(evidence) if evidence is not None else None
    occurrence.evidence_id = evidence.pk if evidence is not None else None
    occurrence.evidence_note, occurrence.evidence_link = note, link
    if file is not None:
        occurrence.evidence_file = file
    occurrence.save()
    OccurrenceEvent.objects.create(
        occurrence=occurrence,
        kind=OccurrenceEvent.Kind.DONE,
        actor=actor,
        note=_("Done on %(date)s (%(kind)s).") % {"date": on.strftime("%d/%m/%Y"), "kind": _kind_label(kind)},
    )
    if occurrence.definition.code == drills.CODE and occurrence.system_id:
        # The obligation's evidence is a drill: the registry's last drill follows (one source, drills.py).
        drills.note_drill(system_ids=[occurrence.system_id], on=on)


@transaction.atomic
def mark_occurrence_done(
    *, actor, occurrence: Occurrence, on: datetime.date, evidence_kind: str, note="", link="", file=None
) -> Occurrence:
    """The UI's "mark done": a manager of the unit attaches a file, a link or a note."""
    access.require(can_fulfil(actor, occurrence))
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    if not occurrence.is_open:
        raise Conflict(
            _("This occurrence is already %(status)s.") % {"status": occurrence.get_status_display().lower()}
        )
    validate_evidence(occurrence.definition, evidence_kind, None)
    _validate_done_on(occurrence, on)
    if evidence_kind == EvidenceKind.FILE and not file:
        raise ValidationError({"file": _("Attach the file that proves it.")})
    if evidence_kind == EvidenceKind.LINK and not link:
        raise ValidationError({"link": _("Give the link that proves it.")})
    if not (file or link or note.strip()):
        raise ValidationError({"note": _("Say what proves it: a file, a link or a note.")})
    _complete(occurrence, actor=actor, on=on, kind=evidence_kind, note=note, link=link, file=file)
    return occurrence


def _validate_done_on(occurrence: Occurrence, on: datetime.date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"done_on": _("The date it was done cannot be in the future.")})
    if on < occurrence.period_start:
        raise ValidationError(
            {
                "done_on": _("This period starts on %(date)s; work done before it counts for the one before.")
                % {"date": occurrence.period_start.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def waive_occurrence(*, actor, occurrence: Occurrence, reason: str) -> Occurrence:
    """The coordinator excuses one occurrence (a system retired, a merged unit), with the reason kept."""
    access.require(can_waive(actor, occurrence))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for waiving.")})
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    if not occurrence.is_open:
        raise Conflict(_("Only a due or overdue occurrence can be waived."))
    occurrence.status, occurrence.waived_reason, occurrence.waived_by = Status.WAIVED, reason, actor
    occurrence.save(update_fields=["status", "waived_reason", "waived_by", "updated_at"])
    OccurrenceEvent.objects.create(
        occurrence=occurrence, kind=OccurrenceEvent.Kind.WAIVED, actor=actor, note=reason
    )
    return occurrence


@transaction.atomic
def save_definition(*, actor, definition: ObligationDefinition) -> ObligationDefinition:
    """Add or change an obligation; the model refuses one that could never fall due."""
    access.require(can_edit_definitions(actor))
    definition.full_clean()
    definition.save()
    logger.info("obligation %s saved by %s", definition.code, actor)
    return definition


# --- event-driven hooks -------------------------------------------------------------------------------


@transaction.atomic
def notify_staff_change(*, organization: Organization, on: datetime.date, actor=None) -> Occurrence | None:
    """A focal-point change recorded here reaches the specialised unit, so the notice is done at once."""
    return record_fulfilment(
        actor=actor,
        code=STAFF_CHANGE_NOTICE,
        organization=organization,
        on=on,
        evidence_kind=EvidenceKind.OTHER,
        note=_("Staff change recorded on the platform."),
    )


@transaction.atomic
def notify_level_change(*, system: InformationSystem, on: datetime.date, actor=None) -> Occurrence | None:
    """A system's level changed: its level dossier must be determined again (one open occurrence)."""
    definition = ObligationDefinition.objects.filter(code=LEVEL_DOSSIER, active=True).first()
    if definition is None or not applies_to(definition, system.operator, system):
        return None
    key = _key(definition, system.operator, system)
    pending = Occurrence.objects.select_for_update().filter(**key).open().first()
    if pending is not None:
        return pending
    existing = Occurrence.objects.filter(**key, period_start=on).first()
    if existing is not None:
        return existing  # the same day's change was already handled
    return _create_event_occurrence(
        definition, system.operator, system, on, actor=actor, note=_("The security level changed.")
    )
