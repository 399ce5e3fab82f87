"""PDFs and charts rendered in the render process (ungcuu.core.apart) are the ones the web process used to
render itself; a render that fails or a render process that dies gives a clear error and no file, and the
next render works; a web process that renders apart never imports WeasyPrint or matplotlib."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from ungcuu.core import apart
from ungcuu.core.nd30 import pdf as nd30_pdf
from ungcuu.reports import builds, documents, services
from ungcuu.reports.access import Scope
from ungcuu.reports.builders import MonthRow, Tally
from ungcuu.reports.models import DocumentBuild
from ungcuu.reports.render import charts
from ungcuu.reports.tests.test_render import pdf_lines

pytestmark = pytest.mark.django_db

PROVINCE_PDF = "/reports/province/?year=2026&span=H1&download=pdf"


@pytest.fixture(scope="module", autouse=True)
def _one_render_process():
    """One fork server for the module (it imports WeasyPrint and matplotlib: seconds), ended after it."""
    yield
    apart.shutdown()


@pytest.fixture
def apart_on(settings):
    settings.RENDER_APART = True
    return settings


def boom(message: str) -> None:
    raise ValueError(message)


def die(*args) -> None:
    """A render process killed mid-render (out of memory, a crash in a C library)."""
    os._exit(9)


def test_a_pdf_printed_apart_reads_as_the_one_printed_here(world, h1, settings):
    paper = documents.form05_document(Scope.province(), h1).paper
    here = nd30_pdf.render_pdf(paper)
    settings.RENDER_APART = True
    there = nd30_pdf.render_pdf(paper)

    assert there.startswith(b"%PDF") and pdf_lines(there) == pdf_lines(here)
    assert "Tổng cộng 5 0 2 1 2 25.000.000" in pdf_lines(there)


def test_a_chart_drawn_apart_is_the_same_picture_in_the_same_language(settings):
    months = [MonthRow("01/2026", 3, 2, 1, 0, 0, 0), MonthRow("02/2026", 5, 0, 3, 1, 0, 1)]
    tallies = [Tally("a", "Tấn công từ chối dịch vụ", 4), Tally("b", "Mã độc", 2)]
    with translation.override("vi"):
        here = [charts.months_chart(months), charts.bars_chart(tallies, "Sự cố theo loại")]
        settings.RENDER_APART = True
        there = [
            apart.run(charts.draw_in, "vi", charts.months_chart, (months,)),
            apart.run(charts.draw_in, "vi", charts.bars_chart, (tallies, "Sự cố theo loại")),
        ]
    assert there == here
    with translation.override("en"):  # the language travels with the chart, not with the process
        assert apart.run(charts.draw_in, "en", charts.months_chart, (months,)) != there[0]


def test_a_render_that_raises_apart_says_which_and_why(apart_on):
    with pytest.raises(
        apart.RenderFailed, match=r"boom failed in the render process: ValueError\('no fonts'\)"
    ):
        apart.run(boom, "no fonts")
    assert apart.run(os.getpid) != os.getpid()  # the render process is still there for the next one


def test_a_render_process_that_dies_is_replaced(apart_on):
    with pytest.raises(apart.RenderFailed, match="the render process died"):
        apart.run(die)
    assert apart.run(os.getpid) != os.getpid()


def test_a_download_whose_render_fails_answers_503_and_no_file(
    apart_on, client_for, coordinator, monkeypatch
):
    monkeypatch.setattr(nd30_pdf, "print_pdf", die)  # the render process dies at the first page
    response = client_for(coordinator, language="vi").get(PROVINCE_PDF)

    assert response.status_code == 503 and "Content-Disposition" not in response
    assert "Không tạo được tệp tài liệu" in response.content.decode()


def test_a_background_build_whose_render_dies_fails_without_a_file(
    apart_on, coordinator, monkeypatch, tmp_path
):
    apart_on.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "charts_for", lambda kind, figures: {})
    monkeypatch.setattr(nd30_pdf, "print_pdf", die)
    build = services.request_document_build(
        actor=coordinator, page=PROVINCE_PDF.split("&download")[0], fmt="pdf"
    )

    assert builds.run_build(build.pk) == DocumentBuild.State.FAILED
    build.refresh_from_db()
    assert not build.file and not any(Path(tmp_path).rglob("*.pdf"))


def test_a_web_process_rendering_apart_never_imports_the_libraries():
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ungcuu.settings')\n"
        "django.setup()\n"
        "from ungcuu.core import apart\n"
        "from ungcuu.core.nd30 import pdf\n"
        "from ungcuu.reports.builders import Tally\n"
        "from ungcuu.reports.render import charts\n"
        "assert pdf.render_pdf.__module__ and apart.enabled()\n"
        "printed = apart.run(pdf.print_pdf, '<p>Ứng cứu sự cố</p>')\n"
        "drawn = apart.run(charts.draw_in, 'vi', charts.bars_chart, ([Tally('a', 'Mã độc', 1)], 'Sự cố'))\n"
        "loaded = [name in sys.modules for name in ('weasyprint', 'matplotlib')]\n"
        "print(printed[:5].decode(), drawn[1:4].decode(), *loaded)\n"
        "apart.shutdown()\n"
    )
    env = {**os.environ, "UNGCUU_RENDER_APART": "1", "DJANGO_SETTINGS_MODULE": "ungcuu.settings"}
    env.setdefault("UNGCUU_DEMO", "1")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, check=True,
        cwd=django_settings.BASE_DIR,
    )  # fmt: skip
    assert out.stdout.split() == ["%PDF-", "PNG", "False", "False"], out.stderr
