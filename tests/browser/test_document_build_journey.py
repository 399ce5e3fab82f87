"""A slow document prepared in the background, in Debian's chromium against the live server (issue 14).

The coordinator opens the province's report, clicks "Prepare PDF" and sees it being prepared while the
page stays usable; the queue's worker (here: the test, running the job as the worker would) writes the
file, the polled fragment turns into the download link, and the downloaded file is the PDF.
"""

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from ungcuu.reports import builds
from ungcuu.reports.models import DocumentBuild

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/shots-docbuild")


def _vi(text: str, **values) -> str:
    with translation.override("vi"):
        return translation.gettext(text) % values if values else translation.gettext(text)


def test_coordinator_prepares_the_province_pdf_and_downloads_it(new_context, coordinator, settings, tmp_path):
    # A real queue (django-tasks-db): the job waits until the worker runs it, so the page shows progress.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(exist_ok=True)
    page = log_in(new_context(), coordinator)
    page.goto("/reports/province/?year=2026&span=H1")

    page.locator("#build-pdf button").click()
    working = page.locator('#build-pdf[data-state="working"]')
    expect(working).to_contain_text(_vi("Preparing the %(name)s…", name="PDF"))
    page.screenshot(path=SHOTS / "build-1-preparing.png", full_page=False)

    builds.run_build(DocumentBuild.objects.get().pk)  # what the worker does with the queued job

    link = page.locator('#build-pdf[data-state="ready"] a')
    expect(link).to_have_text(_vi("Download %(name)s", name="PDF"), timeout=10_000)
    page.screenshot(path=SHOTS / "build-2-ready.png", full_page=False)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "baocao-tinh-2026-H1.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
