"""Every rule-bearing change to an advisory: write, target, publish, close; acknowledge and report states.

The specialised unit writes and publishes warnings; each targeted unit acknowledges and reports the
remediation state of each affected system; `remind_advisories` reminds before the deadline and escalates
once it has passed. Each step writes an `AdvisoryEvent` (the audit row) in its transaction and queues its
notifications there too: `notify` is an outbox that sends after commit, so a rolled-back step tells no one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.advisories import indicators as indicator_services
from ungcuu.advisories.access import can_report_state, can_respond, can_write
from ungcuu.advisories.audit import log_event
from ungcuu.advisories.models import (
    Advisory,
    AdvisoryEvent,
    AdvisorySystemState,
    AdvisoryTarget,
    AffectedProduct,
    Status,
    SystemState,
    TargetStatus,
)
from ungcuu.advisories.targeting import find_matches
from ungcuu.advisories.validators import normalize_cve_ids
from ungcuu.advisories.versions import parse_constraint
from ungcuu.core import references
from ungcuu.notifications.services import notify
from ungcuu.organizations import access
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Membership, Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.webhooks.events import emit
from ungcuu.webhooks.models import Event as WebhookEvent

Event = AdvisoryEvent.Kind
EDITABLE_FIELDS = ("title", "summary", "recommended_actions", "deadline", "tlp", "dispatch_number")
DEFAULT_REMIND_BEFORE_HOURS = 48
# E-mail is not a safe channel: for these labels a message says only that there is something to read.
CONTENT_FREE_TLP = {Advisory.Tlp.AMBER_STRICT, Advisory.Tlp.RED}

# --- writing ---------------------------------------------------------------------------------------


def remind_before() -> datetime.timedelta:
    hours = getattr(settings, "ADVISORY_REMIND_BEFORE_HOURS", DEFAULT_REMIND_BEFORE_HOURS)
    return datetime.timedelta(hours=int(hours))


def next_reference(now: datetime.datetime | None = None) -> str:
    """`CB-YYYY-NNNN`; the counter row stays locked until the caller's transaction ends."""
    prefix = getattr(settings, "ADVISORY_REFERENCE_PREFIX", "CB")
    return references.next_reference("advisory", prefix, digits=4, now=now)


def clean_products(products: Iterable[dict]) -> list[AffectedProduct]:
    """Unsaved product rows; a line without a product or with an unreadable range refuses the lot."""
    rows, errors = [], []
    for number, item in enumerate(products, start=1):
        vendor = (item.get("vendor") or "").strip()
        product = (item.get("product") or "").strip()
        versions = " ".join((item.get("versions") or "").split())
        if not product:
            errors.append(_("Line %(n)s: name the product.") % {"n": number})
            continue
        try:
            parse_constraint(versions)
        except ValidationError as exc:
            errors.append(_("Line %(n)s: %(error)s") % {"n": number, "error": " ".join(exc.messages)})
            continue
        rows.append(AffectedProduct(vendor=vendor[:100], product=product[:150], versions=versions[:300]))
    if errors:
        raise ValidationError({"products": errors})
    return rows


def _save_products(advisory: Advisory, rows: list[AffectedProduct]) -> None:
    advisory.products.all().delete()
    for position, row in enumerate(rows):
        row.advisory, row.position = advisory, position
    AffectedProduct.objects.bulk_create(rows)


def _check_deadline(deadline: datetime.datetime | None) -> datetime.datetime:
    if deadline is None:
        raise ValidationError({"deadline": [_("Set the remediation deadline.")]})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": [_("The deadline must be in the future.")]})
    return deadline


def _issuer_for(actor) -> Organization | None:
    """The specialised unit the coordinator belongs to, else the province's (a superuser may have none)."""
    units = Organization.objects.filter(kind=OrgKind.SPECIALISED_UNIT, is_active=True)
    return units.filter(memberships__user=actor).first() or units.first()


@transaction.atomic
def create_advisory(
    *,
    actor,
    title: str,
    summary: str,
    recommended_actions: str,
    deadline: datetime.datetime | None,
    tlp: str = Advisory.Tlp.AMBER,
    cve_ids: Iterable[str] | str = (),
    products: Iterable[dict] = (),
    indicators: Iterable[str] = (),
    dispatch_number: str = "",
    issuer: Organization | None = None,
) -> Advisory:
    """The coordinator drafts a warning, pasting its indicators; nobody is told until it is published.
    `issuer` names another issuing body (a national warning arriving through federation)."""
    access.require(can_write(actor))
    deadline = _check_deadline(deadline)
    rows = clean_products(products)
    advisory = Advisory(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        recommended_actions=(recommended_actions or "").strip(),
        deadline=deadline,
        tlp=tlp,
        cve_ids=_cves(cve_ids),
        dispatch_number=(dispatch_number or "").strip(),
        issuer=issuer or _issuer_for(actor),
        issued_by=actor,
    )
    advisory.full_clean(exclude=["reference"])
    advisory.reference = next_reference()  # after validation: the counter row stays locked until commit
    advisory.save()
    _save_products(advisory, rows)
    log_event(advisory, Event.CREATED, actor=actor, products=len(rows))
    _attach_indicators(actor, advisory, indicators)
    return advisory


