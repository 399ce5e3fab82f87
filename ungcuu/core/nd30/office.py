"""Documents as a reader's office suite shows them, for the rendering tests: DOCX -> PDF by LibreOffice
headless (installed by scripts/ensure-system-packages), read back with poppler's pdftotext -layout.

`check_papers` returns, per paper, the problems a reader would see: the header's lines wrapped (the motto,
"Độc lập - Tự do - Hạnh phúc" and the place-and-date line must each be whole on one line), page numbers
missing from page 2 on or present on page 1, too many pages, required texts absent, template tags left.
With DOCS_SHOTS=<dir> in the environment the pages are also written there as PNG images to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ungcuu.core.nd30.docx import render_docx
from ungcuu.core.nd30.model import MOTTO, NATION, Paper


class ToolMissing(RuntimeError):
    pass


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is missing: run scripts/ensure-system-packages as root")
    return path


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass
class Rendered:
    name: str
    pages: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(page.split()) for page in self.pages)


def to_pdfs(papers: dict[str, Paper], folder: Path) -> dict[str, Path]:
    """One LibreOffice run converts every document (it starts once: a few seconds)."""
    files = []
    for name, paper in papers.items():
        path = folder / f"{name}.docx"
        path.write_bytes(render_docx(paper))
        files.append(str(path))
    profile = (folder / "lo-profile").as_uri()
    command = [tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(folder), *files], check=True, capture_output=True, timeout=300)
    return {name: folder / f"{name}.pdf" for name in papers}


def pdf_pages(pdf: Path) -> list[str]:
    command = [tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, check=True).stdout.decode()
    return [nfc(page) for page in text.split("\f") if page.strip()]


def problems(paper: Paper, pages: list[str], *, max_pages: int, required: list[str]) -> list[str]:
    found = []
    first = [" ".join(line.split()) for line in pages[0].splitlines()] if pages else []
    if not 1 <= len(pages) <= max_pages:
        found.append(f"{len(pages)} pages (at most {max_pages})")
    for line in (NATION, MOTTO, paper.head.place_date, *paper.head.issuer_lines):
        if not any(nfc(line) in row for row in first):
            found.append(f"header line wrapped or missing: {line!r}")
    if first and first[0].strip().isdigit():
        found.append("a page number on page 1")
    for number, page in enumerate(pages[1:], start=2):
        if page.strip().splitlines()[0].strip() != str(number):
            found.append(f"no page number on page {number}")
    whole = " ".join(" ".join(page.split()) for page in pages)
    found += [f"missing: {text!r}" for text in required if nfc(text) not in whole]
    if "{{" in whole or "{%" in whole:
        found.append("template tags left in the text")
    return found


def check_papers(
    papers: dict[str, Paper], folder: Path, *, max_pages: dict[str, int], required: dict[str, list[str]]
) -> list[Rendered]:
    out = []
    shots = os.environ.get("DOCS_SHOTS")
    for name, pdf in to_pdfs(papers, folder).items():
        pages = pdf_pages(pdf)
        out.append(
            Rendered(
                name,
                pages,
                problems(
                    papers[name], pages, max_pages=max_pages.get(name, 10), required=required.get(name, [])
                ),
            )
        )
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            subprocess.run([tool("pdftoppm"), "-png", "-r", "70", str(pdf), f"{shots}/{name}"], check=True)
    return out
