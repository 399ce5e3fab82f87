"""What the render fork server loads once (ungcuu.core.apart, named by settings.RENDER_PRELOAD): Django set
up, WeasyPrint and matplotlib imported, and one tiny page printed and one chart drawn, so that fontconfig,
Pango's font map and matplotlib's font manager are initialised before the fork: every render child starts
with them (without this a child paid about a second for them on its first page)."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
django.setup()

from ungcuu.core.nd30 import pdf  # noqa: E402
from ungcuu.reports.builders import Tally  # noqa: E402
from ungcuu.reports.render import charts  # noqa: E402

STYLE = "body { font-family: 'Liberation Serif', 'Times New Roman', serif; }"
pdf.print_pdf(f"<style>{STYLE}</style><p>Ứng cứu <b>sự cố</b> <i>mạng</i></p>")
charts.bars_chart([Tally("warm", "Ứng cứu", 1)], "Ứng cứu")

# Everything loaded so far stays put for the children: the collector need not visit (and so write to, which
# copies the page from the fork server) these objects in every child (Python's advice for fork servers).
gc.freeze()
