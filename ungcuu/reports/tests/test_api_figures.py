"""The statistics page's figures and the consolidation through the API (issue 16 part 5): the pages' own
computations over the pages' period and scope, the pages' who-may-see rules, the pages' files."""

import csv
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from ungcuu.organizations.tests.factories import UserFactory
from ungcuu.reports import sections, services
from ungcuu.reports.api import ConsolidationSerializer, StatisticsSerializer
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db
H1 = {"year": 2026, "span": "H1"}
STATISTICS = "/api/v1/reports/statistics/"
CONSOLIDATION = "/api/v1/reports/consolidation/"


@pytest.fixture(autouse=True)
def clock():
    """September 2026: the first half is over, A7 (July) exists; the default periods follow from it."""
    with time_machine.travel(at(9, 10), tick=False):
        yield


def _page_statistics(client_for, user, query) -> dict:
    """The statistics page's own figures for `user`, in the API's shape."""
    page = client_for(user).get(reverse("reports:statistics"), query)
    assert page.status_code == 200
    return StatisticsSerializer(page.context["stats"], context={"scope": page.context["scope"]}).data


def test_statistics_are_the_pages_figures(api_for, client_for, world, coordinator, manager, org_a):
    for user, query in (
        (coordinator, H1),
        (coordinator, {**H1, "organization": org_a.pk}),
        (coordinator, {}),  # the page's default: the current year
        (manager, {"year": 2026, "span": "M", "from_month": 2, "to_month": 5}),
    ):
        answer = api_for(user).get(STATISTICS, query)
        assert answer.status_code == 200, (user, query, answer.content)
        assert answer.json() == _page_statistics(client_for, user, query), (user, query)

    province = api_for(coordinator).get(STATISTICS, H1).json()
    # A1-A6 in the first half (A7 is July's, A8 was rejected); two defacements, A1 and A2.
    assert province["organization"] is None and province["total"] == 6
    assert province["period"] == {"key": "2026-H1", "span": "H1", "start": "2026-01-01", "end": "2026-06-30"}
    assert {t["code"]: t["count"] for t in province["by_category"]}["ATTACK.DEFACEMENT"] == 2
    year = api_for(coordinator).get(STATISTICS).json()
    assert year["period"]["key"] == "2026" and year["total"] == 7
    unit = api_for(manager).get(STATISTICS, H1).json()  # a unit without `organization`: its own
    assert unit["organization"] == org_a.pk and unit["total"] == 5


def test_a_confidential_incident_is_counted_but_not_detailed_for_whom_the_page_withholds_it(
    api_for, client_for, world, viewer, manager, org_a
):
    """A2 (February, confidential) is org A's: its viewer may not open it, its manager reported it."""
    query = {**H1, "organization": org_a.pk}
    seen = api_for(viewer).get(STATISTICS, query).json()
    assert seen == _page_statistics(client_for, viewer, query)
    assert (seen["total"], seen["withheld"], seen["by_month"][1]["total"]) == (5, 1, 0)
    assert {t["code"]: t["count"] for t in seen["by_category"]}.get("ATTACK.DEFACEMENT") == 1  # A1 only
    assert sum(t["count"] for t in seen["by_severity"]) == 4
    opened = api_for(manager).get(STATISTICS, query).json()
    assert (opened["total"], opened["withheld"], opened["by_month"][1]["total"]) == (5, 0, 1)

    rows = list(
        csv.reader(
            io.StringIO(api_for(viewer).get(STATISTICS, {**query, "download": "csv"}).content.decode())
        )
    )
    assert ["Confidential, counted but not detailed", "1"] in rows
    assert ["02/2026", "0", "0", "0", "0", "0", "0"] in rows


def test_statistics_files_are_the_pages_exports(api_for, client_for, world, viewer, org_a):
    query = {**H1, "organization": org_a.pk}
    page_csv = client_for(viewer).get(reverse("reports:statistics"), {**query, "export": "csv"})
    api_csv = api_for(viewer).get(STATISTICS, {**query, "download": "csv"})
    assert api_csv.status_code == 200 and api_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert api_csv["Content-Disposition"] == 'attachment; filename="thong-ke-2026-H1-SO-ALPHA.csv"'
    assert api_csv.content == page_csv.content and b"Website defacement" in api_csv.content

    def cells(response):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return [[c.value for c in row] for sheet in book for row in sheet.iter_rows()]

    page_xlsx = client_for(viewer).get(reverse("reports:statistics"), {**query, "export": "xlsx"})
    api_xlsx = api_for(viewer).get(STATISTICS, {**query, "download": "xlsx"})
    assert api_xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in api_xlsx["Content-Disposition"]
    assert cells(api_xlsx) == cells(page_xlsx) and ["Incidents", 5] in cells(api_xlsx)


