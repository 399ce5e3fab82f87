"""Vietnamese text in the legacy 8-bit encodings, TCVN3 (ABC) and VNI, recognised and turned into Unicode.

Government mail still carries both: a letter typed with a .VnTime (TCVN3) or VNI-Times (VNI) font and
pasted into a message arrives either as its raw bytes labelled Latin-1/Windows-1252/-1258 (or
"tcvn"/"x-viet-tcvn", which Python has no codec for), or already "Unicode" but as the Western letters
those bytes show ("Th«ng b¸o", "Thoâng baùo"). No maintained PyPI package converts them, so the tables
are here:

- TCVN3: the upper half of TCVN 5712:1993 as glibc's charmap `TCVN5712-1` defines it
  (/usr/share/i18n/charmaps/TCVN5712-1.gz on Debian; libiconv's tcvn.h agrees). TCVN3/ABC is its "VN3"
  level: lower-case letters at these positions; ABC's capitals were a separate font with the same codes,
  so such text comes out lower-case (the letters are right, the case is the font's and is lost).
- VNI (VNI-Windows): every accented letter is an ASCII base followed by one mark byte, shown in
  Windows-1252 as a Latin-1 letter (a + ù = á, a + â = â, a + ê = ă, o + ä = ộ), plus single bytes for
  đ (ñ), ơ (ô), ư (ö), ỉ (æ), ĩ (ó), ị (ò), ỵ (î); the marks are VNI Software's published table.

Which reading is right is decided by Vietnamese spelling: the candidate with the most words that are
valid Vietnamese syllables (onset, vowel nucleus, final; one tone) wins, and the text is left as it was
unless a conversion is clearly better. The original bytes are always kept by intake (message.eml).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

TCVN3 = "tcvn3"
VNI = "vni"

# Bytes 0x80-0xFF of TCVN5712-1 (glibc charmap); 0x00-0x7F are ASCII. Generated from the charmap file.
_TCVN_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\xa0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xa0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xb0 (five combining tone marks first)
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xc0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xd0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xe0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xf0
)
_TCVN_TABLE = "".join(map(chr, range(128))) + _TCVN_HIGH  # a decoding table: index = byte

# VNI marks after a base vowel (as their Windows-1252 letters, either case) -> combining marks.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_MARKS = {
    **_TONES,
    "â": _CIRC,
    "á": _CIRC + _ACUTE,
    "à": _CIRC + _GRAVE,
    "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE,
    "ä": _CIRC + _DOT,
    "ê": _BREVE,
    "é": _BREVE + _ACUTE,
    "è": _BREVE + _GRAVE,
    "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE,
    "ë": _BREVE + _DOT,
}
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_BREVE_BASES = set("aA")
_CIRC_BASES = set("aAeEoO")
_TONE_BASES = set("aAeEoOuUyYôÔöÖ")  # ô/ö are VNI's ơ/ư, which take a tone mark after them


def decode_tcvn3(data: bytes) -> str:
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", _TCVN_TABLE)[0])


def decode_vni(data: bytes) -> str:
    return from_vni(data.decode("cp1252", errors="replace"))


def from_vni(text: str) -> str:
    """VNI text as Windows-1252 shows it -> Unicode."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char, mark = text[i], _VNI_MARKS.get(text[i + 1].lower()) if i + 1 < len(text) else None
        if mark and _mark_fits(char, mark):
            base = _VNI_SINGLE.get(char.lower(), char.lower()) if char.lower() in "ôö" else char.lower()
            letter = unicodedata.normalize("NFC", base + mark)
            out.append(letter.upper() if char.isupper() else letter)
            i += 2
            continue
        single = _VNI_SINGLE.get(char.lower())
        out.append((single.upper() if char.isupper() else single) if single else char)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _mark_fits(base: str, mark: str) -> bool:
    if mark.startswith(_BREVE):
        return base in _BREVE_BASES
    if mark.startswith(_CIRC):
        return base in _CIRC_BASES
    return base in _TONE_BASES


DECODERS = {TCVN3: decode_tcvn3, VNI: decode_vni}
# Labels old mailers put on such text: decoded with the table directly.
CHARSET_LABELS = {
    "tcvn": TCVN3,
    "tcvn3": TCVN3,
    "x-viet-tcvn": TCVN3,
    "x-viet-tcvn5712": TCVN3,
    "tcvn-5712": TCVN3,
    "tcvn5712-1": TCVN3,
    "vn3": TCVN3,
    "abc": TCVN3,
    "vni": VNI,
    "x-viet-vni": VNI,
    "vni-windows": VNI,
}


# --- telling which reading is Vietnamese ----------------------------------------------------------------

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_NUCLEUS = (
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uyê|uya|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|iê|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|ya|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(rf"^(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?$")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~\d]+")  # white space, ASCII punctuation and digits
SAMPLE_CHARS = 20_000


def score(text: str) -> int:
    """Words that are Vietnamese syllables with a non-ASCII letter, minus non-ASCII words that are not."""
    total = 0
    for word in _SEPARATORS.split(text[:SAMPLE_CHARS]):
        if word.isascii():
            continue
        total += 1 if _is_syllable(word) else -1
    return total


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_MARKS for c in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


def best_reading(text: str, raw: bytes | None = None) -> tuple[str, str]:
    """(text, "") if it reads as it is, else (converted, "tcvn3" | "vni").

    `raw` are the bytes `text` was decoded from by a single-byte code page; without them the bytes are
    recovered from the text's Western letters (text already mis-converted to Unicode once).
    """
    if text.isascii():
        return text, ""
    data = raw if raw is not None else _western_bytes(text)
    if data is None:
        return text, ""
    best, best_score, name = text, score(text), ""
    for candidate, decoder in DECODERS.items():
        converted = decoder(data)
        converted_score = score(converted)
        if converted_score > best_score:
            best, best_score, name = converted, converted_score, candidate
    return best, name


def _western_bytes(text: str) -> bytes | None:
    """The bytes a Latin-1/Windows-1252 reading made this text from (None if it has other letters)."""
    out = bytearray()
    for char in text:
        if ord(char) < 256:
            out.append(ord(char))
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)
