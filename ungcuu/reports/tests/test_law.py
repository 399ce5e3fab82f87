"""Form 05 counts what the law means (issue 13; DOMAIN.md §f, TT20 Art. 6): each test names its rule."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from ungcuu.core import taxonomy
from ungcuu.incidents.models import Status
from ungcuu.reports import builders, services
from ungcuu.reports.access import Scope
from ungcuu.reports.tests.world import HOUR, at

pytestmark = pytest.mark.django_db


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


# --- point 13: form 05's periods and cut-offs -----------------------------------------------------------


def test_form05_half_year_report_covers_15_december_to_14_june_tt20_art_6(org_a, manager):
    kwargs = {"actor": manager, "organization": org_a, "kind": "form05", "year": 2026}
    with time_machine.travel(at(7, 5), tick=False):
        half = services.start_periodic_report(span="half_year", half=1, **kwargs)
        with pytest.raises(ValidationError) as refused:
            services.start_periodic_report(span="half_year", half=2, **kwargs)
        year = services.start_periodic_report(span="annual", **kwargs)
    assert (half.period_start, half.period_end) == (datetime.date(2025, 12, 15), datetime.date(2026, 6, 14))
    assert (year.period_start, year.period_end) == (datetime.date(2025, 12, 15), datetime.date(2026, 12, 14))
    assert "half" in refused.value.message_dict


def test_form05_page_offers_the_report_due_next_with_its_cut_offs_tt20_art_6(client_for, manager):

    with time_machine.travel(at(6, 25), tick=False):
        page = client_for(manager).get("/reports/form05/")
    form = page.context["form"]
    assert (form.fields["year"].initial, form.fields["span"].initial) == (2026, "RY")
    assert [c[0] for c in form.fields["span"].choices] == ["R6", "RY"]
    assert "Từ ngày 15/12/2025 đến ngày 14/12/2026" in page.content.decode()
