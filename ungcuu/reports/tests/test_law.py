"""Form 05 counts what the law means (issue 13; DOMAIN.md §f, TT20 Art. 6): each test names its rule."""

import pytest
from django.utils import translation

from ungcuu.core import taxonomy
from ungcuu.incidents.models import Status
from ungcuu.reports import builders
from ungcuu.reports.access import Scope
from ungcuu.reports.tests.world import HOUR, Builder, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def builder(coordinator, manager, outsider, org_a, org_b, isp, isp_responder, vncert):
    return Builder(
        coordinator=coordinator,
        manager=manager,
        outsider=outsider,
        org_a=org_a,
        org_b=org_b,
        isp=isp,
        isp_responder=isp_responder,
        vncert=vncert,
    )


def _row(h1, code):
    form = builders.build_form05(scope=Scope.province(), period=h1)
    return {r.code: r for r in form.rows}[code]


def test_form05_national_coordinator_column_counts_requests_sent_not_the_capacity_flag_tt20_form05(
    builder, h1
):
    builder.report(at(2, 1), "ATTACK.MALWARE", "Mã độc vượt khả năng", exceeds_capacity=True)
    assert _row(h1, "ATTACK.MALWARE").national_asked == 0


def test_form05_handled_by_itself_counts_only_incidents_closed_without_outside_help_tt20_form05(builder, h1):
    open_one = builder.report(at(2, 1), "ATTACK.MALWARE", "Mã độc chưa xử lý xong")
    closed = builder.report(at(2, 2), "ATTACK.MALWARE", "Mã độc đã xử lý")
    for incident in (open_one, closed):
        builder.acknowledge(incident, at(2, 2) + HOUR)
        builder.classify(incident, at(2, 2) + HOUR)
        builder.move(incident, at(2, 2) + 2 * HOUR, Status.FIRST_ACTIONS)
    builder.close(closed, at(2, 3))
    assert _row(h1, "ATTACK.MALWARE").self_handled == 1
    assert _row(h1, "ATTACK.MALWARE").count == 2


def test_statistics_name_the_cause_groups_in_the_exact_words_of_s0_ii_3a(db):
    with translation.override("vi"):
        assert builders.group_label("SYSTEM") == taxonomy.incident_groups()["SYSTEM"]["vi"]
        assert builders.group_label("DISASTER").startswith("Sự cố liên quan đến các thảm họa tự nhiên")
