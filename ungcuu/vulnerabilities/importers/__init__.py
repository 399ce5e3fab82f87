"""Scanner-report importers: one module per format, one interface, registered in one dict (STYLE rule 13).

Each module offers `parse(data: bytes) -> ParsedScan`, plus `recognizes(root)` and `from_tree(root)` so
that `read_report` parses the XML once, recognises the format from its root element (never from the file
name) and hands the tree to the right module.
"""

from __future__ import annotations

from types import ModuleType

from django.utils.translation import gettext as _

from ungcuu.vulnerabilities.importers import nessus, nmap, openvas, xmlsafe
from ungcuu.vulnerabilities.importers.base import (
    ParsedFinding,
    ParsedHost,
    ParsedPort,
    ParsedScan,
    ReportRefused,
)

IMPORTERS: dict[str, ModuleType] = {"openvas": openvas, "nessus": nessus, "nmap": nmap}

__all__ = [
    "IMPORTERS",
    "ParsedFinding",
    "ParsedHost",
    "ParsedPort",
    "ParsedScan",
    "ReportRefused",
    "detect",
    "read_report",
]


def detect(root) -> str:
    """The importer name for this document's root element, or a refusal naming what was found."""
    for name, module in IMPORTERS.items():
        if module.recognizes(root):
            return name
    raise ReportRefused(
        _(
            "This file is not an OpenVAS/Greenbone XML report, a Nessus .nessus (v2) file or an Nmap XML "
            "file (its root element is <%(root)s>)."
        )
        % {"root": xmlsafe.local_name(root.tag)[:60]}
    )


def read_report(data: bytes, tool: str | None = None) -> ParsedScan:
    """Parse, detect and check: a format chosen explicitly must be the format the file really has.

    A report renamed to another extension is still read as what it is when the uploader leaves the format
    on "detect"; when they name a format and the file is another one, it is refused rather than guessed.
    """
    root = xmlsafe.load(data)
    found = detect(root)
    if tool and tool != found:
        raise ReportRefused(
            _(
                "You chose %(chosen)s, but this file is a %(found)s report. "
                "Choose the right format, or let the platform detect it."
            )
            % {"chosen": _label(tool), "found": IMPORTERS[found].LABEL}
        )
    scan = IMPORTERS[found].from_tree(root)
    if not scan.hosts:
        raise ReportRefused(_("The report lists no scanned host, so there is nothing to import."))
    return scan


def _label(tool: str) -> str:
    module = IMPORTERS.get(tool)
    return module.LABEL if module is not None else tool
