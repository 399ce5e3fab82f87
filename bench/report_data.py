"""Bulk data for the report benchmark, generated inside PostgreSQL (INSERT ... SELECT generate_series).

Every value derives from the row number `g` (PostgreSQL's hashint8 and modular arithmetic), so a size always
produces the same rows and nothing round-trips through Python. Generated rows are tagged BENCH-.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.core import taxonomy
from ungcuu.incidents.models import Deadline, Incident
from ungcuu.organizations.models import Kind, Organization
from ungcuu.reports.models import IncidentDamage, PeriodicReport

BATCH = 250_000
OPERATORS = 40
HELPERS = (("BENCH-ISP-1", Kind.ISP), ("BENCH-ISP-2", Kind.ISP), ("BENCH-POLICE", Kind.POLICE),
           ("BENCH-VENDOR", Kind.VENDOR), ("BENCH-VNCERT", Kind.NATIONAL_COORDINATOR))  # fmt: skip
REQUEST_KINDS = ["isp_takedown", "isp_block", "isp_preserve_logs", "police_referral", "vendor_support",
                 "national_escalation", "other", "isp_takedown"]  # fmt: skip
REQUEST_STATES = [
    "completed",
    "completed",
    "answered",
    "sent",
    "acknowledged",
    "declined",
    "completed",
    "cancelled",
]


@dataclass
class Cast:
    operators: list[int]
    helpers: list[int]
    unit: int
    user: int


def ensure_cast(year: int) -> Cast:
    """The organizations incidents belong to, the bodies that help, the unit that asks, and their reports."""
    unit, _ = Organization.objects.get_or_create(
        code="BENCH-UNIT", defaults={"name": "Đơn vị chuyên trách (thử tải)", "kind": Kind.SPECIALISED_UNIT}
    )
    operators = [
        Organization.objects.get_or_create(
            code=f"BENCH-OP-{n:02d}", defaults={"name": f"Sở thử tải số {n:02d}", "kind": Kind.OPERATOR}
        )[0].pk
        for n in range(OPERATORS)
    ]
    helpers = [
        Organization.objects.get_or_create(
            code=code, defaults={"name": f"Đơn vị hỗ trợ {code}", "kind": kind}
        )[0].pk
        for code, kind in HELPERS
    ]
    user, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"platform_role": "coordinator"}
    )
    _ensure_reports(year, operators[: OPERATORS * 2 // 3], user)
    return Cast(operators=operators, helpers=helpers, unit=unit.pk, user=user.pk)


def _ensure_reports(year: int, operators: list[int], user: User) -> None:
    """Two thirds of the units submitted their annual report, figures frozen as the builder would."""
    figures = {"incidents": {"total": 100, "serious": 3, "form05_total": {"count": 40}}}
    rows = [
        PeriodicReport(
            organization_id=pk, kind="progress", span="annual", year=year,
            period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
            status="submitted", figures=figures, submitted_by=user,
            submitted_at=timezone.now(), proposals="Đề nghị tăng cường đào tạo." if pk % 3 == 0 else "",
        )
        for pk in operators
    ]  # fmt: skip
    PeriodicReport.objects.bulk_create(rows, ignore_conflicts=True)


def generated() -> int:
    return Incident.objects.filter(reference__startswith="BENCH-").count()


def grow_to(size: int, *, year: int, cast: Cast) -> int:
    """Add incidents (and their related rows) until there are `size` generated ones; returns how many."""
    have = generated()
    start = have
    while start < size:
        stop = min(size, start + BATCH)
        with transaction.atomic():
            _incidents(start + 1, stop, year=year, total=size, cast=cast)
            _related(start + 1, stop, cast=cast)
        start = stop
    if size > have:
        # As autovacuum would leave a table that has settled: statistics, visibility map, hint bits.
        with connection.cursor() as cursor:
            for table in (Incident, Deadline, CoordinationRequest, IncidentDamage, PeriodicReport):
                cursor.execute(f"VACUUM (ANALYZE) {table._meta.db_table}")
    return max(0, size - have)


def _categories() -> list[str]:
    # Attacks are the largest group in practice; "" stands for a report not yet classified.
    codes = list(taxonomy.incident_categories())
    attacks = [c for c in codes if c.startswith("ATTACK.")]
    return attacks * 2 + codes + [""]


INCIDENTS_SQL = """
INSERT INTO incidents_incident (created_at, updated_at, reference, title, description, status, category,
    severity, severity_reasons, severity_override_reason, harms, exceeds_capacity, crime_signs, secret_target,
    system_id, operator_id, owner_id, detected_at, reported_at, acknowledged_at, classified_at, closed_at,
    confidential, tlp, merged_into_id, search_text)
