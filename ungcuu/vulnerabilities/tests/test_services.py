"""Import and finding lifecycle: deduplication, closing by full scans, reopening, matching, assignment."""

import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.systems import services as system_services
from ungcuu.vulnerabilities import services
from ungcuu.vulnerabilities.models import Finding, FindingEvent, Scan, ScanHost, ScanResult
from ungcuu.vulnerabilities.tests.helpers import (
    NESSUS_SAMPLE,
    NMAP_SAMPLE,
    OPENVAS_SAMPLE,
    Result,
    import_report,
    openvas_report,
    sample,
)

pytestmark = pytest.mark.django_db
Status = Finding.Status
T0 = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
TOMCAT = Result("1.0.1", port="8080/tcp", score="9.8", vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
TLS = Result("1.0.2", score="4.3", vector="AV:N/AC:M/Au:N/C:P/I:N/A:N")
SSH = Result("1.0.3", port="22/tcp", score="5.3", vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N")


def scan_of(coordinator, org, results, *, days=0, **kwargs):
    report = openvas_report(results, end=T0 + datetime.timedelta(days=days), hosts=("203.0.113.10",))
    return import_report(coordinator, org, report, name=f"scan-{days}.xml", **kwargs)


def statuses(system):
    return dict(Finding.objects.filter(system=system).values_list("check_id", "status"))


def test_openvas_sample_matches_the_system_by_ip_and_opens_its_findings(coordinator, org_a, system_a):
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))

    matched, unmatched = scan.hosts.get(ip="203.0.113.10"), scan.hosts.get(ip="198.51.100.20")
    assert matched.system == system_a and matched.matched_by == ScanHost.MatchedBy.IP
    assert unmatched.system is None
    # 4 scored results on the matched host (the log-level OS detection is not a finding)
    assert Finding.objects.filter(system=system_a).count() == 4
    assert (scan.host_count, scan.matched_host_count, scan.result_count, scan.new_count) == (2, 1, 6, 4)
    assert scan.severity_counts == {"critical": 1, "high": 2, "medium": 3}
    assert scan.started_at == datetime.datetime(2026, 3, 14, 1, 0, 7, tzinfo=datetime.UTC)
    critical = Finding.objects.get(system=system_a, severity="critical")
    assert critical.cve_ids == ["CVE-2025-24813"] and critical.port_display == "443/tcp"
    assert critical.due_on == datetime.date(2026, 3, 21)  # 7 days from the scan (Hanoi time: 14/03)
    assert critical.owner_organization == org_a
    assert critical.events.get().kind == FindingEvent.Kind.FOUND


def test_a_host_matches_by_domain_name_when_the_ip_is_unknown(coordinator, org_a, manager):
    system = system_services.register_system(
        actor=manager,
        name="Cổng Alpha",
        owner=org_a,
        operator=org_a,
        security_level=2,
        domains=["alpha.example.gov.vn"],
    )
    scan = import_report(coordinator, org_a, sample(NESSUS_SAMPLE))
    host = scan.hosts.get(ip="203.0.113.10")
    assert host.system == system and host.matched_by == ScanHost.MatchedBy.HOSTNAME


def test_an_ip_shared_by_two_systems_is_settled_by_the_name_or_left_to_people(coordinator, org_a, manager):
    common = {"owner": org_a, "operator": org_a, "security_level": 2, "public_ips": ["203.0.113.0/28"]}
    portal = system_services.register_system(
        actor=manager, name="Cổng Alpha", domains=["www.alpha.example.gov.vn"], **common
    )
    system_services.register_system(
        actor=manager, name="Một cửa Alpha", domains=["motcua.example.gov.vn"], **common
    )
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    assert scan.hosts.get(ip="203.0.113.10").system == portal  # www. is ignored when comparing names

    report = openvas_report([replace(TLS, hostname="other.example.gov.vn")], end=T0)
    ambiguous = import_report(coordinator, org_a, report).hosts.get()
    assert ambiguous.system is None and len(ambiguous.candidates) == 2


