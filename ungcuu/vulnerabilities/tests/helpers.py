"""Sample reports, report builders and shortcuts for the vulnerability tests (and for other apps' tests).

`coordinator_imports_openvas` is the browser-free form of the "done when" step the advisories journey
starts from: the coordinator imports the OpenVAS sample, whose first host is Apache Tomcat 9.0.65 on
203.0.113.10 / alpha.example.gov.vn (the conftest `system_a`).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.models import Scan

SAMPLES = Path(__file__).parent / "samples"
OPENVAS_SAMPLE = SAMPLES / "openvas_portal.xml"
NESSUS_SAMPLE = SAMPLES / "nessus_portal.nessus"
NMAP_SAMPLE = SAMPLES / "nmap_vulners.xml"
# What the OpenVAS sample says about its first host, for assertions in other apps' tests.
OPENVAS_SAMPLE_HOST = "203.0.113.10"
OPENVAS_SAMPLE_CVES = ("CVE-2025-24813", "CVE-2022-42252", "CVE-2023-44487", "CVE-2011-3389", "CVE-2015-0204")


class Untouchable(io.RawIOBase):
    """A request body (wsgi.input) that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = readline = read


def sample(path: Path) -> bytes:
    return path.read_bytes()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/xml")


def sample_upload(path: Path = OPENVAS_SAMPLE, name: str | None = None) -> SimpleUploadedFile:
    return upload(name or path.name, sample(path))


@dataclass(frozen=True)
class Result:
    """One OpenVAS result for `openvas_report`."""

    oid: str
    port: str = "443/tcp"
    score: str = "7.5"
    vector: str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
    cves: tuple[str, ...] = ()
    ip: str = "203.0.113.10"
    hostname: str = "alpha.example.gov.vn"
    name: str = ""


def openvas_report(results: list[Result], *, end: datetime.datetime, hosts: tuple[str, ...] = ()) -> bytes:
    """A small but real-shaped GVM report; `hosts` adds hosts that were scanned with nothing found."""
    items = "".join(_result(r) for r in results)
    addresses = dict.fromkeys([*(r.ip for r in results), *hosts])
    host_rows = "".join(
        f"<host><ip>{ip}</ip><start>{_iso(end)}</start><end>{_iso(end)}</end></host>" for ip in addresses
    )
    start = end - datetime.timedelta(hours=1)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<report id="r1" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" extension="xml">'
        "<name>test</name><report id='r1'><gmp><version>22.4</version></gmp>"
        f"<task><name>Test scan</name></task><scan_start>{_iso(start)}</scan_start>"
        f"<results start='1' max='-1'>{items}</results>{host_rows}<scan_end>{_iso(end)}</scan_end>"
        "</report></report>"
    ).encode()


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _result(r: Result) -> str:
    refs = "".join(f'<ref type="cve" id="{c}"/>' for c in r.cves)
    name = escape(r.name or f"Check {r.oid}")
    return (
        f"<result><name>{name}</name><host>{r.ip}<hostname>{r.hostname}</hostname></host>"
        f"<port>{r.port}</port><nvt oid={quoteattr(r.oid)}><name>{name}</name>"
        f"<cvss_base>{r.score}</cvss_base>"
        f"<severities score='{r.score}'><severity type='cvss_base_v3'><value>{r.vector}</value></severity>"
        f"</severities><solution>Update.</solution><refs>{refs}</refs></nvt>"
        f"<severity>{r.score}</severity><description>Found.</description></result>"
    )


def import_report(actor, organization, content: bytes, name: str = "report.xml", **kwargs) -> Scan:
    return services.import_scan(
        actor=actor, organization=organization, uploaded_file=upload(name, content), **kwargs
    )


def coordinator_imports_openvas(client, organization) -> Scan:
    """The 'done when' step without a browser: the (logged-in) coordinator's client posts the upload form
    of /vulnerabilities/ exactly as the page does (#scan-upload: `file`, `organization`, `tool`)."""
    with OPENVAS_SAMPLE.open("rb") as handle:
        response = client.post(
            reverse("vulnerabilities:upload"),
            {"file": handle, "organization": organization.pk, "tool": "", "is_full": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    scan = Scan.objects.filter(organization=organization).latest("uploaded_at")
    assert response["Location"] == reverse("vulnerabilities:scan", args=[scan.pk])
    return scan


def walk_objects(*, coordinator, organization, system) -> dict:
    """One scan, one unmatched host and one finding of `organization`, for tests/test_access_walk.py.

    The OpenVAS sample is imported for the organization; its first host is attached to `system` by hand
    (the walk's systems have no addresses), so the second stays unmatched for the walk's assign route.
    """
    scan = import_report(coordinator, organization, sample(OPENVAS_SAMPLE), name="alpha-openvas.xml")
    first, second = scan.hosts.order_by("ip")
    first, second = (first, second) if first.ip == OPENVAS_SAMPLE_HOST else (second, first)
    services.assign_host(actor=coordinator, host=first, system=system)
    finding = system.vuln_findings.order_by("pk").first()
    return {"scan": scan, "scan_host": second, "finding": finding}


def walk_upload() -> SimpleUploadedFile:
    """A scan file the walk may upload again and again: another report than the one `walk_objects` used."""
    return sample_upload(NESSUS_SAMPLE)
