"""Kept figure snapshots (reports.snapshots): what a snapshot serves is what a live count gives, for every
persona, scope and period; a stale snapshot is served with its old time until refreshed, once per key;
and a reader never gets the snapshot of another reader who may open more (the hidden set is in the key).

The clock stands still (time-machine) so that deadlines' overdue/running are the same in both counts.
"""

from __future__ import annotations

import dataclasses
import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from ungcuu.core.periods import Period
from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import Incident
from ungcuu.reports import builders, figures, jobs, snapshots
from ungcuu.reports import services as reports
from ungcuu.reports.access import Scope
from ungcuu.reports.models import FigureSnapshot
from ungcuu.reports.statistics import build_statistics, hidden_ids
from ungcuu.reports.tests.world import HOUR, at

NOW = at(7, 10)
YEAR, H1 = Period.year(2026), Period.half(2026, 1)


@pytest.fixture
def kept(settings):
    settings.UNGCUU_FIGURES_MAX_AGE = 300


def plain(figures) -> dict:
    """The figures as plain data, without the moment they describe."""
    return {k: v for k, v in dataclasses.asdict(figures).items() if k != "as_of"}


def live(settings, build):
    """`build()` counted live (no snapshot read or written), as with UNGCUU_FIGURES_MAX_AGE = 0."""
    before, settings.UNGCUU_FIGURES_MAX_AGE = settings.UNGCUU_FIGURES_MAX_AGE, 0
    try:
        return build()
    finally:
        settings.UNGCUU_FIGURES_MAX_AGE = before


def served_twice(build):
    """`build()` cold (counted and stored), then again (read back from the stored JSON)."""
    first = build()
    second = build()
    assert second.as_of == first.as_of
    return first, second


def test_snapshot_figures_equal_live_figures_for_every_persona_scope_and_period(
    kept, settings, world, coordinator, manager, viewer, outsider, org_a, org_b
):
    cases = [
        (coordinator, None),
        (coordinator, org_a),
        (manager, org_a),  # reported the confidential A2: may open it
        (viewer, org_a),  # read-only member: A2 is counted, never detailed
        (outsider, org_b),
    ]
    with time_machine.travel(NOW, tick=False):
        for user, organization in cases:
            scope = Scope.of(organization) if organization else Scope.province()
            for period in (YEAR, H1):

                def statistics(user=user, scope=scope, period=period):
                    return build_statistics(scope=scope, period=period, user=user)

                expected = live(settings, statistics)
                for served in served_twice(statistics):
                    assert plain(served) == plain(expected), (user, organization, period)
                    assert served.as_of == NOW
        for scope in (Scope.province(), Scope.of(org_a), Scope.of(org_b)):
            for period in (Period.reporting(2026, "R6"), YEAR):

                def form05(scope=scope, period=period):
                    return builders.build_form05(scope=scope, period=period)

                def unit(scope=scope, period=period):
                    return builders.build_unit_report(scope=scope, period=period)

                for build in (form05, unit):
                    expected = live(settings, build)
                    for served in served_twice(build):
                        assert plain(served) == plain(expected)
        expected = live(settings, lambda: builders.build_province_report(period=H1))
        for served in served_twice(lambda: builders.build_province_report(period=H1)):
            assert plain(served) == plain(expected)
    # One snapshot per distinct (kind, scope, period, hidden set): the viewer's statistics have their own.
    assert FigureSnapshot.objects.count() == len({row.key for row in FigureSnapshot.objects.all()})


def test_the_snapshot_keeps_what_the_figures_need_and_comes_back_the_same(kept, world, org_a):
    with time_machine.travel(NOW, tick=False):
        spec = builders.spec(snapshots.COUNT, Scope.of(org_a), YEAR, contain=True, hidden=(world.a2.pk,))
        counted = snapshots.compute(spec, NOW)
        back = snapshots.load(snapshots.dump(counted), NOW)
    assert back == counted
    assert isinstance(back.medians["acknowledge"], datetime.timedelta)