def _attach_indicators(actor, advisory: Advisory, values: Iterable[str]) -> None:
    errors = []
    for value in values:
        try:
            indicator_services.add_indicator(actor=actor, value=value, advisory=advisory)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"indicators": errors})


def _cves(values) -> list[str]:
    try:
        return normalize_cve_ids(values)
    except ValidationError as exc:
        raise ValidationError({"cve_ids": exc.messages}) from exc


@transaction.atomic
def update_advisory(
    *,
    actor,
    advisory: Advisory,
    products: Iterable[dict] | None = None,
    cve_ids: Iterable[str] | str | None = None,
    **fields,
) -> Advisory:
    """Correct a draft or a published advisory (e.g. extend the deadline); a closed one stays as it was."""
    access.require(can_write(actor))
    advisory = _lock(advisory)
    advisory.require_status(Status.DRAFT, Status.PUBLISHED)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(advisory, name) != value]
    if "deadline" in changed:
        _check_deadline(fields["deadline"])
    for name in changed:
        setattr(advisory, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    if cve_ids is not None:
        advisory.cve_ids = _cves(cve_ids)
    advisory.full_clean()
    advisory.save()
    if products is not None:
        _save_products(advisory, clean_products(products))
    log_event(advisory, Event.UPDATED, actor=actor, fields=sorted(changed))
    if "deadline" in changed and advisory.status == Status.PUBLISHED:
        _announce_new_deadline(advisory, actor)
    return advisory


def _announce_new_deadline(advisory: Advisory, actor) -> None:
    """A moved deadline restarts the reminders of the unfinished targets and is announced to them."""
    unfinished = advisory.targets.exclude(status=TargetStatus.COMPLETED)
    unfinished.update(reminded_at=None, escalated_at=None)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(ref)s] New remediation deadline: %(deadline)s") % {
            "ref": advisory.reference,
            "deadline": local(advisory.deadline),
        }
        notify(
            event="advisory_deadline",
            subject=subject,
            body=_body(advisory, subject),
            organizations=[t.organization for t in unfinished.select_related("organization")],
            link=advisory.get_absolute_url(),
            dedupe_key=f"advisory-deadline:{advisory.pk}:{advisory.deadline.isoformat()}",
            actor=actor,
        )


def _lock(advisory: Advisory) -> Advisory:
    return Advisory.objects.select_for_update().get(pk=advisory.pk)


# --- targets ---------------------------------------------------------------------------------------


@transaction.atomic
def set_targets(
    *,
    actor,
    advisory: Advisory,
    systems: Iterable[InformationSystem] = (),
    organizations: Iterable[Organization] = (),
) -> list[AdvisoryTarget]:
    """Store the coordinator's edited target list: each system's operator, plus organizations by hand.

    Replaces the previous list (only drafts have one to replace). An organization chosen without any of
    its systems gets one organization-wide state row for its installations the registry does not know.
    """
    access.require(can_write(actor))
    advisory = _lock(advisory)
    advisory.require_status(Status.DRAFT)
    matches = {m.system.pk: m for m in find_matches(advisory.products.all())}
    chosen = {s.pk: s for s in systems if s.is_active}
    by_org: dict[int, list[InformationSystem]] = {}
    for system in chosen.values():
        by_org.setdefault(system.operator_id, []).append(system)
    orgs = {o.pk: o for o in organizations if o.is_active} | {
        s.operator.pk: s.operator for s in chosen.values()
    }
    proposed_orgs = {m.system.operator_id for m in matches.values()}
    advisory.targets.all().delete()
    targets = []
    for org in sorted(orgs.values(), key=lambda o: o.name):
        target = AdvisoryTarget.objects.create(
            advisory=advisory, organization=org, added_by_hand=org.pk not in proposed_orgs
        )
        rows = [
            AdvisorySystemState(
                target=target, system=s, software=matches[s.pk].software_label if s.pk in matches else ""
            )
            for s in by_org.get(org.pk, [])
        ] or [AdvisorySystemState(target=target, system=None)]
        AdvisorySystemState.objects.bulk_create(rows)
        targets.append(target)
    log_event(
        advisory,
        Event.TARGETS_SET,
        actor=actor,
        organizations=sorted(orgs),
        systems=sorted(chosen),
    )
    return targets