SELECT t.at, t.at, 'BENCH-' || g, 'Sự cố thử tải số ' || g, 'Mô tả sự cố thử tải', t.status, t.category,
    CASE WHEN g %% 23 = 0 THEN 'SERIOUS' ELSE 'NORMAL' END, '[]', '', '[]', g %% 41 = 0, g %% 13 = 0, false,
    NULL, t.operator, NULL, t.at - interval '3 hours', t.at,
    CASE WHEN t.status = 'logged' THEN NULL ELSE t.at + (((g * 7) %% 600) || ' minutes')::interval END,
    CASE WHEN t.status IN ('logged', 'acknowledged') THEN NULL ELSE t.at + interval '6 hours' END,
    CASE WHEN t.status IN ('closed', 'rejected') THEN t.at + (((g * 11) %% 240) || ' hours')::interval END,
    g %% 19 = 0, CASE WHEN g %% 5 = 0 THEN 'GREEN' ELSE 'AMBER' END, NULL, 'su co thu tai ' || g
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
CROSS JOIN LATERAL (SELECT
    %(begin)s::timestamptz + ((g * 2654435761::bigint) %% %(span)s) * interval '1 second' AS at,
    (%(categories)s::text[])[1 + abs(hashint8(g)) %% %(n_categories)s] AS category,
    (%(operators)s::bigint[])[1 + (g * 97) %% %(n_operators)s] AS operator,
    CASE WHEN g %% 97 = 0 THEN 'rejected' WHEN g %% 53 = 0 THEN 'logged' WHEN g %% 29 = 0 THEN 'acknowledged'
         WHEN g %% 10 < 8 THEN 'closed' ELSE 'contained' END AS status) AS t
"""


def _incidents(first: int, last: int, *, year: int, total: int, cast: Cast) -> None:
    tz = timezone.get_current_timezone()
    begin = datetime.datetime(year - 1, 1, 1, tzinfo=tz)
    span = int((datetime.datetime(year + 1, 1, 1, tzinfo=tz) - begin).total_seconds())
    categories = _categories()
    params = {
        "first": first, "last": last, "begin": begin, "span": span, "categories": categories,
        "n_categories": len(categories), "operators": cast.operators, "n_operators": len(cast.operators),
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(INCIDENTS_SQL, params)


# One clock per deadline policy the migrations seed (clocks.start_clocks at intake); met mostly on time.
DEADLINES_SQL = """
INSERT INTO incidents_deadline (incident_id, code, due_at, met_at)
SELECT i.id, c.code, i.reported_at + c.hours * interval '1 hour',
    CASE WHEN c.code = 'INTAKE_ACK' THEN i.acknowledged_at
         WHEN c.code = 'INTAKE_CLASSIFY' THEN i.classified_at ELSE i.reported_at END
FROM incidents_incident i
CROSS JOIN (VALUES ('OPERATOR_REPORT', 120), ('INTAKE_ACK', 2), ('INTAKE_CLASSIFY', 24)) AS c(code, hours)
WHERE i.reference LIKE 'BENCH-%%' AND i.id > %(after)s
"""

REQUESTS_SQL = """
INSERT INTO coordination_coordinationrequest (incident_id, reference, issuer_id, issued_by_id, recipient_id,
    kind, required_actions, targets, deadline, confidential, status, acknowledged_at, answer, answered_at,
    outcome, created_at, updated_at)
SELECT i.id, i.reference || '-YC01', %(unit)s, %(user)s, (%(helpers)s::bigint[])[1 + i.id %% %(n_helpers)s],
    (%(kinds)s::text[])[1 + (i.id / 13) %% 8], 'Thử tải', '[]', i.reported_at + interval '24 hours', false,
    s.status, CASE WHEN s.status <> 'sent' THEN i.reported_at + interval '3 hours' END, '',
    CASE WHEN s.status IN ('answered', 'completed')
         THEN i.reported_at + (((i.id * 5) %% 40) || ' hours')::interval END,
    CASE WHEN s.status IN ('answered', 'completed') THEN 'done' ELSE '' END,
    i.reported_at + interval '2 hours', i.reported_at + interval '2 hours'
FROM incidents_incident i
CROSS JOIN LATERAL (SELECT (%(states)s::text[])[1 + (i.id / 7) %% 8] AS status) AS s
WHERE i.reference LIKE 'BENCH-%%' AND i.id > %(after)s AND (i.id * 31) %% 100 < 8
"""

DAMAGE_SQL = """
INSERT INTO reports_incidentdamage (created_at, updated_at, incident_id, amount_vnd, foreign_help,
    foreign_helpers, note)
SELECT now(), now(), i.id, ((i.id * 7919) %% 500) * 1000000, i.id %% 9 = 0,
    CASE WHEN i.id %% 9 = 0 THEN 'Tổ chức hỗ trợ nước ngoài ' || (i.id %% 3) ELSE '' END, ''
FROM incidents_incident i
WHERE i.reference LIKE 'BENCH-%%' AND i.id > %(after)s AND i.category LIKE 'ATTACK.%%'
    AND (i.id * 17) %% 100 < 5
"""


def _related(first: int, last: int, *, cast: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(incident_id), 0) FROM incidents_deadline")
        after = cursor.fetchone()[0]
        cursor.execute(DEADLINES_SQL, {"after": after})
        params = {
            "after": after, "unit": cast.unit, "user": cast.user, "helpers": cast.helpers,
            "n_helpers": len(cast.helpers), "kinds": REQUEST_KINDS, "states": REQUEST_STATES,
        }  # fmt: skip
        cursor.execute(REQUESTS_SQL, params)
        cursor.execute(DAMAGE_SQL, {"after": after})
