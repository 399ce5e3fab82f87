"""Form 05 goes up by itself on TT20's due dates (20 June, 15 December), once per period (fixed clock)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from ungcuu.core import schedule
from ungcuu.core.periods import REPORTING_OBLIGATION, Period
from ungcuu.federation import form05, services
from ungcuu.federation.models import OutboxMessage
from ungcuu.federation.tests.conftest import as_national
from ungcuu.obligations.models import Occurrence

D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(f"{day.isoformat()} 09:00 +07:00", tick=False)


@pytest.fixture
def member_unit(federation, specialised_unit):
    """The province's specialised unit is a network member: form 05 is its duty (TT20 Art. 6)."""
    specialised_unit.is_network_member = True
    specialised_unit.save()
    return specialised_unit


def sent_periods() -> list[str]:
    return [m.payload["period"] for m in OutboxMessage.objects.filter(kind="statistics").order_by("seq")]


# A year as the hourly scheduler meets it: around each due date, and between them.
DAYS = [D(2026, 1, 5), D(2026, 6, 14), D(2026, 6, 19), D(2026, 6, 20), D(2026, 6, 21), D(2026, 9, 1)]
DAYS += [D(2026, 12, 14), D(2026, 12, 15), D(2026, 12, 16), D(2026, 12, 31)]


def test_a_year_of_scheduler_runs_sends_each_period_once_on_its_due_date(member_unit):
    ran_on: dict[str, datetime.date] = {}
    for day in DAYS:
        with at(day):
            for _hour in range(2):  # two runs a day: the second finds it sent
                message = form05.send_due_form05()
                if message is not None:
                    ran_on[message.payload["period"]] = day
    # The first run caught up on 2025's annual report, still in its window (until 20 June).
    assert sent_periods() == ["2025-RY", "2026-R6", "2026-RY"]
    del ran_on["2025-RY"]
    assert ran_on == {"2026-R6": D(2026, 6, 20), "2026-RY": D(2026, 12, 15)}
    message = OutboxMessage.objects.get(payload__period="2026-R6")
    assert message.destination == "VN" and message.state == OutboxMessage.State.PENDING  # the outbox retries
    assert message.message_id == form05.message_id("VN", Period.reporting(2026, "R6"))
    figures = message.payload["figures"]
    assert figures["rows"][-1]["code"] == "TOTAL" and figures["organization"] == member_unit.name
    # Each sending fulfilled that period's form 05 occurrence, on time (the due day itself).
    done = Occurrence.objects.filter(definition__code=REPORTING_OBLIGATION, organization=member_unit)
    assert {(o.due_on, o.status, o.done_on) for o in done if o.due_on.year == 2026} == {
        (D(2026, 6, 20), Occurrence.Status.DONE, D(2026, 6, 20)),
        (D(2026, 12, 15), Occurrence.Status.DONE, D(2026, 12, 15)),
    }


def test_sent_by_hand_before_the_due_date_is_not_sent_again(member_unit, coordinator):
    with at(D(2026, 6, 16)):  # the figures closed on the 14th
        services.send_statistics(actor=coordinator, period=Period.reporting(2026, "R6"))
    with at(D(2026, 6, 20)):
        assert form05.send_due_form05() is None
    assert sent_periods() == ["2026-R6"]
    occurrence = Occurrence.objects.get(definition__code=REPORTING_OBLIGATION, due_on=D(2026, 6, 20))
    assert (occurrence.status, occurrence.done_on) == (Occurrence.Status.DONE, D(2026, 6, 16))


def test_sent_late_fulfils_its_own_period_not_the_next(member_unit):
    with at(D(2026, 7, 3)):  # the scheduler was down on 20 June
        assert form05.send_due_form05().payload["period"] == "2026-R6"
    june = Occurrence.objects.get(definition__code=REPORTING_OBLIGATION, due_on=D(2026, 6, 20))
    assert (june.status, june.done_on) == (Occurrence.Status.DONE, D(2026, 7, 3))
    assert not Occurrence.objects.filter(due_on=D(2026, 12, 15), status=Occurrence.Status.DONE).exists()


def test_two_schedulers_at_once_write_one_message(member_unit, monkeypatch):
    monkeypatch.setattr(form05, "already_sent", lambda destination, period: False)  # both looked first
    with at(D(2026, 6, 20)):
        assert form05.send_due_form05() is not None
        assert form05.send_due_form05() is None  # the period's message id is taken
    assert sent_periods() == ["2026-R6"]


def test_nothing_is_sent_without_a_national_peer(member_unit, settings):
    settings.FEDERATION_NATIONAL_URL = ""
    with at(D(2026, 6, 20)):
        assert form05.send_due_form05() is None
        with as_national():
            assert form05.send_due_form05() is None
    assert not OutboxMessage.objects.exists()
    assert not Occurrence.objects.filter(status=Occurrence.Status.DONE).exists()


def test_the_scheduler_fires_it_hourly():
    job = next(j for j in schedule.SCHEDULE if j.function == "ungcuu.federation.form05.send_due_form05")
    assert job.every_seconds == 3600
