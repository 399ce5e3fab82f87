"""Text widths with Times New Roman metrics (Liberation Serif is metric-compatible), to fit the header.

The header's lines must not wrap (DOMAIN.md §l: the motto on one line); the rules under the issuing body and
the motto are as long as a fraction of their text. Without the font files (a bare container) a width is
estimated from an average glyph width, which errs on the long side.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation")]
FILES = {
    (False, False): "Regular",
    (True, False): "Bold",
    (False, True): "Italic",
    (True, True): "BoldItalic",
}
PT_TO_MM = 25.4 / 72


@lru_cache(maxsize=8)
def _font(bold: bool, italic: bool):
    from PIL import ImageFont

    for folder in FONT_DIRS:
        path = folder / f"LiberationSerif-{FILES[(bold, italic)]}.ttf"
        if path.is_file():
            return ImageFont.truetype(str(path), 1000)
    return None


def text_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    font = _font(bold, italic)
    if font is None:
        return len(text) * size_pt * (0.62 if text.isupper() else 0.5) * PT_TO_MM
    return font.getlength(text) / 1000 * size_pt * PT_TO_MM


def fitting_size(text: str, width_mm: float, sizes=(13, 12.5, 12, 11.5, 11), **style) -> float:
    """The largest of `sizes` at which `text` fits on one line of `width_mm`."""
    for size in sizes:
        if text_mm(text, size, **style) <= width_mm:
            return size
    return sizes[-1]


# A body's name breaks before the word that starts a place ("… / TỈNH NINH BÌNH"), never inside it.
BREAK_BEFORE = {"TỈNH", "THÀNH", "HUYỆN", "XÃ", "PHƯỜNG", "VÀ"}


def header_lines(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> list[str]:
    """`text` on one line if it fits, else on two, broken before a place word when that fits."""
    if text_mm(text, size_pt, bold=bold) <= width_mm:
        return [text]
    words = text.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [s for s in splits if max(text_mm(part, size_pt, bold=bold) for part in s) <= width_mm]
    preferred = [s for s in fitting if s[1].split()[0] in BREAK_BEFORE]
    pool = preferred or fitting or splits
    return list(min(pool, key=lambda s: max(text_mm(part, size_pt, bold=bold) for part in s)))
