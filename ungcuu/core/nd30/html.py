"""A `Paper` as HTML: the preview the browser shows and the page WeasyPrint prints (same template)."""

from __future__ import annotations

import base64
from typing import Any

from ungcuu.core.nd30 import templates
from ungcuu.core.nd30.model import Chart, Fields, Grid, Heading, Paper, Para


def _kind(block) -> str:
    return {Heading: "heading", Para: "para", Fields: "fields", Grid: "grid", Chart: "chart"}[type(block)]


def blocks_context(paper: Paper) -> list[dict]:
    out = []
    for block in paper.blocks:
        item: dict[str, Any] = {"kind": _kind(block), "block": block}
        if isinstance(block, Chart):
            item["src"] = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        if isinstance(block, Grid):
            item["rows"] = [
                [(value, index in block.numeric) for index, value in enumerate(row)] for row in block.rows
            ]
            item["widths"] = [f"{w * 100:.1f}" for w in block.widths]  # not localised ("25,0")
        out.append(item)
    return out


def body_html(paper: Paper, *, csp_nonce: str = "") -> str:
    """The document inside the preview page (style included)."""
    context = {"paper": paper, "head": paper.head, "blocks": blocks_context(paper), "csp_nonce": csp_nonce}
    return templates.engine().get_template("nd30/paper.html").render(_context(context))


def render_html(paper: Paper) -> str:
    """A standalone page with the print rules (A4, margins, page numbers from page 2)."""
    context = {"paper": paper, "head": paper.head, "blocks": blocks_context(paper)}
    return templates.engine().get_template("nd30/document.html").render(_context(context))


def _context(values: dict):
    from django.template import Context

    return Context(values, autoescape=True)
