"""Forms 01-04 (TT20 Appendix I; DOMAIN.md §f) as plain data: one organization's network profile (01, 02),
one incident's initial report (03) and its closing report (04).

Who may read them is the gate of the organization or incident they describe; these builders only read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from ungcuu.evidence.models import Evidence
from ungcuu.incidents import form03
from ungcuu.incidents.models import ClosingReport, Incident, IncidentReport, TimelineEvent
from ungcuu.organizations.models import FocalPoint, Organization, StaffLine
from ungcuu.reports.builders import StaffSection, category_label, staff_section
from ungcuu.systems.models import InformationSystem


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y") if moment else ""


@dataclass
class Contact:
    name: str = ""
    title: str = ""
    address: str = ""
    phone: str = ""
    mobile: str = ""
    fax: str = ""
    email: str = ""


@dataclass
class SystemLine:
    level: int
    name: str
    where: str
    state: str


@dataclass
class LevelGroup:
    level: int
    systems: list[SystemLine] = field(default_factory=list)


@dataclass
class AnnexLine:
    """One person of form 01's staff annex, as printed (labels, never stored keys)."""

    name: str
    position: str
    school: str
    major: str
    training_field: str
    degree: str
    graduation_year: str
    certificates: str
    expert_groups: str


@dataclass
class StaffAnnex:
    """The per-person lines and the headcounts counted from them (empty when no line is declared)."""

    lines: list[AnnexLine] = field(default_factory=list)
    by_training_field: list[tuple[str, int]] = field(default_factory=list)
    by_degree: list[tuple[str, int]] = field(default_factory=list)
    by_certificate: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class MemberProfile:
    """Forms 01 (member profile) and 02 (voluntary membership application) share these fields."""

    form: str
    name: str
    owner: str
    address: str
    phone: str
    fax: str
    email: str
    website: str
    member_code: str
    security_lead_name: str
    security_lead_title: str
    intake: Contact
    response: Contact | None
    leadership: Contact | None
    after_hours: list[Contact]
    capacity_summary: str
    levels: list[LevelGroup]
    staff: StaffSection
    annex: StaffAnnex = field(default_factory=StaffAnnex)
    pgp_user_id: str = ""
    pgp_fingerprint: str = ""
    pgp_key_url: str = ""


def _contact(person: FocalPoint | None, org: Organization) -> Contact | None:
    if person is None:
        return None
    return Contact(
        name=person.full_name,
        title=person.title,
        address=org.address,
        phone=person.office_phone,
        mobile=person.mobile,
        fax=org.fax,
        email=person.email,
    )


def _systems_by_level(org: Organization) -> list[LevelGroup]:
    groups = {level: LevelGroup(level) for level in range(1, 6)}
    systems = InformationSystem.objects.filter(Q(operator=org) | Q(owner=org), is_active=True)
    for system in systems.order_by("-security_level", "name"):
        where = ", ".join([*(system.domains or []), *(system.public_ips or [])])
        line = SystemLine(system.security_level, system.name, where, str(system.get_dossier_state_display()))
        groups[system.security_level].systems.append(line)
    return list(groups.values())


def _tally(values, choices=None) -> list[tuple[str, int]]:
    """(label, headcount) in the choices' order (or first seen), leaving out what nobody has."""
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    order = [key for key, _label in choices] if choices else list(counts)
    labels = dict(choices or [])
    return [(str(labels.get(key, key)), counts[key]) for key in order if counts.get(key)]


def staff_annex(organization: Organization) -> StaffAnnex:
    lines = list(StaffLine.objects.filter(organization=organization))
    certificates = [
        f"{name} ({scope})"
        for line in lines
        for which, scope in (("international", "quốc tế"), ("domestic", "trong nước"))
        for name in line.certificates(which)
    ]
    return StaffAnnex(
        lines=[
            AnnexLine(
                name=line.full_name,
                position=line.position,
                school=line.school,
                major=line.major,
                training_field=line.get_training_field_display(),
                degree=line.get_degree_display(),
                graduation_year=str(line.graduation_year or ""),
                certificates=", ".join([*line.certificates("international"), *line.certificates("domestic")]),
                expert_groups=", ".join(line.get_expert_groups_display()),
            )
            for line in lines
        ],
        by_training_field=_tally([p.training_field for p in lines], StaffLine.TrainingField.choices),
        by_degree=_tally([p.degree for p in lines], StaffLine.Degree.choices),
        by_certificate=_tally(certificates),
    )


