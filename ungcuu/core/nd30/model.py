"""The content model of an official document: a letterhead, blocks of content, a signature block."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ungcuu.core.nd30 import fonts
from ungcuu.core.text import fold

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_AND_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
NBSP = "\u00a0"
LEFT_MM, RIGHT_MM = 68.0, 97.0  # header columns: the motto (12 pt bold, 88 mm) fits the right one
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def vietnamese_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026": days 1-9 and months 1-2 take a zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: datetime.date) -> str:
    return f"{place}, {vietnamese_date(day)}"


def number_line(number: str, *, kind: str, symbol: str) -> str:
    """ "Số: 05/BC-SKHCN" (numbers under 10 take a zero), or a blank the clerk fills in at registration."""
    number = number.strip()
    if number:
        head, sep, tail = number.partition("/")
        if head.isdigit() and len(head) == 1:
            number = f"0{head}{sep}{tail}"
        return f"Số: {number}"
    return f"Số:{NBSP * 8}/{kind}-{symbol}" if symbol else f"Số:{NBSP * 8}/{kind}"


def recipient_lines(own_names: list[str], lines: list[str], *, filing: str = "Lưu: VT") -> list[str]:
    """ "Nơi nhận" without the issuer (any of `own_names`), lines ending ";", the last "Lưu: VT." (ND30)."""
    seen = {name.strip().casefold() for name in own_names if name.strip()}
    out = []
    for line in lines:
        text = line.strip().rstrip(";.").strip()
        name = text.split(" (", 1)[0].strip().casefold()
        if not text or name in seen:
            continue
        seen.add(name)
        out.append(f"{text};")
    return [*out, f"{filing}."]


@dataclass
class Signature:
    """The signature block: `authority` is TM./KT./TL./TUQ. with whom the signer acts for, if anyone."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = SIGN_AND_SEAL

    @property
    def lines(self) -> list[str]:
        return [line.upper() for line in (self.authority, self.title) if line]


def symbol_of(name: str) -> str:
    """The issuer's abbreviation in "05/BC-SKHCN": the initials of its name ("Sở Khoa học và Công nghệ")."""
    words = [w for w in fold(name).upper().replace("&", " ").split() if w not in {"VA", "CUA"}]
    if not words:
        return ""
    if words[0] == "UBND":
        return "UBND"
    return "".join(w[0] for w in words)[:8]


def signer_for(issuer: str) -> Signature:
    """The head's title from the kind of body (DOMAIN.md §l); a UBND signs on behalf of the committee."""
    folded = fold(issuer).lower()
    if folded.startswith(("uy ban nhan dan", "ubnd")):
        return Signature("CHỦ TỊCH", authority="TM. ỦY BAN NHÂN DÂN")
    if folded.startswith(("so ", "cong an", "trung tam", "bo ", "cuc ")):
        return Signature("GIÁM ĐỐC" if not folded.startswith(("bo ", "cuc ")) else "CỤC TRƯỞNG")
    if folded.startswith("ban "):
        return Signature("TRƯỞNG BAN", authority="TM. BAN CHỈ ĐẠO" if "chi dao" in folded else "")
    return Signature("THỦ TRƯỞNG ĐƠN VỊ")


@dataclass
class Letterhead:
    """Everything around a document's body in the ND30 layout."""

    parent_body: str
    issuing_body: str
    number: str
    place_date: str
    title: str = ""
    subtitle: str = ""
    summary: str = ""  # "V/v …" of a dispatch, under its number
    form_code: str = ""
    addressees: list[str] = field(default_factory=list)  # "Kính gửi"
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận", already passed through recipient_lines
    signature: Signature = field(default_factory=lambda: Signature("THỦ TRƯỞNG ĐƠN VỊ"))
    issuer_name: str = ""  # as written in a sentence
    nation: str = NATION
    motto: str = MOTTO

    @property
    def issuer(self) -> str:
        return self.issuer_name or self.issuing_body

    @property
    def parent_lines(self) -> list[str]:
        """The governing body on one or two lines of the header's left column (12 pt)."""
        text = self.parent_body.upper()
        return fonts.header_lines(text, LEFT_MM - 2, 12) if text else []

    @property
    def issuer_lines(self) -> list[str]:
        return fonts.header_lines(self.issuing_body.upper(), LEFT_MM - 2, 12, bold=True)


# --- blocks ---------------------------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: "I. …" section, 2: "1.1. …" subsection


@dataclass
class Para:
    text: str
    indent: bool = True  # body text: first-line indent, justified
    italic: bool = False
    bold: bool = False


@dataclass
class Fields:
    """Label/value pairs of a form ("Họ và tên: …"); the XLSX writes them as rows with the same labels."""

    rows: list[tuple[str, str]]
    title: str = ""


@dataclass
class Grid:
    """A table: real column widths (fractions of the text width), the header row repeated on each page."""

    title: str
    columns: list[str]
    widths: list[float]
    rows: list[list[Any]]
    numeric: frozenset[int] = frozenset()
    total: bool = False  # the last row is a total (bold)
    empty: str = "Không có."
    landscape_xlsx: bool = False

    @property
    def dense(self) -> bool:
        """Seven columns or more are set in 10.5 pt so their headings wrap less."""
        return len(self.columns) > 6


@dataclass
class Chart:
    png: bytes
    alt: str
    width_mm: int = 150


Block = Heading | Para | Fields | Grid | Chart


@dataclass
class Paper:
    """One official document: what all three renderers read."""

    head: Letterhead
    blocks: list[Block]
    filename: str
    closing: str = ""  # "Trân trọng./." of a dispatch, printed before the signature

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]


class Outline:
    """Numbers sections as they are written, so an empty (skipped) section leaves no gap (I, II, III…)."""

    def __init__(self, *, roman: bool = True) -> None:
        self.roman, self.section, self.sub = roman, 0, 0

    def h(self, text: str) -> Heading:
        self.section, self.sub = self.section + 1, 0
        mark = ROMAN[self.section - 1] if self.roman else str(self.section)
        return Heading(f"{mark}. {text}", 1)

    def s(self, text: str) -> Heading:
        self.sub += 1
        return Heading(f"{self.section}.{self.sub}. {text}", 2)


def paragraphs(text: str, *, empty: str = "Không có.") -> list[Para]:
    """A stored multi-line text as paragraphs; `empty` when there is none."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [Para(line) for line in lines] or [Para(empty, indent=False)]


def bullets(items: list[str], *, empty: str = "Không có.") -> list[Para]:
    return [Para(f"- {item}", indent=False) for item in items] or [Para(empty, indent=False)]


def dash(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