def test_a_reader_who_may_not_open_a_confidential_incident_never_gets_the_figures_of_one_who_may(
    kept, settings, world, manager, viewer, org_a
):
    scope = Scope.of(org_a)
    with time_machine.travel(NOW, tick=False):
        # A (the manager, who reported the confidential A2) warms the snapshot first.
        warmed = build_statistics(scope=scope, period=YEAR, user=manager)
        assert hidden_ids(scope, manager, YEAR) == ((), 0)
        assert hidden_ids(scope, viewer, YEAR) == ((world.a2.pk,), 1)
        seen_by_viewer = build_statistics(scope=scope, period=YEAR, user=viewer)
        expected = live(settings, lambda: build_statistics(scope=scope, period=YEAR, user=viewer))
    assert FigureSnapshot.objects.count() == 2  # two keys: the hidden set is part of it
    assert plain(seen_by_viewer) == plain(expected)
    assert plain(seen_by_viewer) != plain(warmed)
    # A2 (a defacement) is in the manager's distribution, in none of the viewer's: only in the total.
    defacements = {t.code: t.count for t in warmed.incidents.by_category}["ATTACK.DEFACEMENT"]
    seen = {t.code: t.count for t in seen_by_viewer.incidents.by_category}["ATTACK.DEFACEMENT"]
    assert (defacements, seen) == (2, 1)
    assert (warmed.withheld, seen_by_viewer.withheld) == (0, 1)
    assert warmed.incidents.total == seen_by_viewer.incidents.total


def test_a_stale_snapshot_is_served_with_its_time_until_one_refresh_brings_the_new_figures(
    kept, settings, builder, world, coordinator, org_a, django_capture_on_commit_callbacks
):
    scope = Scope.province()

    def statistics():
        return build_statistics(scope=scope, period=YEAR, user=coordinator)

    with time_machine.travel(NOW, tick=False):
        before = statistics()
    later = NOW + datetime.timedelta(minutes=10)  # older than the 300 s max age
    with time_machine.travel(later, tick=False):
        # A new incident, a closure and a reclassification after the snapshot was taken.
        incidents.submit_report(
            actor=coordinator,
            data=incidents.ReportInput(
                channel="form",
                title="Sự cố mới",
                description="Mô tả",
                detected_at=later - HOUR,
                reporter_name="Alpha",
                organization=org_a,
                category="ATTACK.MALWARE",
            ),
        )
        builder.close(world.a3, later)  # a closure
        a4 = incidents.acknowledge(actor=coordinator, incident=world.a4)
        incidents.classify(  # a reclassification: DOS -> SPOOFING
            actor=coordinator, incident=a4, category="ATTACK.SPOOFING", harms=[], exceeds_capacity=False
        )
        expected = live(settings, statistics)
        assert plain(expected) != plain(before)
        with django_capture_on_commit_callbacks() as queued:
            stale = statistics()
            again = statistics()  # the refresh is already claimed: not queued twice
        assert stale.as_of == again.as_of == NOW
        assert plain(stale) == plain(before)
        assert len(queued) == 1
        with django_capture_on_commit_callbacks(execute=True):
            queued[0]()  # the worker runs the job (immediate backend)
        refreshed = statistics()
    assert refreshed.as_of == later
    assert plain(refreshed) == plain(expected)
    assert FigureSnapshot.objects.get().refreshing_since is None


def test_the_refresh_job_is_idempotent_and_ignores_a_gone_key(kept, world, coordinator):
    with time_machine.travel(NOW, tick=False):
        build_statistics(scope=Scope.province(), period=YEAR, user=coordinator)
        key = FigureSnapshot.objects.get().key
        assert jobs.refresh_figures.call(key) == "fresh"
        assert jobs.refresh_figures.call("0" * 64) == "missing"
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        assert snapshots.claim(key, NOW + datetime.timedelta(hours=1))
        assert jobs.refresh_figures.call(key) == "refreshed"
        assert FigureSnapshot.objects.get().as_of == NOW + datetime.timedelta(hours=1)