def build_member_profile(organization: Organization, *, form: str = "01") -> MemberProfile:
    org = organization
    people = FocalPoint.objects.filter(organization=org, is_active=True).order_by("pk")

    def first(duty: str) -> FocalPoint | None:
        return next((p for p in people if p.duty == duty), None)

    return MemberProfile(
        form=form,
        name=org.name,
        owner=org.owner_name or (org.parent.name if org.parent else ""),
        address=org.address,
        phone=org.phone,
        fax=org.fax,
        email=org.email,
        website=org.website,
        member_code=org.member_code,
        security_lead_name=org.security_lead_name,
        security_lead_title=org.security_lead_title,
        intake=Contact(
            address=org.intake_address or org.address,
            phone=org.intake_phone,
            mobile=org.intake_mobile,
            fax=org.intake_fax,
            email=org.intake_email,
        ),
        response=_contact(first(FocalPoint.Duty.RESPONSE), org),
        leadership=_contact(first(FocalPoint.Duty.LEADERSHIP), org),
        after_hours=[c for p in people if p.is_24x7 and (c := _contact(p, org))],
        capacity_summary=org.capacity_summary,
        levels=_systems_by_level(org),
        # From the annex lines when there are any, else the declared headcounts (figures.staff_totals).
        staff=staff_section(Organization.objects.filter(pk=org.pk)),
        annex=staff_annex(org),
        pgp_user_id=org.pgp_user_id,
        pgp_fingerprint=org.pgp_fingerprint,
        pgp_key_url=org.pgp_key_url,
    )


# --- form 03 ------------------------------------------------------------------------------------------


@dataclass
class InitialReport:
    """Form 03 as the first report of the incident gave it (IncidentReport.data) plus the registry."""

    reference: str
    title: str
    category: str
    reporter_name: str
    reporter_address: str
    reporter_phone: str
    reporter_email: str
    contact_name: str
    contact_title: str
    contact_phone: str
    contact_email: str
    operator: str
    owner: str
    system: str
    level: str
    security_provider: str
    connectivity_provider: str
    description: str
    attack_succeeded: str
    disruption_risk: str
    data_sensitivity: str
    affected: str
    detected_at: str
    handled: str
    detection_methods: list[str]
    notified_by: str
    already_notified: list[str]
    os: str
    services: list[str]
    controls: list[str]
    public_ips: str
    domains: str
    purpose: str
    attachments: list[str]
    confidential: bool
    support_requests: str
    reported_at: str


def _labels(values, choices) -> list[str]:
    names = {key: str(label) for key, label in choices}
    return [names.get(v, str(v)) for v in values or []]


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value or "")


def first_report(incident: Incident) -> IncidentReport | None:
    reports = incident.reports.order_by("received_at", "pk")
    return reports.filter(channel=IncidentReport.Channel.FORM).first() or reports.first()


def attachments(incident: Incident) -> list[str]:
    """Evidence by kind with a count: file names may say more than a form should carry."""
    rows = Evidence.objects.filter(incident=incident).order_by().values("kind").annotate(n=Count("pk"))
    kinds = dict(Evidence.Kind.choices)
    return [f"{kinds.get(r['kind'], r['kind'])}: {r['n']}" for r in rows.order_by("kind")]


def _response_contact(incident: Incident) -> FocalPoint | None:
    if incident.operator_id is None:
        return None
    people = FocalPoint.objects.filter(organization=incident.operator_id, is_active=True)
    duties = [FocalPoint.Duty.RESPONSE, FocalPoint.Duty.INTAKE, FocalPoint.Duty.SECURITY_LEAD]
    return next((p for duty in duties for p in people if p.duty == duty), None)


def structured_defaults(incident: Incident, report: IncidentReport | None) -> dict:
    """Form 03's mandatory items where the door that took the report did not ask for them (the public page,
    the API), from structured records: the operator's registered address and response contact, the state of
    the incident when it was reported, the door it came through. What the reporter gave always wins."""
    operator, contact = incident.operator, _response_contact(incident)
    closed_before = incident.closed_at is not None and incident.closed_at <= incident.reported_at
    public = report is not None and report.channel == IncidentReport.Channel.PUBLIC
    return {
        "reporter_address": operator.address if operator else "",
        "reporter_phone": operator.phone if operator else "",
        "reporter_email": (operator.intake_email or operator.email) if operator else "",
        "contact_name": contact.full_name if contact else "",
        "contact_title": contact.title if contact else "",
        "contact_phone": (contact.mobile or contact.office_phone) if contact else "",
        "contact_email": contact.email if contact else "",
        "handled": "handled" if closed_before else "not_handled",
        # A third party's notice was detected by being notified; any other door's method is the reporter's
        # to say (the web form and the API ask, e-mail reads a labelled line): unsaid, it stays unsaid.
        "detection_methods": ["notified"] if public else [],
        "notified_by": report.reporter_name if public and report else "",
        # The report reached the province's specialised unit, the network member responsible for it.
        "already_notified": ["network_member"],
    }


def _name_on(organization: Organization | None, day: datetime.date) -> str:
    return organization.name_on(day) if organization is not None else ""


