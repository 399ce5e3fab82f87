"""Risk acceptance and its expiry, the rules around people's decisions, and the periodic job."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ungcuu.core.errors import InvalidTransition
from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.jobs import expire_due_risk_acceptances
from ungcuu.vulnerabilities.models import Finding
from ungcuu.vulnerabilities.tests.helpers import OPENVAS_SAMPLE, import_report, sample

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 3, 20, 3, 0, tzinfo=datetime.UTC)  # Hanoi: 20/03/2026 10:00


@pytest.fixture
def finding(coordinator, org_a, system_a):
    with time_machine.travel(DAY):
        import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    return Finding.objects.get(system=system_a, severity="critical")


def accept(manager, finding, until):
    with time_machine.travel(DAY):
        return services.accept_risk(actor=manager, finding=finding, reason="WAF chặn PUT", expires_on=until)


def test_an_accepted_risk_returns_to_open_the_day_after_its_expiry(manager, finding):
    accept(manager, finding, datetime.date(2026, 4, 30))
    with time_machine.travel(datetime.datetime(2026, 4, 30, 16, 0, tzinfo=datetime.UTC)):  # 23:00 on 30/04
        assert expire_due_risk_acceptances() == 0
    with time_machine.travel(datetime.datetime(2026, 4, 30, 17, 30, tzinfo=datetime.UTC)):  # 00:30 on 01/05
        assert expire_due_risk_acceptances() == 1
        assert expire_due_risk_acceptances() == 0  # idempotent
    finding.refresh_from_db()
    assert (finding.status, finding.risk_expires_on) == ("open", None)
    expired = finding.events.first()
    assert (expired.kind, expired.actor, expired.note) == ("risk_expired", None, "30/04/2026")


def test_the_command_expires_acceptances(manager, finding, capsys):
    accept(manager, finding, datetime.date(2026, 4, 30))
    with time_machine.travel(datetime.datetime(2026, 6, 1, 3, 0, tzinfo=datetime.UTC)):
        call_command("expire_risk_acceptances")
    assert "1 risk acceptance(s) expired." in capsys.readouterr().out
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_a_risk_is_accepted_for_a_bounded_time_with_a_reason(manager, finding, settings):
    settings.FINDING_MAX_RISK_DAYS = 30
    with pytest.raises(ValidationError, match="at most 30 days"):
        accept(manager, finding, datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="after today"), time_machine.travel(DAY):
        services.accept_risk(
            actor=manager, finding=finding, reason="x", expires_on=datetime.date(2026, 3, 20)
        )
    with pytest.raises(ValidationError, match="Say why"), time_machine.travel(DAY):
        services.accept_risk(
            actor=manager, finding=finding, reason="  ", expires_on=datetime.date(2026, 4, 1)
        )
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_accepting_a_risk_is_a_managers_or_coordinators_decision(
    responder, viewer, outsider, coordinator, finding
):
    for person in (responder, viewer, outsider):
        with pytest.raises(PermissionDenied):
            accept(person, finding, datetime.date(2026, 4, 1))
    assert accept(coordinator, finding, datetime.date(2026, 4, 1)).status == "risk_accepted"


def test_illegal_moves_raise_invalid_transition(manager, finding):
    with pytest.raises(InvalidTransition):
        services.reopen_finding(actor=manager, finding=finding)
    services.mark_false_positive(actor=manager, finding=finding, reason="Kiểm tra tay: đã vá")
    with pytest.raises(InvalidTransition):
        accept(manager, finding, datetime.date(2026, 4, 1))


def test_due_days_come_from_settings(coordinator, org_a, system_a, settings):
    settings.FINDING_DUE_DAYS = {"critical": 2}
    with time_machine.travel(DAY):
        import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    due = dict(Finding.objects.values_list("severity", "due_on"))
    assert due["critical"] == datetime.date(2026, 3, 16) and due["high"] == datetime.date(2026, 4, 13)
