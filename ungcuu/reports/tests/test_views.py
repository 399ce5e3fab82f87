"""Reports pages: every endpoint with the outsider (404 or only its own figures) and the read-only viewer
(403 on every change, and nothing changed); downloads are the right files; the province is coordinators'."""

import csv
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from ungcuu.reports import services
from ungcuu.reports.models import IncidentDamage, PeriodicReport, PeriodicReportEvent
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db

H1 = {"year": 2026, "span": "H1"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def draft(org_a, manager):
    with time_machine.travel(at(7, 5), tick=False):
        return services.start_periodic_report(
            actor=manager, organization=org_a, kind="progress", span="half_year", year=2026, half=1
        )


@pytest.fixture
def submitted(draft, manager):
    # A fixed clock: the submission date is printed on the pages (a date once matched "1/2" by chance).
    with time_machine.travel(at(7, 10), tick=False):
        return services.submit_periodic_report(actor=manager, report=draft)


def state():
    """What a refused request must leave untouched."""
    return (
        list(PeriodicReport.objects.values_list("pk", "status", "narrative", "decision_note")),
        PeriodicReportEvent.objects.count(),
        list(IncidentDamage.objects.values_list("incident_id", "amount_vnd")),
    )


def test_index_offers_a_units_documents_and_the_provinces_to_coordinators(
    client_for, manager, coordinator, org_a
):
    unit = client_for(manager).get(reverse("reports:index")).content.decode()
    province = client_for(coordinator).get(reverse("reports:index")).content.decode()

    assert reverse("reports:form01", args=[org_a.pk]) in unit and "Start a periodic report" in unit
    assert reverse("reports:province_report") not in unit and reverse("reports:consolidation") not in unit
    assert reverse("reports:province_report") in province and reverse("reports:bulletin") in province


R6 = {"year": 2026, "span": "R6"}  # form 05's half-year report, with its cut-offs


def test_form05_preview_of_a_unit_and_its_downloads(client_for, world, manager):
    client = client_for(manager)
    page = client.get(reverse("reports:form05"), R6)
    text = page.content.decode()

    assert page.status_code == 200 and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Sở Thử nghiệm Alpha".upper() in text and world.a1.reference in text  # the damage table
    pdf = client.get(reverse("reports:form05"), {**R6, "download": "pdf"})
    word = client.get(reverse("reports:form05"), {**R6, "download": "docx"})
    sheet = client.get(reverse("reports:form05"), {**R6, "download": "xlsx"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="mau05-2026-R6-SO-ALPHA.pdf"'
    assert word["Content-Type"] == DOCX and word.content.startswith(b"PK")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).worksheets[1].iter_rows(values_only=True))
    assert rows[-1][1:3] == ("Tổng cộng", 4)  # org A's attacks from 15/12/2025 to 14/06/2026 (TT20 Art. 6)


def test_outsider_sees_only_its_own_organization_in_scoped_documents(client_for, world, outsider, org_a):
    client = client_for(outsider)
    for name in ("reports:form05", "reports:unit_report", "reports:statistics"):
        page = client.get(reverse(name), {**H1, "organization": org_a.pk})
        assert page.status_code == 200, name
        assert "Alpha" not in page.content.decode() and "ALPHA" not in page.content.decode(), name


def test_province_documents_are_for_coordinators_and_the_national_coordinator(
    client_for, world, manager, viewer, coordinator, national
):
    for name in ("reports:province_report", "reports:bulletin", "reports:consolidation"):
        for user in (manager, viewer):
            assert client_for(user).get(reverse(name), H1).status_code == 403, name
        assert client_for(coordinator).get(reverse(name), H1).status_code == 200, name
        assert client_for(national).get(reverse(name), H1).status_code == 200, name


def test_national_coordinator_reads_form05_of_the_province(client_for, world, national):
    page = client_for(national).get(reverse("reports:form05"), {**H1, "download": "pdf"})

    assert page.status_code == 200 and page.content.startswith(b"%PDF")


def test_profile_and_incident_forms_follow_the_gates(client_for, world, org_a, viewer, outsider):
    pages = [
        reverse("reports:form01", args=[org_a.pk]),
        reverse("reports:form02", args=[org_a.pk]),
        reverse("reports:form03", args=[world.a1.pk]),
        reverse("reports:form04", args=[world.a1.pk]),
    ]
    for url in pages:
        assert client_for(viewer).get(url).status_code == 200, url
        assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(outsider).get(url, {"download": "pdf"}).status_code == 404, url
    # A confidential incident's forms reach only its reporter and handlers.
    assert client_for(viewer).get(reverse("reports:form03", args=[world.a2.pk])).status_code == 404


def test_form04_before_the_closing_report_says_so(client_for, world, manager):
    page = client_for(manager).get(reverse("reports:form04", args=[world.a4.pk]))

    assert page.status_code == 200 and "has not been submitted yet" in page.content.decode()


def test_statistics_page_and_exports(client_for, world, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("reports:statistics"), H1)
    csv = client.get(reverse("reports:statistics"), {**H1, "export": "csv"})
    sheet = client.get(reverse("reports:statistics"), {**H1, "export": "xlsx"})

    assert page.status_code == 200 and 'id="stat-total">6<' in page.content.decode()
    assert world.a1.title not in page.content.decode()  # counts only, never an incident
    assert csv["Content-Type"].startswith("text/csv") and b'"Website defacement",2' in csv.content
    assert openpyxl.load_workbook(io.BytesIO(sheet.content)).worksheets[0]["B2"].value == 6


def test_unit_starts_edits_and_submits_its_report_through_the_pages(client_for, world, manager, org_a):
    client = client_for(manager)
    with time_machine.travel(at(7, 5), tick=True):
        created = client.post(
            reverse("reports:periodic_create"),
            {"organization": org_a.pk, "kind": "progress", "span": "half_year", "year": 2026, "half": 1},
        )
    report = PeriodicReport.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "reports:periodic_edit", args=[report.pk]
    )
    client.post(reverse("reports:periodic_edit", args=[report.pk]), {"narrative": "Đã xử lý 5 sự cố."})
    page = client.get(reverse("reports:periodic_detail", args=[report.pk])).content.decode()
    assert "Đã xử lý 5 sự cố." in page and 'id="submit-form"' in page
    response = client.post(reverse("reports:periodic_submit", args=[report.pk]))
    assert response.status_code == 302 and PeriodicReport.objects.get().status == "submitted"
    again = client.post(reverse("reports:periodic_submit", args=[report.pk]))
    assert again.status_code == 409


