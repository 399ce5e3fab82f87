"""Builders give exact figures on the first half of 2026 (see world.py for what happened when)."""

import datetime
import random

import pytest
import time_machine
from django.utils import translation

from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.reports import builders, figures
from ungcuu.reports.access import Scope
from ungcuu.reports.statistics import build_statistics
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db


def rows_by_code(rows):
    return {r.code: r for r in rows}


def numbers(row):
    return (
        row.count,
        row.self_handled,
        row.domestic_help,
        row.foreign_help,
        row.national_asked,
        row.damage_vnd,
    )


def test_form05_of_the_province_counts_each_column_per_attack_row(world, h1):
    with translation.override("vi"):
        form = builders.build_form05(scope=Scope.province(), period=h1)

    rows = rows_by_code(form.rows)
    assert [r.code for r in form.rows][:3] == ["ATTACK.DOS", "ATTACK.SPOOFING", "ATTACK.MALWARE"]
    assert len(form.rows) == 10  # the ten attack rows of TT20 form 05, zeros included
    assert rows["ATTACK.DEFACEMENT"].label == "Thay đổi giao diện"
    assert numbers(rows["ATTACK.DEFACEMENT"]) == (2, 0, 1, 0, 0, 5_000_000)  # A2 is not closed
    assert numbers(rows["ATTACK.MALWARE"]) == (1, 0, 0, 1, 1, 20_000_000)
    assert numbers(rows["ATTACK.DOS"]) == (1, 0, 0, 0, 1, 0)  # the declined ISP request is no help
    assert numbers(rows["ATTACK.SPOOFING"]) == (1, 0, 1, 0, 0, 0)  # answered, not yet completed, counts
    assert numbers(rows["ATTACK.ENCRYPTION"]) == (0, 0, 0, 0, 0, 0)
    assert numbers(form.total) == (5, 0, 2, 1, 2, 25_000_000)
    assert form.helpers_domestic == ["Nhà mạng Gamma"]
    assert form.helpers_foreign == ["Kaspersky Lab"]
    assert (form.period.from_month, form.period.to_month) == ("01/2026", "06/2026")


def test_form05_of_a_unit_counts_only_its_incidents(world, h1, org_a, org_b):
    form_a = builders.build_form05(scope=Scope.of(org_a), period=h1)
    form_b = builders.build_form05(scope=Scope.of(org_b), period=h1)

    assert numbers(form_a.total) == (4, 0, 1, 1, 2, 25_000_000)
    assert numbers(form_b.total) == (1, 0, 1, 0, 0, 0)
    assert form_a.organization == org_a.name and form_b.helpers_foreign == []


def test_form05_of_another_period_leaves_out_the_first_half(world, org_a):
    form = builders.build_form05(scope=Scope.of(org_a), period=Period.half(2026, 2))

    assert numbers(form.total) == (1, 0, 0, 0, 0, 0)  # A7 in July only, not closed


def test_unit_report_sums_incidents_durations_and_deadlines(world, h1, org_a):
    with translation.override("vi"):
        report = builders.build_unit_report(scope=Scope.of(org_a), period=h1)

    section = report.incidents
    assert (section.total, section.serious, section.closed, section.confidential) == (5, 0, 1, 1)
    groups = {t.code: t.count for t in section.by_group}
    assert groups == {"ATTACK": 4, "SYSTEM": 1, "OPERATOR": 0, "DISASTER": 0}
    assert [m.total for m in section.by_month] == [1, 1, 1, 1, 1, 0]
    assert section.acknowledge_hours == 4.0  # acknowledged after 1, 4 and 6 hours
    assert section.close_hours == 240.0
    deadlines = {d.code: (d.total, d.on_time, d.late, d.overdue) for d in section.deadlines}
    assert deadlines["INTAKE_ACK"] == (5, 1, 2, 2)
    assert deadlines["INTAKE_CLASSIFY"] == (5, 2, 0, 3)
    assert deadlines["OPERATOR_REPORT"] == (5, 5, 0, 0)


def test_unit_report_lists_incidents_but_never_a_confidential_one(world, h1, org_a):
    report = builders.build_unit_report(scope=Scope.of(org_a), period=h1)

    listed = [line.reference for line in report.incidents.listing]
    assert listed == [world.a1.reference, world.a3.reference, world.a4.reference, world.a5.reference]
    assert world.a2.reference not in listed and all(
        "chèn nội dung" not in line.title for line in report.incidents.listing
    )


def test_unit_report_counts_requests_received_by_the_unit(world, h1, isp):
    report = builders.build_unit_report(scope=Scope.of(isp), period=h1)

    rows = {r.kind: r for r in report.requests_received}
    assert (rows["isp_takedown"].total, rows["isp_takedown"].on_time) == (2, 2)
    assert (rows["isp_block"].total, rows["isp_block"].declined) == (1, 1)


