"""OpenVAS / Greenbone (GVM) XML reports: `<report><report><results><result>…` as gvmd exports them."""

from __future__ import annotations

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
    one_line,
    parse_time,
    text,
)
from ungcuu.vulnerabilities.severity import from_word, rate

TOOL = "openvas"
LABEL = "OpenVAS / Greenbone"
ROOT_TAGS = ("report", "get_reports_response")


def recognizes(root: Element) -> bool:
    return root.tag in ROOT_TAGS


def parse(data: bytes) -> ParsedScan:
    return from_tree(xmlsafe.load(data))


def from_tree(root: Element) -> ParsedScan:
    """The inner <report> (the one with <results>) holds everything; the outer one is an envelope."""
    report = next((el for el in root.iter("report") if el.find("results") is not None), None)
    if report is None:
        raise ReportRefused(
            _("This OpenVAS/Greenbone file has no <results> section: export the full report.")
        )
    hosts: dict[str, ParsedHost] = {}
    for element in report.findall("host"):
        _add_host(hosts, text(element, "ip"), _detail(element, "hostname"))
    findings = [
        f for f in (_finding(result, hosts) for result in report.findall("results/result")) if f is not None
    ]
    for port in report.findall("ports/port"):
        _add_port(hosts, text(port, "host"), port.text or "")
    return ParsedScan(
        tool=TOOL,
        name=one_line(text(report, "task/name") or text(root, "name"), 300),
        scanner_version=one_line(text(report, "gmp/version") or text(report, "omp/version"), 50),
        started_at=parse_time(text(report, "scan_start")),
        finished_at=parse_time(text(report, "scan_end")),
        hosts=list(hosts.values()),
        findings=findings,
    )


def _detail(host: Element, name: str) -> str:
    for detail in host.findall("detail"):
        if text(detail, "name") == name:
            return text(detail, "value")
    return ""


def _add_host(hosts: dict[str, ParsedHost], address: str, hostname: str = "") -> ParsedHost | None:
    ip, name = clean_ip(address), clean_hostname(hostname)
    if not ip and not name:
        name = clean_hostname(address)  # GVM may scan a target given by name only
    key = ip or name
    if not key:
        return None
    host = hosts.setdefault(key, ParsedHost(ip=ip, hostname=name))
    host.hostname = host.hostname or name
    return host


def _split_port(value: str) -> tuple[int, str]:
    """'443/tcp' -> (443, 'tcp'); 'general/tcp' -> (0, 'tcp'); 'general/CPE-T' or 'package' -> (0, '')."""
    number, _slash, protocol = value.strip().partition("/")
    protocol = protocol.lower() if protocol.lower() in ("tcp", "udp", "icmp", "sctp") else ""
    return clean_port(number), protocol


def _add_port(hosts: dict[str, ParsedHost], address: str, value: str) -> None:
    host = hosts.get(clean_ip(address) or clean_hostname(address))
    port, protocol = _split_port(value)
    if host is not None and port and ParsedPort(port, protocol) not in host.ports:
        host.ports.append(ParsedPort(port, protocol))


def _tags(nvt: Element) -> dict[str, str]:
    """GVM packs summary, insight, solution and the CVSS vector into 'key=value|key=value'."""
    pairs = (item.partition("=") for item in text(nvt, "tags").split("|"))
    return {key.strip(): value.strip() for key, _eq, value in pairs if key.strip()}


def _finding(result: Element, hosts: dict[str, ParsedHost]) -> ParsedFinding | None:
    nvt = result.find("nvt")
    host_element = result.find("host")
    if nvt is None or host_element is None:
        return None
    score_text = text(result, "severity")
    if score_text.startswith("-"):  # -1 false positive override, -2 error, -3 debug: not findings
        return None
    host = _add_host(hosts, host_element.text or "", text(host_element, "hostname"))
    if host is None:
        return None
    port, protocol = _split_port(text(result, "port"))
    _add_port(hosts, host.key, text(result, "port"))
    tags = _tags(nvt)
    rating = rate(
        vectors=[text(sev, "value") for sev in nvt.findall("severities/severity")]
        + [tags.get("cvss_base_vector", "")],
        score=score_text or text(nvt, "cvss_base") or None,
        fallback=from_word(text(result, "threat")),  # the threat label, only when no score at all
    )
    refs = [ref.get("id", "") for ref in nvt.findall("refs/ref") if ref.get("type", "").lower() == "cve"]
    summary = tags.get("summary", "")
    detection = text(result, "description")
    return ParsedFinding(
        host=host.key,
        port=port,
        protocol=protocol,
        check_id=one_line(nvt.get("oid", ""), MAX_CHECK_ID) or one_line(text(nvt, "name"), MAX_CHECK_ID),
        name=one_line(text(result, "name") or text(nvt, "name")),
        severity=rating.severity,
        cvss_score=rating.score,
        cvss_vector=rating.vector,
        cve_ids=cve_ids(*refs, text(nvt, "cve")),
        description=block("\n\n".join(part for part in (summary, detection) if part)),
        solution=block(text(nvt, "solution") or tags.get("solution", "")),
    )
