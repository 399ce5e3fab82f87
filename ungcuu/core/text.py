"""Text helpers: the diacritic-insensitive search key used on SQLite and PostgreSQL alike.

Both databases compare a stored, pre-folded column (`search_text`) with a folded query, so
"cong thong tin" finds "Cổng thông tin" without unaccent extensions or collations.
"""

import unicodedata

# NFD does not decompose đ/Đ (they are separate letters, not d + a mark), so map them by hand.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese (and other) diacritics, collapse whitespace."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def fold_many(*parts: str | None) -> str:
    return " ".join(p for p in (fold(x) for x in parts) if p)
