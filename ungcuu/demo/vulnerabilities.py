"""Demo scans for the demo province: a year of OpenVAS rounds by the specialised unit and a Nessus scan by
the Department of Health, imported through the real parsers and services at the dates they happened.

Runs inside `load_demo`'s transaction after the province exists. The reports are written as the scanners
would write them, with the published CVEs of the products the registry says the systems run (Apache
Tomcat 9.0.65, WordPress 6.2, Microsoft IIS 10.0, Zimbra 8.8.15, nginx 1.22.1, Liferay 7.4, Oracle 19c).
Later full rounds close what units fixed and reopen what came back; managers accept a few risks (one has
already lapsed), responders mark false positives, and one internal host waits to be assigned.
"""

from __future__ import annotations

import datetime
import random
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from django.core.files.uploadedfile import SimpleUploadedFile

from ungcuu.accounts.models import User
from ungcuu.core.clock import travel
from ungcuu.organizations.models import Membership, Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.models import Finding, Scan
from ungcuu.vulnerabilities.severity import parse_vector

UTC = datetime.UTC
V3_CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V3_DOS = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
V3_LEAK = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"


class Vuln(NamedTuple):
    """One check as the scanner reports it: OpenVAS OID / Nessus plugin id, name, port, vector, CVEs, fix."""

    oid: str
    plugin: str
    name: str
    port: str
    vector: str
    cves: tuple[str, ...]
    solution: str


