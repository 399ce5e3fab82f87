"""Printed PDFs kept by the hash of their HTML: the same content is sent again without a second layout,
changed content is laid out anew, a file is kept whole or not at all, and only the newest are kept."""

import os

import pytest

from ungcuu.core.nd30 import pdf as nd30_pdf
from ungcuu.reports import documents
from ungcuu.reports.access import Scope
from ungcuu.reports.tests.test_render import pdf_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(settings, tmp_path, monkeypatch):
    """The PDF cache in tmp_path; the layouts asked of WeasyPrint, by the HTML's first bytes."""
    settings.PDF_CACHE_DIR = tmp_path
    calls = []
    real = nd30_pdf.print_pdf

    def counting(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(nd30_pdf, "print_pdf", counting)
    return calls


def test_the_same_document_is_laid_out_once(printed, world, h1, tmp_path):
    paper = documents.form05_document(Scope.province(), h1).paper
    first = nd30_pdf.render_pdf(paper)
    again = nd30_pdf.render_pdf(documents.form05_document(Scope.province(), h1).paper)

    assert len(printed) == 1 and again == first
    assert "Tổng cộng 5 0 2 1 2 25.000.000" in pdf_lines(again)
    assert [p.suffix for p in tmp_path.iterdir()] == [".pdf"]  # no temporary file left behind


def test_changed_content_is_laid_out_again(printed, world, h1, org_a):
    province = nd30_pdf.render_pdf(documents.form05_document(Scope.province(), h1).paper)
    unit = nd30_pdf.render_pdf(documents.form05_document(Scope.of(org_a), h1).paper)

    assert len(printed) == 2 and unit != province


def test_a_failed_write_leaves_no_partial_file_and_still_answers(printed, world, h1, tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nd30_pdf.os, "replace", full_disk)
    content = nd30_pdf.render_pdf(documents.form05_document(Scope.province(), h1).paper)

    assert content.startswith(b"%PDF") and not list(tmp_path.glob("*.pdf"))


def test_only_the_newest_files_are_kept(printed, settings, tmp_path):
    settings.PDF_CACHE_FILES = 2
    for n in range(3):  # kept (or last sent) at times 1000, 2000, 3000
        (tmp_path / f"{n}.pdf").write_bytes(b"%PDF")
        os.utime(tmp_path / f"{n}.pdf", (1000 * (n + 1), 1000 * (n + 1)))
    nd30_pdf._keep(tmp_path / "3.pdf", b"%PDF")
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["2.pdf", "3.pdf"]