def test_a_unit_only_matches_its_own_systems(responder, org_a, system_a, outsider, org_b):
    system_services.register_system(
        actor=outsider,
        name="Beta",
        owner=org_b,
        operator=org_b,
        security_level=2,
        public_ips=["198.51.100.20"],
    )
    scan = import_report(responder, org_a, sample(OPENVAS_SAMPLE))
    assert scan.hosts.get(ip="203.0.113.10").system == system_a
    assert scan.hosts.get(ip="198.51.100.20").system is None  # org B's system is not org A's to see


def test_importing_the_same_file_twice_is_refused_and_changes_nothing(coordinator, org_a, system_a):
    import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    before = (Scan.objects.count(), Finding.objects.count(), ScanResult.objects.count())
    with pytest.raises(ValidationError, match="already imported"):
        import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    assert (Scan.objects.count(), Finding.objects.count(), ScanResult.objects.count()) == before


def test_the_same_scan_exported_again_creates_no_duplicate_findings(coordinator, org_a, system_a):
    first = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    again = sample(OPENVAS_SAMPLE).replace(b"<comment></comment>", b"<comment>exported again</comment>", 1)
    second = import_report(coordinator, org_a, again)

    assert Finding.objects.filter(system=system_a).count() == 4
    assert second.new_count == 0 and second.fixed_count == 0
    assert all(f.last_scan == second for f in Finding.objects.all())
    assert ScanResult.objects.filter(host__scan=first).exclude(finding=None).count() == 4


def test_a_later_full_scan_closes_what_it_no_longer_sees_and_reopens_what_comes_back(
    coordinator, org_a, system_a
):
    scan_of(coordinator, org_a, [TOMCAT, TLS, SSH])
    second = scan_of(coordinator, org_a, [TLS], days=30)
    assert statuses(system_a) == {"1.0.1": Status.FIXED, "1.0.2": Status.OPEN, "1.0.3": Status.FIXED}
    assert second.fixed_count == 2

    third = scan_of(coordinator, org_a, [TLS, TOMCAT], days=60)
    tomcat = Finding.objects.get(check_id="1.0.1")
    assert tomcat.status == Status.REOPENED and third.reopened_count == 1
    assert tomcat.due_on == datetime.date(2026, 5, 7)  # 7 days from the scan that saw it again
    assert list(tomcat.events.values_list("kind", flat=True)) == ["reopened", "fixed", "found"]
    assert Finding.objects.count() == 3


def test_a_partial_scan_closes_nothing(coordinator, org_a, system_a):
    scan_of(coordinator, org_a, [TOMCAT, TLS])
    scan_of(coordinator, org_a, [TLS], days=30, is_full=False)
    assert statuses(system_a) == {"1.0.1": Status.OPEN, "1.0.2": Status.OPEN}


def test_an_older_scan_imported_late_closes_and_reopens_nothing(coordinator, org_a, system_a):
    scan_of(coordinator, org_a, [TOMCAT, TLS], days=30)
    scan_of(coordinator, org_a, [TLS, SSH], days=1)
    assert statuses(system_a) == {"1.0.1": Status.OPEN, "1.0.2": Status.OPEN, "1.0.3": Status.OPEN}
    tls = Finding.objects.get(check_id="1.0.2")
    assert tls.first_seen < tls.last_seen and tls.last_seen == T0 + datetime.timedelta(days=30)


def test_another_scanner_does_not_close_openvas_findings(coordinator, org_a, system_a):
    import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    import_report(coordinator, org_a, sample(NMAP_SAMPLE))
    assert not Finding.objects.filter(status=Status.FIXED).exists()
    assert Finding.objects.filter(tool="nmap", system=system_a).count() == 1


