"""Charts as PNG bytes (matplotlib's Agg canvas, no display), shared by the preview, the PDF and the DOCX.

`Figure` objects are used directly rather than pyplot, so rendering holds no global state and is safe
from concurrent requests. DejaVu Sans, which matplotlib ships, has every Vietnamese glyph. Charts are drawn
in the render process (`ungcuu.core.apart`), so a web worker does not import matplotlib (issue 18).
"""

from __future__ import annotations

import base64
import hashlib
import io
import textwrap
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ungcuu.core import apart
from ungcuu.reports.builders import DeadlineRow, MonthRow, Tally, group_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

GROUP_COLOURS = {
    "attack": "#b3261e",
    "system": "#0b5cad",
    "operator": "#c48a00",
    "disaster": "#1e7a3c",
    "unclassified": "#9aa5b1",
}
GROUP_CODES = {"attack": "ATTACK", "system": "SYSTEM", "operator": "OPERATOR", "disaster": "DISASTER"}


# A chart depends only on its figures and language (the key), so it can be kept for long.
CHART_SECONDS = 24 * 3600

# Documents print charts 150 mm wide (5.9 in): figures are drawn at that width so 9-10 pt text prints at
# 9-10 pt, at 180 dpi (1,060 px wide: sharp in print, and half the drawing time of 250 dpi).
WIDTH_IN, DPI, TEXT_PT = 5.9, 180, 9.5


def load() -> None:
    from matplotlib.backends import backend_agg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401


def warm() -> None:
    """Import matplotlib in the background where charts are drawn (web processes call this once at start-up,
    as they warm the PDF engine): the first statistics page or report preview of a process paid 1-3 s for
    it (issue 14). Rendering apart, the render process has it loaded already."""
    if apart.enabled():
        apart.warm()
    else:
        threading.Thread(target=load, name="matplotlib-warm", daemon=True).start()


def _figure(width: float = WIDTH_IN, height: float = 3.0) -> Figure:
    # matplotlib is imported on first use, not with the URLconf: loading it costs every process more than
    # a second and only pages with charts need it.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _style(axes, title: str) -> None:
    axes.set_title(title, fontsize=TEXT_PT + 1.5, loc="left")
    axes.tick_params(labelsize=TEXT_PT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def months_chart(rows: Sequence[MonthRow], title: str = "") -> bytes:
    """Incidents per month, stacked by category group (the legend stands to the right of the bars)."""
    figure = _figure(WIDTH_IN, 2.9)
    axes = figure.add_subplot()
    labels = [r.month[:2] + "/" + r.month[-2:] for r in rows]
    bottom = [0] * len(rows)
    for field, colour in GROUP_COLOURS.items():
        values = [getattr(r, field) for r in rows]
        if not any(values):
            continue
        # The groups keep seed 000's full wording (issue 13): wrapped, so the legend leaves room for the bars.
        name = textwrap.fill(group_label(GROUP_CODES.get(field, "")), 26)
        axes.bar(labels, values, bottom=bottom, color=colour, label=name, width=0.7)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    _style(axes, title or _("Incidents per month"))
    _integer_ticks(axes.yaxis)
    axes.set_xlabel(_("Month"), fontsize=TEXT_PT)
    axes.set_ylabel(_("Incidents"), fontsize=TEXT_PT)
    if any(bottom):
        axes.legend(fontsize=TEXT_PT - 0.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(figure)


def bars_chart(tallies: Sequence[Tally], title: str, colour: str = "#0b5cad") -> bytes:
    """Horizontal bars, largest first (categories, organizations, levels)."""
    shown = sorted((t for t in tallies if t.count), key=lambda t: -t.count)[:12]
    figure = _figure(WIDTH_IN, max(1.8, 0.36 * len(shown) + 1.0))
    axes = figure.add_subplot()
    labels = [_shorten(t.label) for t in reversed(shown)]
    axes.barh(labels, [t.count for t in reversed(shown)], color=colour, height=0.6)
    for index, tally in enumerate(reversed(shown)):
        axes.text(tally.count, index, f" {tally.count}", va="center", fontsize=TEXT_PT)
    _style(axes, title)
    _integer_ticks(axes.xaxis)
    axes.set_xlabel(_("Incidents"), fontsize=TEXT_PT)
    if not shown:
        axes.set_axis_off()
        axes.text(
            0.5, 0.5, _("No incident"), ha="center", va="center", transform=axes.transAxes, fontsize=TEXT_PT
        )
    return _png(figure)


def deadlines_chart(rows: Sequence[DeadlineRow], title: str = "") -> bytes:
    """Per tracked duty: on time, late, overdue, still running."""
    figure = _figure(WIDTH_IN, max(1.9, 0.45 * len(rows) + 1.3))
    axes = figure.add_subplot()
    parts = [
        ("on_time", _("on time"), "#1e7a3c"),
        ("late", _("late"), "#c48a00"),
        ("overdue", _("overdue"), "#b3261e"),
        ("running", _("running"), "#9aa5b1"),
    ]
    labels = [_shorten(r.label, 40) for r in rows]
    left = [0] * len(rows)
    for field, name, colour in parts:
        values = [getattr(r, field) for r in rows]
        axes.barh(labels, values, left=left, color=colour, label=name, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    _style(axes, title or _("Deadline compliance"))
    if rows:
        axes.legend(
            fontsize=TEXT_PT - 0.5, frameon=False, ncols=4, loc="upper left", bbox_to_anchor=(0.0, -0.08)
        )
    return _png(figure)


def _integer_ticks(axis) -> None:
    # The default locator (AutoLocator) is a MaxNLocator, which takes `integer`; the stubs type it Locator.
    locator: MaxNLocator = axis.get_major_locator()
    locator.set_params(integer=True)


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _key(render, inputs: tuple) -> str:
    name = f"{render.__module__}.{render.__qualname__}"
    return "chart:" + hashlib.sha256(repr((name, get_language(), inputs)).encode()).hexdigest()


def drawn(render, *inputs) -> bytes:
    """A chart's PNG, drawn once per distinct set of figures (and language), then kept in the cache:
    matplotlib takes 0.2-0.5 s a chart, more than a document's queries and layout together (issue 14)."""
    png = cache.get(_key(render, inputs))
    if png is None:
        png = apart.run(draw_in, get_language(), render, inputs)
        cache.set(_key(render, inputs), png, CHART_SECONDS)
    return png


def draw_in(language: str | None, render, inputs: tuple) -> bytes:
    """`render(*inputs)` under `language` (run in the render process, which has no request's language)."""
    with translation.override(language):
        return render(*inputs)


def kept(render, *inputs) -> bytes | None:
    """The chart's PNG if it has been drawn already, else None (nothing is drawn)."""
    return cache.get(_key(render, inputs))


def charts_for(kind: str, figures) -> dict[str, bytes]:
    """The charts a document carries, by name (the templates place them)."""
    if kind == "unit":
        return {"months": drawn(months_chart, figures.incidents.by_month)}
    if kind == "province":
        return {
            "months": drawn(months_chart, figures.incidents.by_month),
            "categories": drawn(bars_chart, figures.incidents.by_category, _("Incidents by type")),
        }
    if kind == "bulletin":
        return {
            "months": drawn(months_chart, figures.by_month),
            "groups": drawn(bars_chart, figures.by_group, _("Incidents by cause"), "#b3261e"),
        }
    return {}
