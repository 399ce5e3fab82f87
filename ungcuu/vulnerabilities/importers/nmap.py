"""Nmap XML (`nmap -oX`): hosts and open ports, and findings from NSE vulnerability scripts.

Nmap is a port scanner first. A script becomes a finding only when it reports a vulnerability: the NSE
`vulns` library's "VULNERABLE" / "LIKELY VULNERABLE" state, or the `vulners` script's list of CVEs for a
detected version. Other script output (titles, banners, certificates) describes a service, not a flaw.
"""

from __future__ import annotations

import re
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
)
from ungcuu.vulnerabilities.severity import Rating, Severity, clean_score, from_score, from_word, rate

TOOL = "nmap"
LABEL = "Nmap XML"
ROOT_TAGS = ("nmaprun",)
VULNERABLE_STATES = {"VULNERABLE", "LIKELY VULNERABLE", "VULNERABLE (EXPLOITABLE)", "VULNERABLE (DOS)"}
RISK = re.compile(r"Risk factor:\s*(\w+)", re.IGNORECASE)


def recognizes(root: Element) -> bool:
    return root.tag in ROOT_TAGS


def parse(data: bytes) -> ParsedScan:
    return from_tree(xmlsafe.load(data))


def from_tree(root: Element) -> ParsedScan:
    if root.find("runstats") is None:
        raise ReportRefused(
            _(
                "This Nmap file ends before its run statistics: "
                "the scan was interrupted or the file was cut off."
            )
        )
    scan = ParsedScan(
        tool=TOOL,
        name=one_line(root.get("args", ""), 300),
        scanner_version=one_line(root.get("version", ""), 50),
        started_at=from_epoch(root.get("start")),
        finished_at=from_epoch(_attr(root.find("runstats/finished"), "time")),
    )
    for element in root.findall("host"):
        if _attr(element.find("status"), "state", "up") != "up":
            continue
        host = _host(element)
        if host is None:
            continue
        scan.hosts.append(host)
        scan.findings += _host_findings(element, host)
    return scan


def _attr(element: Element | None, name: str, default: str = "") -> str:
    # Elements are compared with None, never tested for truth: an element without children is falsy.
    return element.get(name, default) if element is not None else default


def _host(element: Element) -> ParsedHost | None:
    addresses = [a for a in element.findall("address") if a.get("addrtype") in ("ipv4", "ipv6")]
    ip = clean_ip(addresses[0].get("addr", "")) if addresses else ""
    names = element.findall("hostnames/hostname")
    names.sort(key=lambda n: n.get("type") != "user")  # the name the scan was asked for, before PTR
    hostname = clean_hostname(names[0].get("name", "")) if names else ""
    return ParsedHost(ip=ip, hostname=hostname) if ip or hostname else None


def _host_findings(element: Element, host: ParsedHost) -> list[ParsedFinding]:
    findings = []
    for port_element in element.findall("ports/port"):
        if _attr(port_element.find("state"), "state").startswith("open"):
            port = _port(port_element)
            host.ports.append(port)
            for script in port_element.findall("script"):
                findings += _script_findings(script, host, port)
    for script in element.findall("hostscript/script"):
        findings += _script_findings(script, host, ParsedPort(0, ""))
    return findings


def _port(element: Element) -> ParsedPort:
    service = element.find("service")
    attrs = service.attrib if service is not None else {}
    return ParsedPort(
        port=clean_port(element.get("portid")),
        protocol=element.get("protocol", "").lower()[:10],
        service=one_line(attrs.get("name", ""), 60),
        product=one_line(attrs.get("product", ""), 100),
        version=one_line(attrs.get("version", ""), 60),
    )


def _script_findings(script: Element, host: ParsedHost, port: ParsedPort) -> list[ParsedFinding]:
    script_id = one_line(script.get("id", ""), MAX_CHECK_ID)
    if script_id == "vulners":
        finding = _vulners(script, host, port)
        return [finding] if finding else []
    tables = [t for t in script.iter("table") if _elem(t, "state").upper() in VULNERABLE_STATES]
    if not tables:
        output = script.get("output", "")
        return [_from_output(script_id, output, host, port)] if "State: VULNERABLE" in output else []
    if len(tables) == 1:
        return [_from_table(script_id, tables[0], script, host, port)]
    return [
        _from_table(f"{script_id}/{t.get('key', i)}", t, script, host, port) for i, t in enumerate(tables)
    ]


def _elem(table: Element, key: str) -> str:
    for elem in table.findall("elem"):
        if elem.get("key") == key:
            return (elem.text or "").strip()
    return ""


def _scores(table: Element) -> list[str]:
    scores = next((t for t in table.findall("table") if t.get("key") == "scores"), None)
    return [(e.text or "") for e in scores.findall("elem")] if scores is not None else []


def _risk(table_or_output: str) -> str:
    match = RISK.search(table_or_output)
    return from_word(match.group(1), Severity.MEDIUM) if match else Severity.MEDIUM


def _subtable_text(table: Element, key: str) -> str:
    return "\n".join(
        (e.text or "").strip()
        for t in table.findall("table")
        if t.get("key") == key
        for e in t.findall("elem")
    )


def _from_table(check_id: str, table: Element, script: Element, host, port: ParsedPort) -> ParsedFinding:
    score = max((s for s in (clean_score(v) for v in _scores(table)) if s is not None), default=None)
    # NSE marks a host VULNERABLE without a score when the script has none: medium until someone triages it.
    risk_factor = _elem(table, "risk_factor")
    rating = rate(score=score, fallback=_risk(f"Risk factor: {risk_factor}" if risk_factor else ""))
    return _finding(
        check_id,
        _elem(table, "title") or check_id,
        rating,
        host,
        port,
        cves=cve_ids(_subtable_text(table, "ids"), table.get("key", "")),
        description=_subtable_text(table, "description") or script.get("output", ""),
    )


def _from_output(check_id: str, output: str, host, port: ParsedPort) -> ParsedFinding:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    title = next(
        (lines[i + 1] for i, line in enumerate(lines[:-1]) if line.endswith("VULNERABLE:")), check_id
    )
    return _finding(
        check_id, title, Rating(_risk(output)), host, port, cves=cve_ids(output), description=output
    )


def _vulners(script: Element, host, port: ParsedPort) -> ParsedFinding | None:
    """One finding per service: the CVEs `vulners` lists for the detected version, rated by the worst."""
    rows = [t for t in script.iter("table") if _elem(t, "id")]
    cves = [r for r in rows if _elem(r, "type").lower() == "cve" or cve_ids(_elem(r, "id"))]
    if not cves:
        return None
    worst = max((s for s in (clean_score(_elem(r, "cvss")) for r in cves) if s is not None), default=None)
    rating = Rating(from_score(worst), worst) if worst is not None else Rating(Severity.MEDIUM)
    product = " ".join(x for x in (port.product, port.version) if x) or port.service or "service"
    name = f"Known vulnerabilities of {product} (vulners)"
    ids = cve_ids(*(_elem(r, "id") for r in cves))
    return _finding("vulners", name, rating, host, port, cves=ids, description=script.get("output", ""))


def _finding(check_id, name, rating: Rating, host, port: ParsedPort, *, cves, description) -> ParsedFinding:
    return ParsedFinding(
        host=host.key,
        port=port.port,
        protocol=port.protocol,
        check_id=check_id,
        name=one_line(name),
        severity=rating.severity,
        cvss_score=rating.score,
        cvss_vector=rating.vector,
        cve_ids=cves,
        description=block(description),
    )