# (vendor, product, version) as the registry writes them -> what scanners say about that version.
CATALOGUE: dict[tuple[str, str], list[Vuln]] = {
    ("Tomcat", "9.0.65"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.153960",
            "233772",
            "Apache Tomcat 9.0.0.M1 - 9.0.98 RCE Vulnerability (Partial PUT)",
            "8080/tcp",
            V3_CRITICAL,
            ("CVE-2025-24813",),
            "Update to version 9.0.99 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.153751",
            "213077",
            "Apache Tomcat 9.0.0.M1 - 9.0.97 TOCTOU Race Condition RCE",
            "8080/tcp",
            V3_CRITICAL,
            ("CVE-2024-50379",),
            "Update to version 9.0.98 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.104384",
            "166906",
            "Apache Tomcat 9.0.0.M1 - 9.0.67 Request Smuggling Vulnerability",
            "8080/tcp",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N",
            ("CVE-2022-42252",),
            "Update to version 9.0.68 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.170608",
            "182873",
            "HTTP/2 'Rapid Reset' Denial of Service (DoS) Vulnerability (Apache Tomcat)",
            "443/tcp",
            V3_DOS,
            ("CVE-2023-44487",),
            "Update to version 9.0.81 or later.",
        ),
    ],
    ("WordPress", "6.2"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.127430",
            "175813",
            "WordPress < 6.2.1 Directory Traversal Vulnerability",
            "443/tcp",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
            ("CVE-2023-2745",),
            "Update to version 6.2.1 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.127585",
            "183283",
            "WordPress < 6.3.2 Multiple Vulnerabilities",
            "443/tcp",
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
            ("CVE-2023-38000", "CVE-2023-39999", "CVE-2023-5561"),
            "Update to version 6.3.2 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.112771",
            "88040",
            "WordPress REST API User Enumeration",
            "443/tcp",
            V3_LEAK,
            (),
            "Restrict the /wp-json/wp/v2/users endpoint to authenticated users.",
        ),
    ],
    ("IIS", "10.0"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.818946",
            "156620",
            "Microsoft Windows HTTP Protocol Stack RCE Vulnerability (CVE-2022-21907)",
            "443/tcp",
            V3_CRITICAL,
            ("CVE-2022-21907",),
            "Install the January 2022 security update.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.802887",
            "72390",
            "Microsoft IIS Tilde Character Short File Name Disclosure",
            "443/tcp",
            V3_LEAK,
            (),
            "Disable 8.3 file name creation (fsutil 8dot3name set 1) and strip existing names.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.170609",
            "182874",
            "HTTP/2 'Rapid Reset' Denial of Service (DoS) Vulnerability (Microsoft IIS)",
            "443/tcp",
            V3_DOS,
            ("CVE-2023-44487",),
            "Install the October 2023 security update.",
        ),
    ],
    ("Collaboration", "8.8.15"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.126141",
            "164036",
            "Zimbra Collaboration Suite Authentication Bypass / RCE (mboximport)",
            "443/tcp",
            V3_CRITICAL,
            ("CVE-2022-27925", "CVE-2022-37042"),
            "Update to version 8.8.15 Patch 33 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.104337",
            "166231",
            "Zimbra Collaboration Suite RCE via amavis cpio (CVE-2022-41352)",
            "25/tcp",
            V3_CRITICAL,
            ("CVE-2022-41352",),
            "Install pax and update to 8.8.15 Patch 34 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.151010",
            "185467",
            "Zimbra Collaboration Suite XSS Vulnerability (CVE-2023-37580)",
            "443/tcp",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
            ("CVE-2023-37580",),
            "Update to version 8.8.15 Patch 41 or later.",
        ),
    ],
    ("nginx", "1.22.1"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.114725",
            "205298",
            "nginx 1.5.13 - 1.27.0 MP4 Module Vulnerability",
            "443/tcp",
            "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:H",
            ("CVE-2024-7347",),
            "Update to version 1.26.2 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.170614",
            "182875",
            "HTTP/2 'Rapid Reset' Denial of Service (DoS) Vulnerability (nginx)",
            "443/tcp",
            V3_DOS,
            ("CVE-2023-44487",),
            "Update to version 1.25.3 or set keepalive_requests.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.171234",
            "216725",
            "nginx 1.11.4 - 1.27.3 TLS Session Resumption Bypass",
            "443/tcp",
            V3_LEAK,
            ("CVE-2025-23419",),
            "Update to version 1.26.3, 1.27.4 or later.",
        ),
    ],
    ("Portal", "7.4"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.126469",
            "179472",
            "Liferay Portal 7.4.3.81 - 7.4.3.85 Information Disclosure Vulnerability",
            "443/tcp",
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N",
            ("CVE-2023-3426",),
            "Update to version 7.4.3.86 or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.113656",
            "135860",
            "Liferay Portal JSON Web Services Accessible Without Authentication",
            "443/tcp",
            V3_LEAK,
            (),
            "Restrict /api/jsonws to authenticated users.",
        ),
    ],
    ("Database", "19c"): [
        Vuln(
            "1.3.6.1.4.1.25623.1.0.146366",
            "152041",
            "Oracle Database Server Multiple Vulnerabilities (July 2021 CPU)",
            "1521/tcp",
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:H/A:H",
            ("CVE-2021-2351",),
            "Apply the July 2021 Critical Patch Update or later.",
        ),
        Vuln(
            "1.3.6.1.4.1.25623.1.0.902769",
            "59322",
            "Oracle TNS Listener Remote Poisoning",
            "1521/tcp",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P",
            ("CVE-2012-1675",),
            "Set VALID_NODE_CHECKING_REGISTRATION_LISTENER=ON.",
        ),
    ],
}
TLS = Vuln(
    "1.3.6.1.4.1.25623.1.0.117274",
    "104743",
    "SSL/TLS: Deprecated TLSv1.0 and TLSv1.1 Protocol Detection",
    "443/tcp",
    "AV:N/AC:M/Au:N/C:P/I:N/A:N",
    ("CVE-2011-3389", "CVE-2015-0204"),
    "Disable TLSv1.0 and TLSv1.1 in favour of TLSv1.2+.",
)
# The specialised unit's full OpenVAS rounds over the last year (REFERENCE_DATE is 01/11/2026).
ROUNDS = (
    datetime.datetime(2025, 11, 20, 1, 30, tzinfo=UTC),
    datetime.datetime(2026, 5, 18, 1, 30, tzinfo=UTC),
    datetime.datetime(2026, 10, 12, 1, 30, tzinfo=UTC),
)
HEALTH_SCAN = datetime.datetime(2026, 8, 5, 2, 0, tzinfo=UTC)
INTERNAL_DB, UNKNOWN_HOST = "10.20.0.15", "10.20.0.99"


def build_demo(seed: int) -> str:
    """Scans and decisions for the demo province, in the order they happened; returns a one-line summary."""
    rng = random.Random(seed + 6)
    coordinator = User.objects.get(username="dieuphoi")
    targets = _targets()
    present: dict[tuple[int, str], bool] = {}
    for number, moment in enumerate(ROUNDS):
        if number == 2:
            _health_scan()
            _lapse_acceptances()
        hosts = [(system, _checks(rng, system, number, present)) for system in targets]
        _import(coordinator, "SO-KHCN", moment, _openvas(f"Rà quét định kỳ đợt {number + 1}", moment, hosts))
        if number == 1:
            _summer_acceptance(rng, coordinator)
    _decide(rng, coordinator)
    counts = {status: Finding.objects.filter(status=status).count() for status in Finding.Status.values}
    return (
        f"{Scan.objects.count()} vulnerability scans, {Finding.objects.count()} findings "
        f"({counts['open']} open, "
        f"{counts['reopened']} reopened, {counts['fixed']} fixed, {counts['risk_accepted']} risk accepted, "
        f"{counts['false_positive']} false positives)"
    )


def _versions(system: InformationSystem) -> set[tuple[str, str]]:
    return {(sw.product, sw.version) for sw in system.software.all()}