def build_form03(incident: Incident) -> InitialReport:
    report = first_report(incident)
    given = {k: v for k, v in (dict(report.data) if report else {}).items() if v not in (None, "", [])}
    data = {**structured_defaults(incident, report), **given}
    system = incident.system
    detection = form03.labels("detection_methods", data.get("detection_methods"))
    reported = timezone.localtime(incident.reported_at).date()
    return InitialReport(
        reference=incident.reference,
        title=incident.title,
        category=category_label(incident.category),
        reporter_name=report.reporter_name if report else "",
        reporter_address=_text(data.get("reporter_address")),
        reporter_phone=(report.reporter_phone if report else "") or _text(data.get("reporter_phone")),
        reporter_email=(report.reporter_email if report else "") or _text(data.get("reporter_email")),
        contact_name=_text(data.get("contact_name")),
        contact_title=_text(data.get("contact_title")),
        contact_phone=_text(data.get("contact_phone")),
        contact_email=_text(data.get("contact_email")),
        # Names on the report's own date (DOMAIN.md §k), as its letterhead prints them.
        operator=_name_on(incident.operator, reported) or str(data.get("operator_text") or ""),
        owner=_name_on(incident.owner, reported),
        system=str(system or data.get("system_text") or ""),
        level=str(system.security_level) if system else "",
        security_provider=system.security_provider if system else "",
        connectivity_provider=system.connectivity_provider if system else "",
        description=incident.description,
        attack_succeeded=form03.label("attack_succeeded", _text(data.get("attack_succeeded"))),
        disruption_risk=form03.label("disruption_risk", _text(data.get("disruption_risk"))),
        data_sensitivity=form03.label("data_sensitivity", _text(data.get("data_sensitivity"))),
        affected=_text(data.get("affected")),
        detected_at=_when(incident.detected_at),
        handled=form03.label("handled", _text(data.get("handled"))),
        detection_methods=detection,
        notified_by=_text(data.get("notified_by")),
        already_notified=form03.labels("already_notified", data.get("already_notified")),
        os=_text(data.get("os"))
        or (" ".join(filter(None, [system.os_name, system.os_version])) if system else ""),
        services=_labels(
            data.get("services") or (system.services if system else []), InformationSystem.Service.choices
        ),
        controls=_labels(
            data.get("controls") or (system.controls if system else []), InformationSystem.Control.choices
        ),
        public_ips=_text(data.get("public_ips") or (system.public_ips if system else "")),
        domains=_text(data.get("domains") or (system.domains if system else "")),
        purpose=system.purpose if system else "",
        attachments=attachments(incident),
        confidential=incident.confidential,
        support_requests=_text(data.get("support_requests")),
        reported_at=_when(report.received_at if report else incident.reported_at),
    )


# --- form 04 ------------------------------------------------------------------------------------------


@dataclass
class ClosingForm:
    """Form 04, the closing report, with the reference and date of the initial report it closes."""

    reference: str
    title: str
    initial_report_date: str
    reporter_name: str
    reporter_address: str
    reporter_phone: str
    reporter_email: str
    operator: str
    owner: str
    system: str
    level: str
    description: str
    detected_at: str
    what_happened: str
    how_solved: str
    proposals: str
    progress_reports: list[str]
    attachments: list[str]
    closed_at: str
    submitted_on: str


def build_form04(incident: Incident) -> ClosingForm | None:
    """None until the closing report has been submitted (closing requires it)."""
    closing = ClosingReport.objects.filter(incident=incident).first()
    if closing is None:
        return None
    operator = incident.operator
    entries = incident.timeline.filter(kind__in=[TimelineEvent.Kind.PROGRESS, TimelineEvent.Kind.PLAN])
    report = first_report(incident)
    closed = timezone.localtime(incident.closed_at).date() if incident.closed_at else timezone.localdate()
    return ClosingForm(
        reference=incident.reference,
        title=incident.title,
        initial_report_date=_when(report.received_at if report else incident.reported_at),
        # Form 04 is the operator's report, under its letterhead: the reporter is the operator (one identity
        # rule with the letterhead), the person who wrote it up only when there is no operator.
        reporter_name=_name_on(operator, closed) if operator else closing.reporter_name,
        reporter_address=operator.address if operator else "",
        reporter_phone=operator.phone if operator else "",
        reporter_email=(operator.intake_email or operator.email) if operator else "",
        operator=_name_on(operator, closed),
        owner=_name_on(incident.owner, closed),
        system=str(incident.system or ""),
        level=str(incident.system.security_level) if incident.system else "",
        description=incident.description,
        detected_at=_when(incident.detected_at),
        what_happened=closing.what_happened,
        how_solved=closing.how_solved,
        proposals=closing.proposals,
        progress_reports=[f"{_when(e.at)}: {e.get_kind_display()}" for e in entries.order_by("at")],
        attachments=attachments(incident),
        closed_at=_when(incident.closed_at),
        submitted_on=_when(closing.updated_at),
    )