def test_false_positives_stay_judged_and_accepted_risks_close_when_fixed(
    coordinator, org_a, system_a, manager
):
    scan_of(coordinator, org_a, [TOMCAT, TLS])
    tomcat, tls = Finding.objects.get(check_id="1.0.1"), Finding.objects.get(check_id="1.0.2")
    services.mark_false_positive(actor=manager, finding=tls, reason="TLS 1.0 chỉ bật ở cổng quản trị nội bộ")
    services.accept_risk(actor=manager, finding=tomcat, reason="Thay thế trong quý III", expires_on=_days(60))

    scan_of(coordinator, org_a, [TLS], days=30)
    assert statuses(system_a) == {"1.0.1": Status.FIXED, "1.0.2": Status.FALSE_POSITIVE}
    assert Finding.objects.get(check_id="1.0.1").risk_expires_on is None


def test_a_severity_change_moves_the_due_date(coordinator, org_a, system_a):
    scan_of(coordinator, org_a, [TLS])
    scan_of(coordinator, org_a, [replace(TLS, score="9.8", vector=TOMCAT.vector)], days=10)
    tls = Finding.objects.get()
    assert tls.severity == "critical" and tls.due_on == datetime.date(2026, 3, 8)


def test_assigning_an_unmatched_host_attaches_its_findings(coordinator, org_a, system_a, manager):
    other = system_services.register_system(
        actor=manager, name="Alpha nginx", owner=org_a, operator=org_a, security_level=2
    )
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    host = scan.hosts.get(ip="198.51.100.20")

    services.assign_host(actor=manager, host=host, system=other)

    host.refresh_from_db()
    scan.refresh_from_db()
    assert host.system == other and host.matched_by == "manual" and host.assigned_by == manager
    assert Finding.objects.filter(system=other).count() == 2
    assert (scan.matched_host_count, scan.new_count) == (2, 6)
    other.refresh_from_db()
    assert other.last_vuln_scan_on == datetime.date(2026, 3, 14)
    with pytest.raises(ValidationError, match="already attached"):
        services.assign_host(actor=manager, host=host, system=system_a)


def test_only_the_scan_owner_who_may_triage_the_system_assigns_hosts(
    coordinator, org_a, viewer, outsider, system_b
):
    scan = import_report(coordinator, org_a, sample(OPENVAS_SAMPLE))
    host = scan.hosts.get(ip="198.51.100.20")
    for person, system in ((viewer, scan.hosts.get(ip="203.0.113.10").system), (outsider, system_b)):
        with pytest.raises(PermissionDenied):
            services.assign_host(actor=person, host=host, system=system)
    host.refresh_from_db()
    assert host.system is None


def test_the_scan_sets_the_last_scan_date_but_never_moves_it_back(coordinator, org_a, system_a):
    scan_of(coordinator, org_a, [TLS], days=30)
    scan_of(coordinator, org_a, [TLS], days=1)
    system_a.refresh_from_db()
    assert system_a.last_vuln_scan_on == datetime.date(2026, 3, 31)


def test_viewer_and_outsider_cannot_import(viewer, outsider, org_a, national):
    for person in (viewer, outsider, national):
        with pytest.raises(PermissionDenied):
            import_report(person, org_a, sample(OPENVAS_SAMPLE))
    assert not Scan.objects.exists()


def test_a_responder_imports_for_their_unit(responder, org_a, system_a):
    scan = import_report(responder, org_a, sample(NESSUS_SAMPLE), name="alpha.xml")
    assert scan.tool == "nessus" and Finding.objects.filter(system=system_a).count() == 3


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_scan_dated_2099_is_refused_with_the_date_it_claims(coordinator, org_a, system_a):
    report = openvas_report([TOMCAT], end=datetime.datetime(2099, 1, 1, 2, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError) as caught:
        import_report(coordinator, org_a, report, name="future.xml")
    assert "2099" in caught.value.message_dict["file"][0]
    assert not Scan.objects.exists() and not Finding.objects.exists()
