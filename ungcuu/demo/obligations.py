"""Two years of obligations for the demo province: mostly met, some late, some overdue, a few waived.

Runs inside load_demo's transaction after the province exists. The periods come from the real schedule
(`engine.planned_occurrences`); the past ones are created with their outcome in one bulk insert, because
replaying a thousand "mark done" clicks through the service would take longer than the whole demo is
allowed (< 2 s). Event-driven ones go through the real hooks. Deterministic from the seed and
REFERENCE_DATE.
"""

from __future__ import annotations

import datetime
import random

from dateutil.relativedelta import relativedelta

from ungcuu.accounts.models import User
from ungcuu.demo.generator import REFERENCE_DATE
from ungcuu.obligations import engine, services
from ungcuu.obligations.models import EvidenceKind, ObligationDefinition, Occurrence, OccurrenceEvent
from ungcuu.organizations.models import Membership, Organization
from ungcuu.systems.models import InformationSystem

Status = Occurrence.Status
DAY = datetime.timedelta(days=1)
# What a unit usually files as proof of each duty (a note naming the document; no real files).
PROOF: dict[str, tuple[str, str]] = {
    "VULN_SCAN_THREAT_HUNT": (EvidenceKind.SCAN, "Báo cáo kết quả rà quét lỗ hổng, săn lùng mối nguy hại"),
    "RESPONSE_SCENARIO": (EvidenceKind.PLAN_VERSION, "Quyết định ban hành phương án ứng cứu sự cố"),
    "LIVE_FIRE_DRILL": (EvidenceKind.DRILL, "Biên bản diễn tập thực chiến"),
    "TRAINING_DRILL_PROGRAMME": (EvidenceKind.TRAINING, "Kế hoạch đào tạo, diễn tập"),
    "ANNUAL_PLAN_BUDGET": (EvidenceKind.FILE, "Kế hoạch ứng dụng CNTT, chuyển đổi số năm"),
}
REPORT_NOTE = "Báo cáo số {n}/BC-{code}"
WAIVE_REASONS = (
    "Hệ thống tạm dừng hoạt động để nâng cấp trong kỳ.",
    "Đơn vị đã được sáp nhập; nội dung báo cáo gộp vào đơn vị tiếp nhận.",
    "Diễn tập cấp tỉnh thay thế theo Kế hoạch của UBND tỉnh.",
    "Hệ thống chuyển lên Trung tâm dữ liệu tỉnh, rà quét do đơn vị vận hành hạ tầng thực hiện.",
)


def build_demo(seed: int) -> str:
    """The last two years with their outcomes, the next 13 months due, and a few event-driven ones."""
    rng = random.Random(seed + 5)
    now = REFERENCE_DATE
    coordinator = User.objects.get(username="dieuphoi")
    created, late = _history(rng, now, coordinator)
    created += engine.generate_occurrences(until=now + relativedelta(months=engine.HORIZON_MONTHS), now=now)
    created += _event_driven(rng, now)
    engine.mark_overdue(now)
    counts = {s: Occurrence.objects.filter(status=s).count() for s in Status.values}
    return (
        f"{created} obligation occurrences ({counts['done']} done, {late} of them late, "
        f"{counts['overdue']} overdue, {counts['waived']} waived, {counts['due']} due)"
    )


def _history(rng: random.Random, now: datetime.date, coordinator: User) -> tuple[int, int]:
    """Occurrences due in the last two years (and the next 45 days), created with their outcome."""
    since, until = now.replace(year=now.year - 2), now + datetime.timedelta(days=45)
    population, managers = engine.Population.load(since=since, until=until), _managers()
    codes = dict(Organization.objects.values_list("id", "code"))
    rows = [
        row
        for definition in ObligationDefinition.objects.filter(active=True, is_event_driven=False).order_by(
            "code"
        )
        for row in engine.planned_occurrences(definition, population, since, until, now)
    ]
    late = sum(_settle(row, rng, now, managers, coordinator, codes) for row in rows)
    Occurrence.objects.bulk_create(rows, batch_size=500)
    events = [_audit(row) for row in rows if row.status in (Status.DONE, Status.WAIVED)]
    OccurrenceEvent.objects.bulk_create(events, batch_size=500)
    return len(rows), late