def test_create_form_refuses_a_bad_period_and_an_organization_seen_but_not_ones_own(
    client_for, manager, coordinator, org_a
):
    bad = client_for(manager).post(
        reverse("reports:periodic_create"),
        {"organization": org_a.pk, "kind": "progress", "span": "half_year", "year": 2026},
    )
    assert bad.status_code == 400 and "first or the second half" in bad.content.decode()
    seen = client_for(coordinator).post(
        reverse("reports:periodic_create"),
        {"organization": org_a.pk, "kind": "progress", "span": "annual", "year": 2026},
    )
    assert seen.status_code == 403 and not PeriodicReport.objects.exists()


def test_viewer_reads_the_report_but_every_change_is_refused(client_for, submitted, viewer, world):
    client, before = client_for(viewer), state()
    assert client.get(reverse("reports:periodic_detail", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("reports:periodic_list")).status_code == 200
    for name, data in (
        ("reports:periodic_edit", {"narrative": "x"}),
        ("reports:periodic_submit", {}),
        ("reports:periodic_accept", {"note": "x"}),
        ("reports:periodic_return", {"reason": "x"}),
    ):
        assert client.post(reverse(name, args=[submitted.pk]), data).status_code == 403, name
    assert client.get(reverse("reports:periodic_create")).status_code == 403
    assert client.post(reverse("reports:damage", args=[world.a1.pk]), {"amount_vnd": 9}).status_code == 403
    assert client.get(reverse("reports:damage", args=[world.a1.pk])).status_code == 403
    assert state() == before


def test_outsider_gets_404_on_every_report_of_org_a_and_nothing_changes(
    client_for, submitted, outsider, world
):
    client, before = client_for(outsider), state()
    for name in ("reports:periodic_detail", "reports:periodic_edit"):
        assert client.get(reverse(name, args=[submitted.pk])).status_code == 404, name
    for name in (
        "reports:periodic_edit",
        "reports:periodic_submit",
        "reports:periodic_accept",
        "reports:periodic_return",
    ):
        assert client.post(reverse(name, args=[submitted.pk]), {"reason": "x"}).status_code == 404, name
    assert client.get(reverse("reports:damage", args=[world.a1.pk])).status_code == 404
    assert client.post(reverse("reports:damage", args=[world.a1.pk]), {"amount_vnd": 1}).status_code == 404
    assert b"Alpha" not in client.get(reverse("reports:periodic_list")).content
    assert state() == before


def test_coordinator_consolidates_accepts_and_returns_to_the_page_it_came_from(
    client_for, submitted, coordinator, org_b
):
    client = client_for(coordinator)
    page = client.get(reverse("reports:consolidation"), {"year": 2026, "span": "H1"}).content.decode()
    # Alpha sent its report on 10/07, Beta has not: one of the two operating units reported.
    assert reverse("reports:periodic_detail", args=[submitted.pk]) in page and "10/07/2026" in page
    assert '<span class="num">1/2</span>' in page

    back = reverse("reports:consolidation") + "?year=2026&span=H1"
    response = client.post(
        reverse("reports:periodic_accept", args=[submitted.pk]), {"note": "", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert PeriodicReport.objects.get().status == "accepted"
    elsewhere = client.post(reverse("reports:periodic_return", args=[submitted.pk]), {"reason": "x"})
    assert elsewhere.status_code == 409


def test_return_without_a_reason_is_a_400_with_the_form(client_for, submitted, coordinator):
    response = client_for(coordinator).post(
        reverse("reports:periodic_return", args=[submitted.pk]), {"reason": ""}
    )

    assert response.status_code == 400 and PeriodicReport.objects.get().status == "submitted"


def test_damage_form_records_and_goes_back(client_for, world, responder):
    client = client_for(responder)
    url = reverse("reports:damage", args=[world.a3.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"amount_vnd": "-5"})
    assert bad.status_code == 400
    back = reverse("reports:form05") + "?year=2026&span=H1"
    ok = client.post(url, {"amount_vnd": "30000000", "foreign_help": "on", "foreign_helpers": "Kaspersky Lab",
                           "next": back})  # fmt: skip
    assert ok.status_code == 302 and ok["Location"] == back
    assert IncidentDamage.objects.get(incident=world.a3).amount_vnd == 30_000_000


def test_periodic_list_filters_by_status_with_an_htmx_fragment(client_for, submitted, manager):
    fragment = client_for(manager).get(
        reverse("reports:periodic_list"), {"status": "submitted"}, headers={"HX-Request": "true"}
    )
    text = fragment.content.decode()
    assert "<html" not in text and reverse("reports:periodic_detail", args=[submitted.pk]) in text
    empty = client_for(manager).get(reverse("reports:periodic_list"), {"status": "accepted"}).content.decode()
    assert reverse("reports:periodic_detail", args=[submitted.pk]) not in empty


def test_submitted_report_downloads_its_frozen_figures(client_for, submitted, coordinator):
    response = client_for(coordinator).get(
        reverse("reports:periodic_detail", args=[submitted.pk]), {"download": "docx"}
    )

    assert response.status_code == 200 and response["Content-Type"] == DOCX


def test_a_unit_asking_without_an_organization_gets_its_own_for_the_period_asked(client_for, world, manager):
    page = client_for(manager).get(reverse("reports:statistics"), H1)

    assert page.context["stats"].period.span == "H1" and page.context["scope"].organization.code == "SO-ALPHA"


def test_links_other_pages_include(world, rf, viewer, coordinator, org_a):
    from django.template import Context, Template

    template = Template(
        "{% load report_tags %}{% incident_report_links incident %}{% organization_report_links org %}"
    )
    for user, damage in ((viewer, False), (coordinator, True)):
        request = rf.get("/")
        request.user = user
        html = template.render(Context({"request": request, "incident": world.a1, "org": org_a}))
        assert reverse("reports:form03", args=[world.a1.pk]) in html
        assert reverse("reports:form04", args=[world.a1.pk]) in html  # A1 is closed
        assert (reverse("reports:damage", args=[world.a1.pk]) in html) is damage
        assert reverse("reports:form01", args=[org_a.pk]) in html


def test_statistics_count_a_confidential_incident_but_detail_it_only_for_those_who_open_it(
    client_for, world, viewer, manager, outsider, org_a
):
    """Issue 10, leak 8: a unit's viewer saw the month, type and clocks of A2, the unit's one confidential
    incident of February, in the statistics and their exports. Counted, never detailed."""
    query = {**H1, "organization": org_a.pk}
    url = reverse("reports:statistics")

    def february(user):
        stats = client_for(user).get(url, query).context["stats"]
        return (
            stats.incidents.total,
            getattr(stats, "withheld", 0),
            [m.total for m in stats.incidents.by_month][1],
        )

    assert february(viewer) == (5, 1, 0)  # A1-A5 counted; A2 withheld from February and every figure
    assert february(manager) == (5, 0, 1)  # the manager reported A2 and may open it
    rows = list(
        csv.reader(io.StringIO(client_for(viewer).get(url, {**query, "export": "csv"}).content.decode()))
    )
    assert ["Confidential, counted but not detailed", "1"] in rows and [
        "02/2026",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ] in rows
    by_type = client_for(viewer).get(url, {**query, "export": "xlsx"})
    values = [
        c.value for s in openpyxl.load_workbook(io.BytesIO(by_type.content)) for r in s.iter_rows() for c in r
    ]
    assert "Website defacement" in values and values[values.index("Website defacement") + 1] == 1  # A1 only
    by_severity = client_for(viewer).get(url, query).context["stats"].by_severity
    assert sum(t.count for t in by_severity) == 4
    assert client_for(outsider).get(url, query).context["stats"].withheld == 0  # its own unit, not org A
