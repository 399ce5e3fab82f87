"""Reading untrusted XML: the encoding is checked first, then defusedxml parses with DTDs forbidden.

Scanner reports never need a DTD, so any DOCTYPE is refused outright: that stops external entities (XXE),
entity expansion ("billion laughs") and external references before expat resolves anything. The bytes
are decoded here, strictly, from their byte-order mark or declared encoding, so a Latin-1 file that
claims to be UTF-8 gets a clear message instead of a parser error at some line.
"""

from __future__ import annotations

import codecs
import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from ungcuu.vulnerabilities.importers.base import ReportRefused

# UTF-32 marks first: the UTF-32-LE mark begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DECLARATION = re.compile(rb"""<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]{0,39})["']""")


def decode(data: bytes) -> str:
    """The report as text, or a refusal that names the encoding problem."""
    if not data.strip():
        raise ReportRefused(_("The file is empty."))
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _decode(data, codec, codec.removesuffix("-sig").upper())
    if data[:2] in (b"<\x00", b"\x00<"):
        raise ReportRefused(
            _(
                "The file looks like UTF-16 text without a byte-order mark, which XML does not allow. "
                "Export the report again as UTF-8."
            )
        )
    declared = DECLARATION.match(data[:200])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ReportRefused(
            _("The file declares an unknown text encoding “%(encoding)s”.") % {"encoding": encoding}
        ) from None
    return _decode(data, encoding, encoding.upper())


def _decode(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ReportRefused(
            _(
                "The file is not valid %(encoding)s text (byte %(position)s cannot be read). It was probably "
                "saved in another encoding; export the report again as UTF-8."
            )
            % {"encoding": label, "position": exc.start}
        ) from None


def load(data: bytes) -> Element:
    """Parse untrusted bytes into an element tree; every failure is a ReportRefused with a reason."""
    document = decode(data)
    try:
        return SafeET.fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ReportRefused(
            _(
                "The file contains a document type declaration or entities. Scanner reports never need "
                "them, and they can be used to attack the server, so the file is refused."
            )
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise ReportRefused(
            _(
                "The file is not complete, well-formed XML (error at line %(line)s, column %(column)s). "
                "It may have been cut off during download or export; export it again."
            )
            % {"line": line, "column": column}
        ) from None


def local_name(tag: str) -> str:
    """'{namespace}name' -> 'name'."""
    return tag.rsplit("}", 1)[-1]