def test_a_max_age_of_zero_counts_live_and_keeps_nothing(world, coordinator):
    with time_machine.travel(NOW, tick=False):
        stats = build_statistics(scope=Scope.province(), period=YEAR, user=coordinator)
    assert stats.as_of == NOW
    assert not FigureSnapshot.objects.exists()


def test_the_scheduler_refreshes_recently_read_snapshots_a_bounded_few_and_forgets_unread_ones(
    kept, world, coordinator, manager, org_a, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        build_statistics(scope=Scope.province(), period=YEAR, user=coordinator)
        build_statistics(scope=Scope.of(org_a), period=YEAR, user=manager)
    old = FigureSnapshot.objects.get(spec__org_ids=None)
    FigureSnapshot.objects.filter(pk=old.pk).update(read_at=NOW - datetime.timedelta(days=30))
    later = NOW + datetime.timedelta(minutes=3)  # past half the max age: refreshed before it turns stale
    with django_capture_on_commit_callbacks() as queued:
        keys = snapshots.refresh_read_recently(lambda key: key, now=later)
    assert keys == [FigureSnapshot.objects.get().key]  # the unread one is forgotten, the other queued
    assert len(queued) == 1
    assert snapshots.refresh_read_recently(lambda key: key, now=later) == []  # claimed already


def test_submitting_a_report_freezes_figures_counted_at_that_moment_not_a_stale_snapshot(
    kept, world, manager, org_a
):
    with time_machine.travel(NOW, tick=False):
        draft = builders.build_form05(scope=Scope.of(org_a), period=Period.reporting(2026, "R6"))
        report = reports.start_periodic_report(
            actor=manager, organization=org_a, kind="form05", span="half_year", year=2026, half=1
        )
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        report = reports.submit_periodic_report(actor=manager, report=report)
    assert draft.as_of == NOW
    assert datetime.datetime.fromisoformat(report.figures["as_of"]) == NOW + datetime.timedelta(hours=2)
    assert FigureSnapshot.objects.get(spec__kind="form05").as_of == NOW + datetime.timedelta(hours=2)


# --- pages and API -----------------------------------------------------------------------------------


def test_statistics_page_shows_the_figures_time_and_who_may_refresh_them(
    kept, world, client_for, manager, viewer, outsider, org_a
):
    url = reverse("reports:statistics") + f"?organization={org_a.pk}&year=2026&span=Y"
    with time_machine.travel(NOW, tick=False):
        page = client_for(manager).get(url)
        assert page.status_code == 200
        assert "10/07/2026" in page.content.decode()
        assert b'id="refresh-figures"' in page.content
        read_only = client_for(viewer).get(url)
        assert b'id="figures-as-of"' in read_only.content
        assert b'id="refresh-figures"' not in read_only.content
    later = NOW + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert client_for(viewer).post(url).status_code == 403
        # The form falls back to the outsider's own unit for an organization they do not see (as for a
        # GET): their refresh counts Beta's figures again, never Alpha's.
        client_for(outsider).post(url)
        alpha = FigureSnapshot.objects.filter(spec__org_ids=[org_a.pk])
        assert set(alpha.values_list("as_of", flat=True)) == {NOW}
        done = client_for(manager).post(url)
        assert done.status_code == 302
        assert done["Location"] == url
    manager_row = FigureSnapshot.objects.get(spec__hidden=[], spec__org_ids=[org_a.pk])
    assert manager_row.as_of == later


def test_document_pages_show_the_figures_time_and_refresh_for_the_coordinator(
    kept, world, client_for, coordinator, org_a
):
    with time_machine.travel(NOW, tick=False):
        page = client_for(coordinator).get(reverse("reports:province_report") + "?year=2026&span=H1")
        assert b'id="figures-as-of"' in page.content
        assert "Số liệu tính đến" in page.content.decode() or "Figures as of" in page.content.decode()
    with time_machine.travel(NOW + HOUR, tick=False):
        url = reverse("reports:form05") + f"?organization={org_a.pk}&year=2026&span=R6"
        assert client_for(coordinator).post(url).status_code == 302
    assert FigureSnapshot.objects.get(spec__kind="form05").as_of == NOW + HOUR


def test_statistics_api_gives_the_page_s_figures_and_their_time(kept, world, api_for, viewer, org_a):
    with time_machine.travel(NOW, tick=False):
        body = (
            api_for(viewer)
            .get("/api/v1/reports/statistics/", {"organization": org_a.pk, "year": 2026, "span": "Y"})
            .json()
        )
        page = build_statistics(scope=Scope.of(org_a), period=YEAR, user=viewer)
    assert datetime.datetime.fromisoformat(body["as_of"]) == NOW
    assert (body["total"], body["withheld"]) == (page.incidents.total, page.withheld)


def test_an_older_confidential_incident_with_a_clock_due_in_the_period_is_in_the_key(
    kept, settings, builder, world, manager, viewer, org_a
):
    late = builder.report(
        datetime.datetime(2025, 12, 31, 10, 0, tzinfo=datetime.UTC),
        "ATTACK.MALWARE",
        "Cuối năm",
        confidential=True,
    )
    begin, after = YEAR.bounds()
    assert late.deadlines.filter(due_at__gte=begin, due_at__lt=after).exists()  # its clock falls in 2026
    scope = Scope.of(org_a)
    with time_machine.travel(NOW, tick=False):
        hidden, in_period = hidden_ids(scope, viewer, YEAR)
        assert (late.pk in hidden, in_period) == (True, 1)  # hidden, but not reported in the period (A2 is)
        assert late.pk not in hidden_ids(scope, manager, YEAR)[0]  # its reporter may open it
        by_manager = build_statistics(scope=scope, period=YEAR, user=manager)
        by_viewer = build_statistics(scope=scope, period=YEAR, user=viewer)
        expected = live(settings, lambda: build_statistics(scope=scope, period=YEAR, user=viewer))
    assert plain(by_viewer) == plain(expected)
    assert by_viewer.incidents.deadlines != by_manager.incidents.deadlines


def _before_snapshots(scope: Scope, period: Period, user, now) -> tuple:
    """The statistics' figures as they were counted before snapshots: every confidential incident of the
    scope the user may not open (of any date) left out of every figure, its period's ones counted apart."""
    opened = Incident.objects.visible_to(user).filter(confidential=True).values("pk")
    hidden = scope.incidents().filter(confidential=True).exclude(pk__in=opened)
    incidents = figures.in_period(scope.incidents(), period).exclude(pk__in=hidden.values("pk"))
    grid = figures.grid(incidents, period)
    deadlines = figures.deadline_compliance(period, now, scope.org_ids, hidden=hidden)
    withheld = figures.in_period(hidden, period).count()
    return _cells(grid.cells), figures.medians(incidents, contain=True), deadlines, withheld


def _cells(cells: list[dict]) -> list[str]:
    """Grid cells in a comparable form (PostgreSQL's JSON keeps its own key order, SUM may be a Decimal)."""
    plain = ({k: v if v is None or isinstance(v, str) else int(v) for k, v in cell.items()} for cell in cells)
    return sorted(json.dumps(cell, sort_keys=True) for cell in plain)


def test_the_hidden_set_in_the_key_gives_the_figures_the_statistics_gave_before_snapshots(
    kept, builder, world, coordinator, manager, viewer, outsider, org_a, org_b
):
    builder.report(
        datetime.datetime(2025, 12, 31, 10, 0, tzinfo=datetime.UTC),
        "ATTACK.MALWARE",
        "Cuối năm",
        confidential=True,
    )
    cases = [(coordinator, None), (coordinator, org_a), (manager, org_a), (viewer, org_a), (outsider, org_b)]
    with time_machine.travel(NOW, tick=False):
        for user, organization in cases:
            scope = Scope.of(organization) if organization else Scope.province()
            for period in (YEAR, H1, Period.half(2026, 2)):
                hidden, withheld = hidden_ids(scope, user, period)
                counted = builders.count(scope, period, operators=20, contain=True, hidden=hidden)
                now = (_cells(counted.grid.cells), counted.medians, counted.deadlines, withheld)
                assert now == _before_snapshots(scope, period, user, NOW), (user, organization, period)