def _targets() -> list[InformationSystem]:
    """Internet-facing systems that run a catalogued product version."""
    systems = InformationSystem.objects.exclude(public_ips=[]).prefetch_related("software").order_by("pk")
    return [s for s in systems if _versions(s) & CATALOGUE.keys()]


# Chance that a check is seen in a round: (if seen in the previous round, if not).
PERSISTENCE = ((0.9, 0.9), (0.5, 0.1), (0.6, 0.15))


def _checks(rng: random.Random, system: InformationSystem, number: int, present: dict) -> list[Vuln]:
    """What a round finds: most of it at first; then about half is fixed, and a little comes back."""
    found = []
    vulns = [v for key in sorted(_versions(system) & CATALOGUE.keys()) for v in CATALOGUE[key]] + [TLS]
    for vuln in vulns:
        was_seen = present.get((system.pk, vuln.oid), False)
        seen = rng.random() < PERSISTENCE[number][0 if was_seen else 1]
        present[(system.pk, vuln.oid)] = seen
        if seen:
            found.append(vuln)
    return found


def _import(actor, code: str, moment: datetime.datetime, report: bytes, name: str = "", **kwargs) -> Scan:
    upload = SimpleUploadedFile(
        name or f"openvas-{moment:%Y%m%d}.xml", report, content_type="application/xml"
    )
    with travel(moment + datetime.timedelta(hours=6)):
        organization = Organization.objects.get(code=code)
        return services.import_scan(actor=actor, organization=organization, uploaded_file=upload, **kwargs)


def _openvas(
    task: str, moment: datetime.datetime, hosts: list[tuple[InformationSystem, list[Vuln]]]
) -> bytes:
    results = "".join(_result(system, vuln) for system, vulns in hosts for vuln in vulns)
    host_rows = "".join(f"<host><ip>{s.public_ips[0]}</ip>{_hostname_detail(s)}</host>" for s, _v in hosts)
    start, end = moment, moment + datetime.timedelta(hours=5, minutes=17)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<report id="demo" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5">'
        f"<name>{start:%Y-%m-%dT%H:%M:%SZ}</name><report id='demo'><gmp><version>22.4</version></gmp>"
        f"<task><name>{escape(task)}</name></task><scan_start>{start:%Y-%m-%dT%H:%M:%SZ}</scan_start>"
        f"<results start='1' max='-1'>{results}</results>{host_rows}"
        f"<scan_end>{end:%Y-%m-%dT%H:%M:%SZ}</scan_end>"
        "</report></report>"
    ).encode()


def _hostname_detail(system: InformationSystem) -> str:
    name = system.domains[0] if system.domains else ""
    return f"<detail><name>hostname</name><value>{escape(name)}</value></detail>" if name else ""


def _result(system: InformationSystem, vuln: Vuln) -> str:
    ip, name = system.public_ips[0], escape(vuln.name)
    hostname = escape(system.domains[0]) if system.domains else ""
    refs = "".join(f'<ref type="cve" id="{cve}"/>' for cve in vuln.cves)
    return (
        f"<result><name>{name}</name><host>{ip}<hostname>{hostname}</hostname></host><port>{vuln.port}</port>"
        f"<nvt oid={quoteattr(vuln.oid)}><type>nvt</type><name>{name}</name><severities><severity "
        f"type='cvss_base_v3'><value>{vuln.vector}</value></severity></severities><tags>summary={_summary(vuln)}|"
        f"solution_type=VendorFix</tags><solution type='VendorFix'>{escape(vuln.solution)}</solution>"
        f"<refs>{refs}</refs></nvt><severity>{_score(vuln)}</severity><qod><value>80</value></qod>"
        f"<description>Detected on {escape(hostname or ip)}.</description></result>"
    )


def _summary(vuln: Vuln) -> str:
    affected = ", ".join(vuln.cves) if vuln.cves else "a configuration weakness"
    return escape(f"The installed version or configuration is affected by {affected}.")


def _score(vuln: Vuln) -> str:
    parsed = parse_vector(vuln.vector)
    return str(parsed[0]) if parsed else ""


def _health_scan() -> None:
    """The Department of Health scans its own systems with Nessus, internal database server included."""
    responder, manager = User.objects.get(username="syte.ungcuu"), User.objects.get(username="syte.quanly")
    systems = list(InformationSystem.objects.filter(operator__code="SO-YTE").order_by("pk"))
    exposed = [(s, s.public_ips[0]) for s in systems if s.public_ips and _versions(s) & CATALOGUE.keys()]
    hosts = [(ip, s.domains[0] if s.domains else "", _nessus_items(s)) for s, ip in exposed]
    oracle = CATALOGUE[("Database", "19c")]
    hosts += [(INTERNAL_DB, "", oracle), (UNKNOWN_HOST, "", oracle[1:])]
    scan = _import(responder, "SO-YTE", HEALTH_SCAN, _nessus(hosts), name="syt-noi-bo.nessus", is_full=False)
    # Oracle 19c without a portal: the health-records application's database, not the web portal's.
    with_db = next(
        (
            s
            for s in systems
            if {("Database", "19c")} == _versions(s) & {("Database", "19c"), ("Portal", "7.4")}
        ),
        None,
    )
    if with_db is not None:  # the responder knows the internal address belongs to the health-records system
        with travel(HEALTH_SCAN + datetime.timedelta(days=1)):
            services.assign_host(actor=manager, host=scan.hosts.get(ip=INTERNAL_DB), system=with_db)