def test_statistics_follow_the_pages_scope_rules(api_for, client_for, world, outsider, org_a, org_b):
    # Another unit's organization is not among the outsider's choices: the same 400 as a missing one.
    hidden = api_for(outsider).get(STATISTICS, {**H1, "organization": org_a.pk})
    missing = api_for(outsider).get(STATISTICS, {**H1, "organization": 987654})
    assert hidden.status_code == missing.status_code == 400 and hidden.json() == missing.json()
    assert "organization" in hidden.json()
    # Without one, its own unit, as the page: Beta's A6 only, nothing of Alpha's.
    own = api_for(outsider).get(STATISTICS, H1)
    assert own.json()["organization"] == org_b.pk and own.json()["total"] == 1
    assert own.json() == _page_statistics(client_for, outsider, H1)
    assert b"Alpha" not in own.content
    # Someone with no unit and no province-wide role: 403, as the page.
    nobody = UserFactory(username="nobody")
    assert client_for(nobody).get(reverse("reports:statistics")).status_code == 403
    assert api_for(nobody).get(STATISTICS).status_code == 403


def test_a_bad_period_or_parameter_is_a_400_naming_it(api_for, world, coordinator, manager):
    client = api_for(coordinator)
    months = client.get(STATISTICS, {"year": 2026, "span": "M", "from_month": 5, "to_month": 2})
    assert months.status_code == 400
    assert months.json() == {"non_field_errors": ["Choose a first month that is not after the last month."]}
    for query in ({"year": 1999, "span": "H1"}, {"year": 2026, "span": "H3"}, {"year": "x", "span": "H1"}):
        answer = client.get(STATISTICS, query)
        assert answer.status_code == 400 and answer.json(), query
    assert "year" in client.get(STATISTICS, {"span": "H1"}).json()  # a period names its year
    unknown = client.get(STATISTICS, {**H1, "export": "csv"})  # the page's name for it: not the API's
    assert unknown.status_code == 400 and "export" in unknown.json()
    assert "download" in client.get(STATISTICS, {**H1, "download": "pdf"}).json()
    assert client.get(CONSOLIDATION, {"year": 2026, "span": "Q1"}).status_code == 400  # halves and years
    assert "organization" in client.get(CONSOLIDATION, {**H1, "organization": 1}).json()


@pytest.fixture
def submitted(world, org_a, manager):
    """Alpha's progress report for the first half and its form 05 (half-year), sent in July."""
    with time_machine.travel(at(7, 10), tick=False):
        sent = []
        for kind in ("progress", "form05"):
            draft = services.start_periodic_report(
                actor=manager, organization=org_a, kind=kind, span="half_year", year=2026, half=1
            )
            sent.append(services.submit_periodic_report(actor=manager, report=draft))
        return sent


def test_consolidation_is_the_pages(api_for, client_for, submitted, coordinator, national, org_a):
    progress, form05 = submitted
    for user, query in ((coordinator, H1), (coordinator, {}), (national, {"year": 2026, "span": "Y"})):
        page = client_for(user).get(reverse("reports:consolidation"), query)
        period = page.context["period"]
        shown = sections.Consolidation(
            period, sections.form05_period(period), page.context["units"], page.context["form05s"]
        )
        answer = api_for(user).get(CONSOLIDATION, query)
        assert answer.status_code == 200 and answer.json() == ConsolidationSerializer(shown).data, query

    body = api_for(coordinator).get(CONSOLIDATION).json()  # the last complete half: H1 2026
    assert body["period"]["key"] == "2026-H1" and body["form05_period"]["key"] == "2026-R6"
    assert (body["expected"], body["submitted"], body["accepted"]) == (2, 1, 0)
    alpha = next(row for row in body["units"] if row["organization_id"] == org_a.pk)
    assert (alpha["status"], alpha["report_id"], alpha["total"]) == ("submitted", progress.pk, 5)
    assert [r["id"] for r in body["form05_reports"]] == [form05.pk]


def test_consolidation_is_the_province_wide_users_as_the_page(
    api_for, client_for, submitted, manager, viewer, outsider
):
    for user in (manager, viewer, outsider):
        assert client_for(user).get(reverse("reports:consolidation")).status_code == 403
        assert api_for(user).get(CONSOLIDATION).status_code == 403


def test_figures_need_the_read_scope(api_for, world, coordinator):
    for url in (STATISTICS, CONSOLIDATION):
        assert api_for(coordinator, scopes=["report", "coordinate"]).get(url).status_code == 403, url
        assert api_for(coordinator, scopes=["read"]).get(url).status_code == 200, url
        assert api_for(None).get(url).status_code in (401, 403), url