@transaction.atomic
def publish_advisory(*, actor, advisory: Advisory) -> Advisory:
    """Issue the warning: each target organization is told (e-mail to its focal points, in-app to members)."""
    access.require(can_write(actor))
    advisory = _lock(advisory)
    advisory.check_transition(Status.PUBLISHED)
    targets = list(advisory.targets.select_related("organization"))
    if not targets:
        raise ValidationError(_("Choose at least one target organization before publishing."))
    _check_deadline(advisory.deadline)
    advisory.status, advisory.published_at = Status.PUBLISHED, timezone.now()
    advisory.save()
    log_event(advisory, Event.PUBLISHED, actor=actor, targets=[t.organization_id for t in targets])
    emit(WebhookEvent.ADVISORY_PUBLISHED, advisory)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(ref)s] Advisory: %(title)s") % {"ref": advisory.reference, "title": advisory.title}
        notify(
            event="advisory_published",
            subject=_subject(advisory, subject),
            body=_body(
                advisory, _("Please acknowledge receipt and report the state of each affected system.")
            ),
            organizations=[t.organization for t in targets],
            link=advisory.get_absolute_url(),
            dedupe_key=f"advisory-published:{advisory.pk}",
            actor=actor,
        )
    return advisory


@transaction.atomic
def close_advisory(*, actor, advisory: Advisory, note: str = "") -> Advisory:
    """End the follow-up: no more reminders; the matrix keeps what each unit reported."""
    access.require(can_write(actor))
    advisory = _lock(advisory)
    advisory.check_transition(Status.CLOSED)
    advisory.status, advisory.closed_at = Status.CLOSED, timezone.now()
    advisory.save()
    log_event(advisory, Event.CLOSED, actor=actor, message=(note or "").strip())
    return advisory


# --- what the units report -------------------------------------------------------------------------


def _lock_target(target: AdvisoryTarget) -> AdvisoryTarget:
    return (
        AdvisoryTarget.objects.select_for_update(of=("self",))
        .select_related("advisory", "organization")
        .get(pk=target.pk)
    )


@transaction.atomic
def acknowledge_advisory(*, actor, target: AdvisoryTarget) -> AdvisoryTarget:
    """The unit confirms it received the warning (the first acknowledgement is the one kept)."""
    target = _lock_target(target)
    access.require(can_respond(actor, target))
    target.advisory.require_status(Status.PUBLISHED)
    if target.acknowledged_at is None:
        _mark_acknowledged(target, actor, timezone.now())
        _refresh_status(target, actor)
        log_event(target.advisory, Event.ACKNOWLEDGED, actor=actor, target=target)
    return target


@transaction.atomic
def update_system_state(
    *, actor, state: AdvisorySystemState, status: str, note: str = ""
) -> AdvisorySystemState:
    """Report where one affected system stands; reporting implies the advisory was received."""
    state = AdvisorySystemState.objects.select_related("system").get(pk=state.pk)
    target = _lock_target(state.target)
    access.require(can_report_state(actor, state))
    target.advisory.require_status(Status.PUBLISHED)
    if status not in SystemState.values:
        raise ValidationError({"status": [_("Choose a state.")]})
    if status == SystemState.NOT_AFFECTED and not (note or "").strip():
        raise ValidationError(
            {"note": [_("Say why the system is not affected (e.g. the installed version).")]}
        )
    now = timezone.now()
    old = state.status
    state.status, state.note = status, (note or "").strip()
    state.updated_by, state.updated_at = actor, now
    state.save()
    if target.acknowledged_at is None and can_respond(actor, target):
        _mark_acknowledged(target, actor, now)
    log_event(
        target.advisory,
        Event.STATE,
        actor=actor,
        target=target,
        message=state.note,
        system_id=state.system_id,
        **{"from": old, "to": status},
    )
    _refresh_status(target, actor)
    return state


def _mark_acknowledged(target: AdvisoryTarget, actor, now: datetime.datetime) -> None:
    target.acknowledged_at, target.acknowledged_by = now, actor
    target.save(update_fields=["acknowledged_at", "acknowledged_by"])


def _refresh_status(target: AdvisoryTarget, actor) -> None:
    """Derive the organization's overall state from its system rows; tell the issuer when all are done."""
    states = list(target.states.all())
    was_completed = target.status == TargetStatus.COMPLETED
    if states and all(s.is_done for s in states):
        target.status = TargetStatus.COMPLETED
        target.completed_at = target.completed_at or timezone.now()
    else:
        target.completed_at = None
        started = any(s.status != SystemState.NOT_STARTED for s in states)
        acknowledged = target.acknowledged_at is not None
        target.status = (
            TargetStatus.IN_PROGRESS
            if started
            else TargetStatus.ACKNOWLEDGED
            if acknowledged
            else TargetStatus.SENT
        )
    target.save(update_fields=["status", "completed_at"])
    if target.status == TargetStatus.COMPLETED and not was_completed:
        _announce_completed(target, actor)


