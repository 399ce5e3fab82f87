"""The compliance board: on-time share per organization, overdue first, CSV and XLSX exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from ungcuu.obligations import engine, services
from ungcuu.obligations.compliance import board_rows
from ungcuu.obligations.models import EvidenceKind, ObligationDefinition, Occurrence

D = datetime.date


@pytest.fixture(autouse=True)
def system_duties_only(db):
    """Only the per-system duties here, so the specialised unit's own reports stay off the board."""
    ObligationDefinition.objects.filter(applies_to_systems=False).update(active=False)


def _year_of(system, today):
    """Generate the past year for a system's unit, as the scheduler would have."""
    engine.generate_occurrences(since=today - datetime.timedelta(days=364), until=today, now=today)
    engine.mark_overdue(today)


def test_drill_recorded_through_record_fulfilment_turns_the_board_green(
    client_for, coordinator, manager, org_a, system_a, today
):
    # Only the live-fire drill is owed in this test: the other duties are switched off.
    ObligationDefinition.objects.exclude(code="LIVE_FIRE_DRILL").update(active=False)
    last_year_end = D(today.year - 1, 12, 31)
    engine.generate_occurrences(since=last_year_end, until=last_year_end, now=today)
    engine.mark_overdue(today)
    board = client_for(coordinator).get(reverse("obligations:compliance"))
    assert 'data-org="SO-ALPHA" data-colour="danger"' in board.content.decode()

    occurrence = services.record_fulfilment(
        actor=manager, code="LIVE_FIRE_DRILL", organization=org_a, system=system_a,
        on=D(today.year - 1, 10, 15), evidence_kind=EvidenceKind.DRILL, note="Diễn tập thực chiến 2025",
    )  # fmt: skip
    assert occurrence.status == Occurrence.Status.DONE and not occurrence.was_late
    board = client_for(coordinator).get(reverse("obligations:compliance"))
    assert 'data-org="SO-ALPHA" data-colour="ok"' in board.content.decode()
    assert "100%" in board.content.decode()


def test_board_aggregates_on_time_late_overdue_and_leaves_waived_out(
    coordinator, manager, org_a, system_a, today
):
    _year_of(system_a, today)
    past = list(Occurrence.objects.filter(organization=org_a, due_on__lte=today).order_by("due_on"))
    assert len(past) >= 3
    on_time, late, waived = past[0], past[1], past[2]
    Occurrence.objects.filter(pk=on_time.pk).update(status="done", done_on=on_time.due_on)
    Occurrence.objects.filter(pk=late.pk).update(status="done", done_on=late.due_on + datetime.timedelta(5))
    services.waive_occurrence(actor=coordinator, occurrence=waived, reason="Hệ thống dừng")
    [row] = board_rows(Occurrence.objects.all(), now=today)
    assert (row.total, row.on_time, row.late) == (len(past) - 1, 1, 1)
    assert row.overdue == len(past) - 3
    assert row.colour == "danger"


def test_overdue_organizations_come_first(coordinator, org_a, org_b, system_a, system_b, today):
    _year_of(system_a, today)
    Occurrence.objects.filter(organization=org_a).update(status="done", done_on=D(today.year - 5, 1, 1))
    rows = board_rows(Occurrence.objects.all(), now=today)
    assert [r.code for r in rows] == ["SO-BETA", "SO-ALPHA"]


def test_board_shows_each_user_their_own_organizations(
    client_for, viewer, outsider, system_a, system_b, today
):
    _year_of(system_a, today)
    mine = client_for(viewer).get(reverse("obligations:compliance")).content.decode()
    assert 'data-org="SO-ALPHA"' in mine and 'data-org="SO-BETA"' not in mine
    theirs = client_for(outsider).get(reverse("obligations:compliance")).content.decode()
    assert "Alpha" not in theirs and 'data-org="SO-BETA"' in theirs


def test_csv_export(client_for, coordinator, system_a, system_b, today):
    _year_of(system_a, today)
    response = client_for(coordinator).get(reverse("obligations:compliance"), {"export": "csv"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Code" and {r[0] for r in rows[1:]} == {"SO-ALPHA", "SO-BETA"}


def test_xlsx_export(client_for, coordinator, system_a, today):
    _year_of(system_a, today)
    response = client_for(coordinator).get(reverse("obligations:compliance"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = list(book.active.iter_rows(values_only=True))
    assert values[1][0] == "Code" and values[2][0] == "SO-ALPHA"


def test_outsider_export_does_not_leak(client_for, outsider, system_a, system_b, today):
    _year_of(system_a, today)
    response = client_for(outsider).get(reverse("obligations:compliance"), {"export": "csv"})
    assert b"Alpha" not in response.content and b"SO-BETA" in response.content