def _managers() -> dict[int, User]:
    rows = Membership.objects.filter(role=Membership.Role.MANAGER).select_related("user").order_by("pk")
    return {m.organization_id: m.user for m in reversed(rows)}


def _settle(occurrence: Occurrence, rng, now, managers: dict[int, User], coordinator: User, codes) -> bool:
    """Give one occurrence its outcome; True when it was done late."""
    roll, upcoming = rng.random(), occurrence.due_on >= now
    occurrence.status = Status.DUE if upcoming else Status.OVERDUE
    if (upcoming and roll > 0.25) or (not upcoming and roll > 0.97):
        return False  # most finish close to the deadline; a few stay overdue
    if not upcoming and roll > 0.94:
        _waive(occurrence, rng, coordinator)
        return False
    late = not upcoming and roll > 0.84
    _done(
        occurrence,
        rng,
        now,
        late=late,
        actor=managers.get(occurrence.organization_id, coordinator),
        code=codes[occurrence.organization_id].split("-")[-1],
    )
    return late


def _audit(occurrence: Occurrence) -> OccurrenceEvent:
    if occurrence.status == Status.WAIVED:
        return OccurrenceEvent(
            occurrence=occurrence,
            kind=OccurrenceEvent.Kind.WAIVED,
            actor=occurrence.waived_by,
            note=occurrence.waived_reason,
        )
    note = f"{occurrence.done_on:%d/%m/%Y}: {occurrence.evidence_note}"
    return OccurrenceEvent(
        occurrence=occurrence, kind=OccurrenceEvent.Kind.DONE, actor=occurrence.done_by, note=note
    )


def _done(occurrence: Occurrence, rng, now: datetime.date, *, late: bool, actor: User, code: str) -> None:
    if late:
        done_on = occurrence.due_on + DAY * rng.randint(3, 75)
    else:
        earliest = max(occurrence.period_start, occurrence.due_on - DAY * 70)
        done_on = earliest + DAY * rng.randint(0, (occurrence.due_on - earliest).days)
    definition = occurrence.definition
    kind, note = PROOF.get(definition.code, (EvidenceKind.REPORT, REPORT_NOTE))
    occurrence.status, occurrence.done_on, occurrence.done_by = Status.DONE, min(done_on, now - DAY), actor
    occurrence.evidence_kind = kind if kind in definition.evidence_kinds else EvidenceKind.OTHER
    occurrence.evidence_note = f"{note.format(n=rng.randint(12, 480), code=code)} ({done_on.year})"


def _waive(occurrence: Occurrence, rng, coordinator: User) -> None:
    occurrence.status, occurrence.waived_by = Status.WAIVED, coordinator
    occurrence.waived_reason = rng.choice(WAIVE_REASONS)


def _event_driven(rng: random.Random, now: datetime.date) -> int:
    """A few staff-change notices and level re-determinations, through the real hooks."""
    made = 0
    operators = list(Organization.objects.filter(kind__in=["IS_OPERATOR", "COMMUNE"]).order_by("code"))
    for org in rng.sample(operators, k=min(6, len(operators))):
        on = now - DAY * rng.randint(20, 600)
        made += services.notify_staff_change(organization=org, on=on) is not None
    systems = list(InformationSystem.objects.filter(is_active=True).order_by("pk"))
    for index, system in enumerate(rng.sample(systems, k=min(4, len(systems)))):
        on = now - DAY * rng.randint(10, 400)
        occurrence = services.notify_level_change(system=system, on=on)
        if occurrence is None:
            continue
        made += 1
        if index % 2 == 0:  # half of them already decided
            services.record_fulfilment(
                actor=None,
                code=services.LEVEL_DOSSIER,
                organization=system.operator,
                system=system,
                on=min(on + DAY * rng.randint(5, 25), now),
                evidence_kind=EvidenceKind.FILE,
                note=f"Quyết định phê duyệt cấp độ số {rng.randint(100, 999)}/QĐ-UBND",
            )
    return made