def _announce_completed(target: AdvisoryTarget, actor) -> None:
    advisory = target.advisory
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(ref)s] %(org)s has completed the remediation") % {
            "ref": advisory.reference,
            "org": target.organization,
        }
        notify(
            event="advisory_completed",
            subject=subject,
            body=subject,
            users=[advisory.issued_by],
            link=advisory.get_absolute_url(),
            dedupe_key=f"advisory-completed:{target.pk}",
            actor=actor,
        )


# --- reminders and escalation ----------------------------------------------------------------------


def remind_advisories(now: datetime.datetime | None = None) -> int:
    """Remind targets whose deadline is near and escalate the overdue ones, each once; returns how many.

    Idempotent: each target's `reminded_at` / `escalated_at` is claimed by a conditional UPDATE before
    anything is sent, so running twice, or from two schedulers at once, sends nothing twice.
    """
    now = now or timezone.now()
    window = remind_before()
    soon = AdvisoryTarget.objects.open().filter(
        reminded_at__isnull=True, advisory__deadline__gt=now, advisory__deadline__lte=now + window
    )
    late = AdvisoryTarget.objects.overdue(now).filter(escalated_at__isnull=True)
    sent = sum(_remind(pk, now, window) for pk in soon.values_list("pk", flat=True))
    return sent + sum(_escalate(pk, now) for pk in late.values_list("pk", flat=True))


@transaction.atomic
def _remind(pk: int, now: datetime.datetime, window: datetime.timedelta) -> int:
    target = AdvisoryTarget.objects.select_related("advisory", "organization").get(pk=pk)
    advisory = target.advisory
    # Published inside the window: the publication itself was the reminder.
    if advisory.published_at and advisory.deadline - advisory.published_at <= window:
        return 0
    if not AdvisoryTarget.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(ref)s] Reminder: remediation due %(deadline)s") % {
            "ref": advisory.reference,
            "deadline": local(advisory.deadline),
        }
        notify(
            event="advisory_reminder",
            subject=subject,
            body=_body(advisory, _("The deadline is near and your organization has not completed it.")),
            organizations=[target.organization],
            link=advisory.get_absolute_url(),
            dedupe_key=f"advisory-reminder:{target.pk}",
        )
        log_event(advisory, Event.REMINDED, target=target)
    return 1


@transaction.atomic
def _escalate(pk: int, now: datetime.datetime) -> int:
    if not AdvisoryTarget.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now):
        return 0
    target = AdvisoryTarget.objects.select_related("advisory__issued_by", "organization").get(pk=pk)
    advisory, org = target.advisory, target.organization
    managers = [
        m.user
        for m in Membership.objects.filter(
            organization=org, role=Membership.Role.MANAGER, user__is_active=True
        ).select_related("user")
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(ref)s] Overdue: %(org)s has not completed the remediation") % {
            "ref": advisory.reference,
            "org": org,
        }
        notify(
            event="advisory_overdue",
            subject=subject,
            body=_body(advisory, subject),
            users=[*managers, advisory.issued_by],
            # With no manager on the platform, the organization's focal points hear of it instead.
            organizations=[] if managers else [org],
            link=advisory.get_absolute_url(),
            dedupe_key=f"advisory-overdue:{target.pk}",
        )
        log_event(advisory, Event.ESCALATED, target=target, managers=[u.pk for u in managers])
    return 1


# --- messages --------------------------------------------------------------------------------------


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _subject(advisory: Advisory, subject: str) -> str:
    if advisory.tlp in CONTENT_FREE_TLP:
        return _("[%(ref)s] New advisory (%(tlp)s)") % {
            "ref": advisory.reference,
            "tlp": advisory.get_tlp_display(),
        }
    return subject


def _body(advisory: Advisory, intro: str) -> str:
    """The message text; for AMBER+STRICT and RED only that there is something to read, and by when."""
    due = _("Remediation due %(deadline)s.") % {"deadline": local(advisory.deadline)}
    hint = _("Log in to read it.")
    if advisory.tlp in CONTENT_FREE_TLP:
        return "\n\n".join([f"{advisory.reference} ({advisory.get_tlp_display()})", intro, due, hint])
    parts = [
        f"{advisory.reference}: {advisory.title} ({advisory.get_tlp_display()})",
        intro,
        advisory.summary,
        _("Recommended actions:") + "\n" + advisory.recommended_actions,
        due,
    ]
    return "\n\n".join(p for p in parts if p)