def _nessus_items(system: InformationSystem) -> list[Vuln]:
    return [v for key in sorted(_versions(system) & CATALOGUE.keys()) for v in CATALOGUE[key]]


def _nessus(hosts: list[tuple[str, str, list[Vuln]]]) -> bytes:
    start, end = int(HEALTH_SCAN.timestamp()), int(HEALTH_SCAN.timestamp()) + 3 * 3600
    body = []
    for ip, fqdn, vulns in hosts:
        tags = f'<tag name="host-ip">{ip}</tag><tag name="HOST_START_TIMESTAMP">{start}</tag>'
        tags += f'<tag name="HOST_END_TIMESTAMP">{end}</tag>' + (
            f'<tag name="host-fqdn">{fqdn}</tag>' if fqdn else ""
        )
        items = "".join(
            f'<ReportItem port="{v.port.split("/")[0]}" svc_name="www" protocol="tcp" severity="3" '
            f"pluginID={quoteattr(v.plugin)} pluginName={quoteattr(v.name)}>"
            + "".join(f"<cve>{c}</cve>" for c in v.cves)
            + f"<cvss3_vector>{v.vector}</cvss3_vector><solution>{escape(v.solution)}</solution>"
            f"<synopsis>{escape(v.name)}</synopsis></ReportItem>"
            for v in vulns
        )
        body.append(f'<ReportHost name="{ip}"><HostProperties>{tags}</HostProperties>{items}</ReportHost>')
    report = f'<Report name="Rà quét nội bộ Sở Y tế quý III">{"".join(body)}</Report>'
    return f'<?xml version="1.0" ?>\n<NessusClientData_v2>{report}</NessusClientData_v2>'.encode()


def _decision_maker(finding: Finding, coordinator: User, role: str) -> User:
    membership = (
        Membership.objects.filter(organization=finding.system.operator, role=role)
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None else coordinator


def _summer_acceptance(rng: random.Random, coordinator: User) -> None:
    """In June a unit accepted two risks until the end of September, waiting for a vendor patch."""
    unresolved = list(Finding.objects.unresolved().order_by("pk"))
    with travel(datetime.datetime(2026, 6, 10, 2, 0, tzinfo=UTC)):
        for finding in rng.sample(unresolved, k=min(2, len(unresolved))):
            services.accept_risk(
                actor=_decision_maker(finding, coordinator, Membership.Role.MANAGER),
                finding=finding,
                reason="Chờ nhà cung cấp phát hành bản vá; đã giới hạn truy cập theo địa chỉ IP.",
                expires_on=datetime.date(2026, 9, 30),
            )


def _lapse_acceptances() -> None:
    """The daily job on 1 October: the summer acceptances have run out and are open again."""
    with travel(datetime.datetime(2026, 9, 30, 18, 0, tzinfo=UTC)):
        services.expire_risk_acceptances()


def _decide(rng: random.Random, coordinator: User) -> None:
    """Judgements after the last round: accepted risks, false positives, people named responsible."""
    unresolved = list(Finding.objects.unresolved().select_related("system__operator").order_by("pk"))
    rng.shuffle(unresolved)
    with travel(datetime.datetime(2026, 10, 20, 2, 0, tzinfo=UTC)):
        for finding in unresolved[:4]:
            services.accept_risk(
                actor=_decision_maker(finding, coordinator, Membership.Role.MANAGER),
                finding=finding,
                reason="Máy chủ sẽ được thay thế trong đợt nâng cấp quý I; đã chặn truy cập bằng WAF.",
                expires_on=datetime.date(2027, 1, 31),
            )
        for finding in [f for f in unresolved[4:] if not f.cve_ids][:2]:
            services.mark_false_positive(
                actor=_decision_maker(finding, coordinator, Membership.Role.RESPONDER),
                finding=finding,
                reason="Đã kiểm tra thủ công: tính năng đã tắt, máy quét chỉ dựa vào số phiên bản.",
            )
        for finding in unresolved[8:16]:
            services.set_finding_owner(actor=coordinator, finding=finding, user=_owner(finding))


def _owner(finding: Finding) -> User | None:
    return services.responsible_people(finding).order_by("pk").first()