def test_province_report_lists_units_and_the_figures_they_sent(world, h1, org_a, manager, coordinator):
    from ungcuu.reports import services

    with time_machine.travel(at(7, 5), tick=False):
        report = services.start_periodic_report(
            actor=manager, organization=org_a, kind="progress", span="half_year", year=2026, half=1
        )
        services.update_periodic_report(actor=manager, report=report, proposals="Bổ sung kinh phí rà quét.")
        services.submit_periodic_report(actor=manager, report=report)

    province = builders.build_province_report(period=h1)

    assert (province.units.expected, province.units.submitted, province.units.accepted) == (2, 1, 0)
    assert (province.units.total, province.units.attacks, province.units.serious) == (5, 4, 0)
    statuses = {r.organization: r.status for r in province.units.rows}
    assert statuses == {"Sở Thử nghiệm Alpha": "submitted", "Sở Thử nghiệm Beta": "missing"}
    assert [p.text for p in province.units.proposals] == ["Bổ sung kinh phí rà quét."]
    assert province.incidents.total == 6 and province.incidents.form05_total.count == 5
    assert [r.name for r in province.by_organization] == ["Sở Thử nghiệm Alpha", "Sở Thử nghiệm Beta"]
    assert province.incidents.listing == []  # no serious incident in the period


def test_province_report_reads_the_other_apps_sections(world, h1):
    province = builders.build_province_report(period=h1)

    assert province.obligations is not None and province.drills is not None
    assert province.scans is not None and province.advisories is not None
    assert province.drills.held == 0 and province.scans.findings == 0 and province.advisories.total == 0


def test_bulletin_compares_quarters_and_names_only_widely_shareable_incidents(world):
    with translation.override("en"):
        bulletin = builders.build_bulletin(period=Period.quarter(2026, 1))

    assert (bulletin.total, bulletin.previous_total, bulletin.change_percent) == (3, 0, None)
    assert [i.reference for i in bulletin.notable] == [world.a1.reference]  # TLP:CLEAR, not confidential
    second = builders.build_bulletin(period=Period.quarter(2026, 2))
    assert (second.total, second.previous_total, second.change_percent) == (3, 3, 0)
    # Advice follows the period's most frequent attacks: defacement (2), then malware (1).
    assert bulletin.recommendations[0].startswith("Patch web portals")
    assert bulletin.recommendations[1].startswith("Keep antivirus")


def test_statistics_median_time_to_contain_reads_the_stamped_column(world, h1, org_a, manager):
    stats = build_statistics(scope=Scope.of(org_a), period=h1, user=manager)

    assert stats.contain_hours == 135.0  # contained after 30 h (A3) and closed after 240 h (A1)
    assert stats.incidents.acknowledge_hours == 4.0
    assert {t.code: t.count for t in stats.by_severity} == {"NORMAL": 5, "SERIOUS": 0}


def test_counts_never_load_incidents_into_python(world, h1, django_assert_max_num_queries):
    incidents = figures.in_period(Scope.province().incidents(), h1)
    with django_assert_max_num_queries(1):
        grid = figures.grid(incidents, h1)
    assert grid.total() == 6 and len(grid.cells) <= 12 * 26


def test_medians_agree_with_a_hand_count(world, h1, org_a):
    incidents = figures.in_period(Scope.of(org_a).incidents(), h1)

    result = figures.medians(incidents)

    assert result["acknowledge"] == datetime.timedelta(hours=4)
    assert result["close"] == datetime.timedelta(hours=240)
    assert Incident.objects.filter(pk=world.a8.pk, status="rejected").exists()  # rejected: never counted


@pytest.mark.parametrize("count", [5, 6])  # an odd count has one middle row, an even one two
def test_sqlite_medians_are_the_python_duration_medians(province_incidents, count):
    """On SQLite the medians are integer SQL (`figures.SQLiteMicroseconds`); they equal the generic form's
    (Django's duration expression, a Python function per row) to the microsecond, fractions or none."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL computes PERCENTILE_CONT")
    rng = random.Random(count)
    reported = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    for incident in province_incidents[:count]:
        reported += datetime.timedelta(
            hours=rng.randint(1, 90), microseconds=rng.choice([0, rng.randint(1, 999999)])
        )
        ends = {
            field: reported
            + datetime.timedelta(seconds=rng.randint(0, 900000), microseconds=rng.choice([0, 7, 999999]))
            for field in ("acknowledged_at", "contained_at", "closed_at")
        }
        Incident.objects.filter(pk=incident.pk).update(reported_at=reported, status="closed", **ends)
    incidents = Incident.objects.filter(pk__in=[i.pk for i in province_incidents[:count]])
    for field in ("acknowledged_at", "contained_at", "closed_at"):
        expected = figures.median(incidents, figures.since_report(field))
        assert expected is not None
        assert figures.sqlite_median(incidents, field) == expected, field
    assert figures.sqlite_median(incidents.none(), "closed_at") is None
    medians = figures.medians(incidents, contain=True)
    assert medians["close"] == figures.median(incidents, figures.since_report("closed_at"))


@pytest.fixture
def province_incidents(org_a, manager):
    from ungcuu.incidents.tests.factories import reported

    return [reported(manager, org_a, f"Sự cố {n}") for n in range(6)]
