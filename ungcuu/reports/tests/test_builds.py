"""Documents prepared in the background: the job writes and stores the file, the fragment shows each state,
asking twice reuses the build, and a build reaches only its requester while they may still read the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ungcuu.audit.models import AuditEvent
from ungcuu.organizations.models import Membership
from ungcuu.reports import builds, documents, responses, services
from ungcuu.reports.models import DocumentBuild
from ungcuu.reports.tests.world import at

pytestmark = pytest.mark.django_db

PROVINCE = "/reports/province/?year=2026&span=H1"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path, monkeypatch):
    """Files under a temporary folder; documents without charts (drawing them is the renderers' tests'
    business, and seconds here)."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "charts_for", lambda kind, figures: {})


@pytest.fixture
def fake_pdf(monkeypatch):
    """A PDF renderer that answers at once, for the tests about who gets the file rather than what it says."""
    monkeypatch.setitem(responses.FORMATS, "pdf", ("application/pdf", lambda document: b"%PDF-1.7 fake"))


@pytest.fixture
def report(org_a, manager):
    with time_machine.travel(at(7, 5), tick=False):
        return services.start_periodic_report(
            actor=manager, organization=org_a, kind="progress", span="half_year", year=2026, half=1
        )


def prepare(client, page: str, fmt: str = "pdf"):
    return client.post(reverse("reports:build_prepare"), {"page": page, "format": fmt}, **HTMX)


def test_province_page_offers_to_prepare_its_pdf_and_links_its_spreadsheet(client_for, coordinator):
    text = client_for(coordinator).get(reverse("reports:province_report"), {"year": 2026, "span": "H1"})
    text = text.content.decode()

    assert 'id="build-pdf"' in text and "Prepare PDF" in text and "download=pdf" not in text
    assert "download=xlsx" in text


def test_form05_keeps_its_direct_pdf_link(client_for, coordinator):
    text = client_for(coordinator).get(reverse("reports:form05")).content.decode()

    assert 'id="build-pdf"' not in text and "download=pdf" in text


def test_prepared_pdf_is_built_stored_and_downloaded(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        asked = prepare(client, PROVINCE)
    build = DocumentBuild.objects.get()

    assert asked.status_code == 200 and 'data-state="working"' in asked.content.decode()
    assert 'hx-trigger="every 1s"' in asked.content.decode()  # the page polls until it is ready
    assert build.state == DocumentBuild.State.READY and build.requested_by == coordinator
    assert build.filename == "baocao-tinh-2026-H1.pdf" and build.file.read().startswith(b"%PDF")
    ready = client.get(reverse("reports:build", args=[build.pk]), **HTMX).content.decode()
    assert 'data-state="ready"' in ready and "every 1s" not in ready
    assert reverse("reports:build_download", args=[build.pk]) in ready
    download = client.get(reverse("reports:build_download", args=[build.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"] == 'attachment; filename="baocao-tinh-2026-H1.pdf"'
    recorded = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (recorded.actor, recorded.target_id, recorded.view_name) == (
        coordinator,
        str(build.pk),
        "reports:build_download",
    )


def test_a_newer_file_replaces_the_older_one(fake_pdf, client_for, coordinator):
    first = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")
    builds.run_build(first.pk)
    second = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")
    builds.run_build(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()

    assert not first.file and second.file  # the row stays for the audit trail, the file is gone
    client = client_for(coordinator)
    assert client.get(reverse("reports:build_download", args=[first.pk])).status_code == 404
    assert client.get(reverse("reports:build_download", args=[second.pk])).status_code == 200


def test_asking_twice_while_it_runs_reuses_the_build(fake_pdf, client_for, coordinator):
    client = client_for(coordinator)
    first, second = prepare(client, PROVINCE), prepare(client, PROVINCE)  # the queue has not run it yet

    assert first.status_code == second.status_code == 200
    assert DocumentBuild.objects.count() == 1


def test_a_build_is_its_requesters_alone(fake_pdf, client_for, coordinator, national, outsider):
    build = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")
    builds.run_build(build.pk)

    for other in (national, outsider):  # national may read the province report, but this file is not theirs
        client = client_for(other)
        assert client.get(reverse("reports:build", args=[build.pk])).status_code == 404
        assert client.get(reverse("reports:build_download", args=[build.pk])).status_code == 404


def test_outsider_cannot_prepare_another_organizations_report(client_for, outsider, viewer, report):
    page = reverse("reports:periodic_detail", args=[report.pk])

    assert prepare(client_for(outsider), page).status_code == 404
    assert prepare(client_for(viewer), PROVINCE).status_code == 403  # the province report is coordinators'
    assert not DocumentBuild.objects.exists()


def test_download_asks_the_pages_gate_again(fake_pdf, client_for, manager, report, org_a):
    build = services.request_document_build(
        actor=manager, page=reverse("reports:periodic_detail", args=[report.pk]), fmt="pdf"
    )
    builds.run_build(build.pk)
    url = reverse("reports:build_download", args=[build.pk])
    assert client_for(manager).get(url).status_code == 200

    Membership.objects.filter(user=manager, organization=org_a).delete()  # no longer in org A

    assert client_for(manager).get(url).status_code == 404


def test_failed_build_says_so_in_vietnamese_and_offers_a_retry(
    fake_pdf, client_for, coordinator, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    build = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")
    working = builds.ask_page
    monkeypatch.setattr(builds, "ask_page", broken)
    assert builds.run_build(build.pk) == DocumentBuild.State.FAILED

    client = client_for(coordinator, language="vi")
    text = client.get(reverse("reports:build", args=[build.pk]), **HTMX).content.decode()
    assert 'data-state="failed"' in text and "Không chuẩn bị được tệp PDF" in text and "Thử lại" in text
    assert client.get(reverse("reports:build_download", args=[build.pk])).status_code == 404
    monkeypatch.setattr(builds, "ask_page", working)
    assert prepare(client, PROVINCE).status_code == 200 and DocumentBuild.objects.count() == 2


def test_a_build_waiting_too_long_is_taken_for_lost(client_for, coordinator):
    build = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")
    later = timezone.now() + DocumentBuild.STALE_AFTER + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        text = client_for(coordinator).get(reverse("reports:build", args=[build.pk])).content.decode()
        again = services.request_document_build(actor=coordinator, page=PROVINCE, fmt="pdf")

    assert 'data-state="failed"' in text and again.pk != build.pk


def test_prepare_refuses_what_is_not_a_document_page(client_for, coordinator):
    client = client_for(coordinator)

    assert prepare(client, "/admin/").status_code == 400
    assert prepare(client, "/reports/form05/").status_code == 404  # fast documents are not prepared
    assert prepare(client, PROVINCE, fmt="exe").status_code == 400
    assert not DocumentBuild.objects.exists()
