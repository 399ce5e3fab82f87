"""The periodic job: in the scheduler's table, as a management command, and idempotent."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ungcuu.core.schedule import SCHEDULE, run_due
from ungcuu.obligations import services
from ungcuu.obligations.engine import run_obligations
from ungcuu.obligations.models import EvidenceKind, Occurrence, Reminder


def test_scheduler_table_has_the_obligations_job_and_keeps_the_retry_job():
    functions = {job.function for job in SCHEDULE}
    assert "ungcuu.obligations.engine.run_obligations" in functions
    assert "ungcuu.notifications.delivery.retry_due" in functions


def test_scheduler_fires_the_job(system_a):
    last_run: dict[str, float] = {}
    ran = run_due(last_run, 10_000.0)
    assert any("obligations" in name for name in ran)
    assert Occurrence.objects.filter(system=system_a).exists()
    assert not any("obligations" in name for name in run_due(last_run, 10_001.0))  # not due again yet


def test_command_runs_as_of_a_date_and_twice_does_nothing_more(system_a):
    out = StringIO()
    call_command("run_obligations", "--now", "2026-06-25", stdout=out)
    assert "occurrences created" in out.getvalue()
    count, reminders = Occurrence.objects.count(), Reminder.objects.count()
    assert count and reminders  # the 30 June scan is 5 days away
    again = StringIO()
    call_command("run_obligations", "--now", "2026-06-25", stdout=again)
    assert again.getvalue().startswith("0 occurrences created, 0 overdue, 0 reminders sent")
    assert (Occurrence.objects.count(), Reminder.objects.count()) == (count, reminders)


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("run_obligations", "--now", "25/06/2026")


def test_reminders_stop_once_done(system_a, manager):
    run_obligations(datetime.date(2026, 5, 31))  # 30 days before the June scan: first reminder
    scan = Occurrence.objects.get(system=system_a, definition__code="VULN_SCAN_THREAT_HUNT",
                                  due_on=datetime.date(2026, 6, 30))  # fmt: skip
    assert set(scan.reminders.values_list("lead_days", flat=True)) == {30}
    services.record_fulfilment(
        actor=manager, code="VULN_SCAN_THREAT_HUNT", organization=system_a.operator, system=system_a,
        on=datetime.date(2026, 6, 1), evidence_kind=EvidenceKind.SCAN,
    )  # fmt: skip
    run_obligations(datetime.date(2026, 6, 23))
    run_obligations(datetime.date(2026, 6, 29))
    assert set(scan.reminders.values_list("lead_days", flat=True)) == {30}


def test_late_appearing_occurrence_gets_one_reminder_not_three(system_a):
    occurrence = services.notify_level_change(system=system_a, on=datetime.date(2026, 3, 1))
    Occurrence.objects.filter(pk=occurrence.pk).update(due_on=datetime.date(2026, 3, 2))
    run_obligations(datetime.date(2026, 3, 1))
    reminders = {r.lead_days: r.skipped for r in occurrence.reminders.all()}
    assert reminders == {1: False, 7: True, 30: True}
