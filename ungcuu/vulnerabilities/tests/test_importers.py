"""The three parsers on realistic samples, format detection, hostile and broken files, CVSS severity."""

import codecs
from decimal import Decimal

import pytest

from ungcuu.vulnerabilities.importers import IMPORTERS, ReportRefused, nessus, nmap, openvas, read_report
from ungcuu.vulnerabilities.severity import from_score, parse_vector, rate
from ungcuu.vulnerabilities.tests.helpers import NESSUS_SAMPLE, NMAP_SAMPLE, OPENVAS_SAMPLE, sample

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE report [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<report><report><results><result><name>&xxe;</name></result></results></report></report>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<nmaprun><host>&lol3;</host><runstats/></nmaprun>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?><!DOCTYPE NessusClientData_v2 SYSTEM "http://attacker.example/x.dtd">
<NessusClientData_v2><Report name="x"/></NessusClientData_v2>"""


def refused(data: bytes, tool=None) -> str:
    with pytest.raises(ReportRefused) as exc:
        read_report(data, tool)
    return str(exc.value)


# --- the parsers ------------------------------------------------------------------------------------


def test_importers_share_one_interface():
    assert set(IMPORTERS) == {"openvas", "nessus", "nmap"}
    for module in IMPORTERS.values():
        assert callable(module.parse) and callable(module.recognizes) and module.LABEL


def test_openvas_report_gives_hosts_and_scored_results():
    scan = openvas.parse(sample(OPENVAS_SAMPLE))
    assert (
        scan.tool == "openvas"
        and scan.name == "Quét định kỳ cổng thông tin Alpha"
        and scan.scanner_version == "22.4"
    )
    assert [(h.ip, h.hostname) for h in scan.hosts] == [
        ("203.0.113.10", "alpha.example.gov.vn"),
        ("198.51.100.20", ""),
    ]
    assert {(p.port, p.protocol) for p in scan.hosts[0].ports} == {(443, "tcp"), (8080, "tcp")}
    put = next(f for f in scan.findings if f.check_id == "1.3.6.1.4.1.25623.1.0.153960")
    assert (put.port, put.protocol, put.severity, put.cvss_score) == (443, "tcp", "critical", Decimal("9.8"))
    assert put.cvss_vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" and put.cve_ids == (
        "CVE-2025-24813",
    )
    assert put.solution == "Update to version 9.0.99 or later."
    assert (
        "prone to a remote code execution" in put.description
        and "Installed version: 9.0.65" in put.description
    )
    os_detection = next(f for f in scan.findings if f.name.startswith("OS Detection"))
    assert (os_detection.port, os_detection.protocol, os_detection.severity) == (0, "tcp", "none")
    assert next(f for f in scan.findings if "TLSv1.0" in f.name).cvss_vector == "AV:N/AC:M/Au:N/C:P/I:N/A:N"


def test_nessus_file_gives_hosts_properties_and_plugin_items():
    scan = nessus.parse(sample(NESSUS_SAMPLE))
    assert (
        scan.tool == "nessus"
        and scan.name == "Rà quét hệ thống Alpha quý II"
        and scan.scanner_version == "10.7.1"
    )
    assert scan.started_at.isoformat() == "2026-06-14T01:00:30+00:00"
    assert scan.finished_at.isoformat() == "2026-06-14T02:15:00+00:00"
    assert [(h.ip, h.hostname) for h in scan.hosts] == [
        ("203.0.113.10", "alpha.example.gov.vn"),
        ("192.0.2.77", ""),
    ]
    tomcat = next(f for f in scan.findings if f.check_id == "233772")
    # CVSS v4 is preferred over v3 when the plugin carries both
    assert (tomcat.severity, tomcat.cvss_score, tomcat.cvss_vector[:9]) == (
        "critical",
        Decimal("9.3"),
        "CVSS:4.0/",
    )
    smuggling = next(f for f in scan.findings if f.check_id == "166906")
    assert (smuggling.port, smuggling.name, smuggling.cve_ids) == (
        8080,
        "Apache Tomcat 9.0.0.M1 < 9.0.68",
        ("CVE-2022-42252",),
    )
    assert smuggling.severity == "high"  # from the v3 vector (7.5), not the v2 score (5.0)
    assert next(f for f in scan.findings if f.check_id == "11219").severity == "none"


def test_nmap_run_gives_open_ports_and_only_vulnerability_scripts_as_findings():
    scan = nmap.parse(sample(NMAP_SAMPLE))
    assert scan.tool == "nmap" and scan.scanner_version == "7.94"
    assert [h.ip for h in scan.hosts] == ["203.0.113.10", "198.51.100.30"]  # the down host is left out
    portal = scan.hosts[0]
    assert portal.hostname == "alpha.example.gov.vn"  # the name asked for, not the PTR record
    assert [(p.port, p.product, p.version) for p in portal.ports] == [
        (22, "OpenSSH", "8.9p1 Ubuntu 3ubuntu0.10"),
        (443, "nginx", "1.22.1"),
    ]
    vulners, backdoor = scan.findings
    assert (vulners.check_id, vulners.port, vulners.severity, vulners.cvss_score) == (
        "vulners",
        443,
        "high",
        Decimal("7.5"),
    )
    assert vulners.cve_ids == (
        "CVE-2023-44487",
        "CVE-2024-7347",
        "CVE-2025-23419",
    )  # the exploit row is not a CVE
    assert vulners.name == "Known vulnerabilities of nginx 1.22.1 (vulners)"
    assert (backdoor.check_id, backdoor.name, backdoor.severity) == (
        "ftp-vsftpd-backdoor",
        "vsFTPd version 2.3.4 backdoor",
        "critical",
    )
    assert backdoor.cve_ids == ("CVE-2011-2523",)


def test_nmap_text_only_vulnerable_output_is_a_medium_finding_until_triaged():
    output = "VULNERABLE:&#xa;Remote Code Execution in SMBv1 (ms17-010)&#xa;State: VULNERABLE&#xa;"
    output += "IDs: CVE:CVE-2017-0143"
    data = (
        '<nmaprun version="7.80"><host><status state="up"/><address addr="192.0.2.9" addrtype="ipv4"/>'
        f'<hostscript><script id="smb-vuln-ms17-010" output="{output}"/>'
        '<script id="smb-os-discovery" output="OS: Windows Server 2008 R2"/></hostscript>'
        "</host><runstats/></nmaprun>"
    ).encode()
    (finding,) = nmap.parse(data).findings
    assert (finding.port, finding.name, finding.severity, finding.cve_ids) == (
        0, "Remote Code Execution in SMBv1 (ms17-010)", "medium", ("CVE-2017-0143",))  # fmt: skip


# --- format detection -------------------------------------------------------------------------------


def test_the_format_comes_from_the_root_element_not_the_file_name():
    assert read_report(sample(NESSUS_SAMPLE)).tool == "nessus"  # whatever the upload was called
    assert read_report(sample(OPENVAS_SAMPLE), "openvas").tool == "openvas"


def test_a_format_chosen_explicitly_must_match_the_file():
    message = refused(sample(NESSUS_SAMPLE), "openvas")
    assert "You chose OpenVAS / Greenbone, but this file is a Nessus (.nessus v2) report" in message


def test_unknown_xml_and_old_nessus_are_refused_with_the_reason():
    assert "root element is <html>" in refused(b"<html><body>not a report</body></html>")
    assert "Nessus v1" in refused(b"<NessusClientData><Report/></NessusClientData>")
    assert "no <results>" in refused(b"<report><name>x</name></report>")
    assert "no scanned host" in refused(b"<nmaprun><runstats/></nmaprun>")
    assert "run statistics" in refused(b"<nmaprun><host/></nmaprun>")


# --- hostile and broken files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [XXE, BILLION_LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"]
)
def test_dtds_and_entities_are_refused_before_anything_is_resolved(data):
    assert "document type declaration or entities" in refused(data)


def test_a_truncated_file_is_refused_with_the_position():
    data = sample(OPENVAS_SAMPLE)
    message = refused(data[: len(data) // 2])
    assert "not complete, well-formed XML" in message and "line" in message


def test_latin1_bytes_that_claim_utf8_are_refused():
    data = sample(NESSUS_SAMPLE).replace("Rà quét".encode(), "Rà quét".encode("latin-1", "replace"))
    assert "not valid UTF-8 text" in refused(data)


def test_utf16_without_a_byte_order_mark_is_refused_and_with_one_is_read():
    text = sample(NMAP_SAMPLE).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert "UTF-16 text without a byte-order mark" in refused(text.encode("utf-16-le"))
    assert read_report(codecs.BOM_UTF16_LE + text.encode("utf-16-le")).tool == "nmap"


def test_a_declared_single_byte_encoding_is_honoured():
    text = sample(OPENVAS_SAMPLE).decode().replace("Quét định kỳ cổng thông tin Alpha", "Quét định kỳ")
    data = text.replace('encoding="UTF-8"', 'encoding="windows-1258"').encode("cp1258", "replace")
    assert read_report(data).name.startswith("Qu")
    assert "unknown text encoding" in refused(b'<?xml version="1.0" encoding="klingon-8"?><nmaprun/>')


def test_empty_and_binary_files_are_refused():
    assert "empty" in refused(b"  \n")
    assert "not complete, well-formed XML" in refused(b"PK\x03\x04\x14\x00binary zip")


# --- CVSS severity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vector", "score", "severity"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8", "critical"),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "7.5", "high"),
        ("AV:N/AC:M/Au:N/C:P/I:N/A:N", "4.3", "medium"),
        ("CVSS2#AV:N/AC:L/Au:N/C:C/I:C/A:C", "10.0", "critical"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "9.3", "critical"),
        ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "1.8", "low"),
        ("AV:N/AC:L/Au:N/C:N/I:N/A:N", "0.0", "none"),
    ],
)
def test_severity_is_the_band_of_the_parsed_vectors_base_score(vector, score, severity):
    rating = rate(vectors=[vector])
    assert (str(rating.score), rating.severity) == (score, severity)


def test_the_newest_vector_wins_and_bad_vectors_fall_back_to_the_score_then_the_label():
    v2, v3 = "AV:N/AC:L/Au:N/C:P/I:N/A:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    assert rate(vectors=[v2, v3]).severity == "critical"
    assert parse_vector("CVSS:3.1/AV:X/garbage") is None
    assert rate(vectors=["CVSS:3.1/AV:X/garbage"], score="6.1") == rate(score="6.1")
    assert rate(vectors=["nonsense"], score="11", fallback="high").severity == "high"
    assert [from_score(Decimal(x)) for x in ("0", "0.1", "3.9", "4.0", "6.9", "7.0", "8.9", "9.0")] == [
        "none", "low", "low", "medium", "medium", "high", "high", "critical"]  # fmt: skip
