"""Tenable Nessus `.nessus` (v2) files: `<NessusClientData_v2><Report><ReportHost><ReportItem>…`."""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from ungcuu.vulnerabilities.importers import xmlsafe
from ungcuu.vulnerabilities.importers.base import (
    MAX_CHECK_ID,
    ParsedFinding,
    ParsedHost,
    ParsedPort,
    ParsedScan,
    ReportRefused,
    block,
    clean_hostname,
    clean_ip,
    clean_port,
    cve_ids,
    from_epoch,
    one_line,
    parse_time,
    text,
)
from ungcuu.vulnerabilities.severity import Severity, rate

TOOL = "nessus"
LABEL = "Nessus (.nessus v2)"
ROOT_TAGS = ("NessusClientData_v2",)
# Nessus's own 0-4 rating, used only when an item carries no CVSS data.
LEVELS = {
    "0": Severity.NONE,
    "1": Severity.LOW,
    "2": Severity.MEDIUM,
    "3": Severity.HIGH,
    "4": Severity.CRITICAL,
}


def recognizes(root: Element) -> bool:
    if root.tag == "NessusClientData":
        raise ReportRefused(_("This is an old Nessus v1 file. Export the scan as “.nessus” (version 2)."))
    return root.tag in ROOT_TAGS


def parse(data: bytes) -> ParsedScan:
    return from_tree(xmlsafe.load(data))


def from_tree(root: Element) -> ParsedScan:
    report = root.find("Report")
    if report is None:
        raise ReportRefused(_("This Nessus file has no <Report> section: export the scan results."))
    scan = ParsedScan(tool=TOOL, name=one_line(report.get("name", ""), 300))
    starts, ends = [], []
    for report_host in report.findall("ReportHost"):
        tags = {
            tag.get("name", ""): (tag.text or "").strip() for tag in report_host.findall("HostProperties/tag")
        }
        host = _host(report_host.get("name", ""), tags)
        if host is None:
            continue
        scan.hosts.append(host)
        starts.append(from_epoch(tags.get("HOST_START_TIMESTAMP")) or parse_time(tags.get("HOST_START")))
        ends.append(from_epoch(tags.get("HOST_END_TIMESTAMP")) or parse_time(tags.get("HOST_END")))
        for item in report_host.findall("ReportItem"):
            scan.findings.append(_finding(item, host))
    scan.started_at = _first(starts, min)
    scan.finished_at = _first(ends, max)
    scan.scanner_version = one_line(
        _preference(root, "sc_version") or _preference(root, "nessus_version"), 50
    )
    return scan


def _first(moments: list[datetime.datetime | None], pick) -> datetime.datetime | None:
    known = [m for m in moments if m is not None]
    return pick(known) if known else None


def _preference(root: Element, name: str) -> str:
    for preference in root.findall("Policy/Preferences/ServerPreferences/preference"):
        if text(preference, "name") == name:
            return text(preference, "value")
    return ""


def _host(name: str, tags: dict[str, str]) -> ParsedHost | None:
    ip = clean_ip(tags.get("host-ip", "")) or clean_ip(name)
    hostname = clean_hostname(tags.get("host-fqdn", "") or tags.get("hostname", ""))
    if not hostname and not clean_ip(name):
        hostname = clean_hostname(name)
    return ParsedHost(ip=ip, hostname=hostname) if ip or hostname else None


def _finding(item: Element, host: ParsedHost) -> ParsedFinding:
    port, protocol = clean_port(item.get("port")), item.get("protocol", "").lower()[:10]
    if port and not any(p.port == port and p.protocol == protocol for p in host.ports):
        host.ports.append(ParsedPort(port, protocol, service=one_line(item.get("svc_name", ""), 60)))
    rating = rate(
        vectors=[text(item, "cvss4_vector"), text(item, "cvss3_vector"), text(item, "cvss_vector")],
        score=text(item, "cvss4_base_score")
        or text(item, "cvss3_base_score")
        or text(item, "cvss_base_score")
        or None,
        fallback=LEVELS.get(item.get("severity", "0"), Severity.NONE),
    )
    synopsis, description = text(item, "synopsis"), text(item, "description")
    output = text(item, "plugin_output")
    return ParsedFinding(
        host=host.key,
        port=port,
        protocol=protocol,
        check_id=one_line(item.get("pluginID", ""), MAX_CHECK_ID),
        name=one_line(item.get("pluginName", "") or text(item, "plugin_name")),
        severity=rating.severity,
        cvss_score=rating.score,
        cvss_vector=rating.vector,
        cve_ids=cve_ids(*(el.text or "" for el in item.findall("cve"))),
        description=block("\n\n".join(part for part in (synopsis, description, output) if part)),
        solution=block(text(item, "solution")),
    )
