"""Importing a scan and attaching hosts: results become findings, deduplicated per system and scanner.

A finding is one (system, scanner, check, port, protocol). A later scan that sees it again moves its
last-seen date; a later *full* scan of the same scanner that covers the system and no longer sees it
closes it as fixed; a scan after that which sees it again reopens it. Checks of different scanners never
close each other's findings: an Nmap port sweep says nothing about an OpenVAS check.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter, defaultdict
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.core import validators
from ungcuu.obligations.models import EvidenceKind
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities.access import can_import, can_triage
from ungcuu.vulnerabilities.importers import IMPORTERS, ParsedScan, ReportRefused, read_report
from ungcuu.vulnerabilities.matching import SystemIndex
from ungcuu.vulnerabilities.models import Finding, FindingEvent, Scan, ScanHost, ScanResult, due_date
from ungcuu.vulnerabilities.services.transitions import move
from ungcuu.vulnerabilities.severity import Severity
from ungcuu.vulnerabilities.uploads import read_upload

logger = logging.getLogger(__name__)
Status = Finding.Status
Kind = FindingEvent.Kind
OBLIGATION_CODE = "VULN_SCAN_THREAT_HUNT"
DETAIL_FIELDS = ("name", "severity", "cvss_score", "cvss_vector", "cve_ids", "description", "solution")


@transaction.atomic
def import_scan(
    *, actor, organization: Organization, uploaded_file: UploadedFile, tool: str | None = None, is_full=True
) -> Scan:
    """Read a scanner report and record its hosts, results and findings: everything or nothing."""
    access.require(can_import(actor, organization))
    if tool and tool not in IMPORTERS:
        raise ValidationError({"tool": [_("Unknown scanner format.")]})
    data = read_upload(uploaded_file)
    digest = hashlib.sha256(data).hexdigest()
    _refuse_duplicate(organization, digest)
    try:
        parsed = read_report(data, tool or None)
    except ReportRefused as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    _check_scan_dates(parsed)
    scan = _create_scan(actor, organization, parsed, uploaded_file, digest, len(data), is_full)
    results = _record_hosts(scan, parsed, actor)
    counts: Counter[str] = Counter()
    by_system: dict[InformationSystem, list[ScanResult]] = defaultdict(list)
    for host, host_results in results.items():
        if host.system is not None:
            by_system[host.system] += host_results
    for system, system_results in by_system.items():
        counts += _apply(scan, system, system_results, actor)
    # Written after the findings exist, so each result is stored already linked to its finding.
    ScanResult.objects.bulk_create([r for host_results in results.values() for r in host_results])
    _count(scan, results, counts)
    _after_scan(actor, scan, list(by_system))
    return scan


def _check_scan_dates(parsed: ParsedScan) -> None:
    """A scan dated 2099 (a scanner with a wrong clock, or the wrong file) would sit at the top of every
    list for ever and fake the yearly threat-hunting duty: refuse it with the date it claims."""
    for when in (parsed.started_at, parsed.finished_at):
        try:
            validators.check_not_future(when, "file")
        except ValidationError:
            raise ValidationError(
                {
                    "file": [
                        _("The report says the scan ran on %(date)s: check the scanner's clock or the file.")
                        % {"date": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")}
                    ]
                }
            ) from None


def _refuse_duplicate(organization: Organization, digest: str) -> None:
    earlier = Scan.objects.filter(organization=organization, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            {
                "file": [
                    _("This file was already imported on %(date)s (“%(name)s”).")
                    % {
                        "date": timezone.localtime(earlier.uploaded_at).strftime("%d/%m/%Y %H:%M"),
                        "name": earlier,
                    }
                ]
            }
        )


def _create_scan(actor, organization, parsed: ParsedScan, uploaded_file, digest, size, is_full) -> Scan:
    now = timezone.now()
    scan = Scan(
        organization=organization,
        uploaded_by=actor,
        uploaded_at=now,
        tool=parsed.tool,
        file_name=os.path.basename(uploaded_file.name or "")[:255] or "report.xml",
        sha256=digest,
        size=size,
        report_name=parsed.name,
        scanner_version=parsed.scanner_version,
        started_at=parsed.started_at,
        finished_at=parsed.finished_at,
        observed_at=parsed.finished_at or parsed.started_at or now,
        is_full=bool(is_full),
    )
    try:
        with transaction.atomic():  # a savepoint: two uploads of one file at once must not both pass
            scan.save()
    except IntegrityError:
        _refuse_duplicate(organization, digest)
        raise
    return scan


def _record_hosts(scan: Scan, parsed: ParsedScan, actor) -> dict[ScanHost, list[ScanResult]]:
    """Hosts matched against the systems the uploader can see; results (unsaved) per host, info dropped."""
    systems = {s.pk: s for s in InformationSystem.objects.visible_to(actor).filter(is_active=True)}
    index = SystemIndex.of(systems.values())
    hosts = {}
    for parsed_host in parsed.hosts:
        match = index.match(parsed_host.ip, parsed_host.hostname)
        hosts[parsed_host.key] = ScanHost(
            scan=scan,
            ip=parsed_host.ip or None,
            hostname=parsed_host.hostname,
            ports=[asdict(port) for port in parsed_host.ports],
            system=systems.get(match.system_id) if match.system_id else None,
            matched_by=match.matched_by,
            candidates=match.candidates,
        )
    ScanHost.objects.bulk_create(hosts.values())
    results: dict[ScanHost, list[ScanResult]] = {host: [] for host in hosts.values()}
    for finding in parsed.findings:
        if finding.severity != Severity.NONE and finding.host in hosts:
            host = hosts[finding.host]
            fields = {name: getattr(finding, name) for name in DETAIL_FIELDS}
            fields["cve_ids"] = list(finding.cve_ids)
            results[host].append(
                ScanResult(
                    host=host,
                    check_id=finding.check_id,
                    port=finding.port,
                    protocol=finding.protocol,
                    **fields,
                )
            )
    return results


# Fields a later scan may change on an existing finding.
OBSERVED_FIELDS = [
    *DETAIL_FIELDS,
    "first_seen",
    "last_seen",
    "last_scan",
    "status",
    "status_changed_at",
    "due_on",
    "fixed_at",
    "risk_expires_on",
    "search_text",
]


def _apply(scan: Scan, system: InformationSystem, results: list[ScanResult], actor) -> Counter[str]:
    """Fold one scan's results on one system into its findings; a full scan closes what it missed.

    New findings and history rows are written in bulk (a large Nessus file has thousands of results).
    Sets `result.finding` on each result; saving the results is the caller's.
    """
    counts: Counter[str] = Counter()
    existing = {f.key: f for f in Finding.objects.select_for_update().filter(system=system, tool=scan.tool)}
    new: dict[tuple, Finding] = {}
    changed: dict[int, Finding] = {}
    events: list[FindingEvent] = []
    for result in results:
        key = (result.check_id, result.port, result.protocol)
        if key in new or (key in existing and existing[key].pk in changed):
            continue  # the same check twice in one scan (two addresses of one system): seen once
        if key in existing:
            finding = changed[existing[key].pk] = existing[key]
            counts[_observe(finding, scan, result, actor, events)] += 1
        else:
            new[key] = _new_finding(scan, system, result)
    Finding.objects.bulk_create(new.values())
    events += [_event(f, Kind.FOUND, "", scan, actor) for f in new.values()]
    if scan.is_full:
        for finding in existing.values():
            if finding.pk not in changed and _closes(finding, scan):
                changed[finding.pk] = finding
                events.append(_close(finding, scan, actor))
                counts["fixed"] += 1
    for finding in changed.values():
        # One plain UPDATE per row: bulk_update's CASE expressions cost more to build than they save here.
        finding.save(update_fields=OBSERVED_FIELDS)
    FindingEvent.objects.bulk_create(events)
    for result in results:
        key = (result.check_id, result.port, result.protocol)
        result.finding = new.get(key) or existing[key]
    counts["new"] += len(new)
    return counts


def _closes(finding: Finding, scan: Scan) -> bool:
    """A full scan closes what it no longer sees, unless the finding was seen by a later scan already."""
    return finding.status in Finding.CLOSABLE and finding.last_seen < scan.observed_at


def _details(result: ScanResult) -> dict:
    return {name: getattr(result, name) for name in DETAIL_FIELDS}


def _event(finding: Finding, kind: str, before: str, scan: Scan, actor) -> FindingEvent:
    return FindingEvent(
        finding=finding, kind=kind, from_status=before, to_status=finding.status, scan=scan, actor=actor
    )


def _new_finding(scan: Scan, system: InformationSystem, result: ScanResult) -> Finding:
    moment = scan.observed_at
    finding = Finding(
        system=system,
        tool=scan.tool,
        check_id=result.check_id,
        port=result.port,
        protocol=result.protocol,
        **_details(result),
        status=Status.OPEN,
        status_changed_at=timezone.now(),
        first_seen=moment,
        last_seen=moment,
        last_scan=scan,
        due_on=due_date(result.severity, timezone.localdate(moment)),
        owner_organization=system.operator,
    )
    finding.fill_search_text()
    return finding


def _observe(finding: Finding, scan: Scan, result: ScanResult, actor, events: list[FindingEvent]) -> str:
    """Seen again: a newer scan brings its details (and reopens a fixed finding); an older one only
    moves first-seen back. Returns 'reopened' or 'seen' for the scan's counts."""
    if scan.observed_at < finding.last_seen:
        finding.first_seen = min(finding.first_seen, scan.observed_at)
        return "seen"
    severity_changed = finding.severity != result.severity
    for name, value in _details(result).items():
        setattr(finding, name, value)
    finding.last_seen, finding.last_scan = scan.observed_at, scan
    if finding.status == Status.FIXED and (finding.fixed_at is None or scan.observed_at > finding.fixed_at):
        move(finding, Status.REOPENED)
        finding.due_on = due_date(finding.severity, timezone.localdate(scan.observed_at))
        events.append(_event(finding, Kind.REOPENED, Status.FIXED, scan, actor))
        return "reopened"
    if severity_changed and finding.is_unresolved:
        start = finding.first_seen if finding.status == Status.OPEN else finding.status_changed_at
        finding.due_on = due_date(finding.severity, timezone.localdate(start))
    return "seen"


def _close(finding: Finding, scan: Scan, actor) -> FindingEvent:
    before = finding.status
    move(finding, Status.FIXED)
    finding.fixed_at, finding.risk_expires_on = scan.observed_at, None
    return _event(finding, Kind.FIXED, before, scan, actor)


def _count(scan: Scan, results: dict[ScanHost, list[ScanResult]], counts: Counter[str]) -> None:
    every = [r for host_results in results.values() for r in host_results]
    by_severity = Counter(r.severity for r in every)
    scan.host_count = len(results)
    scan.matched_host_count = sum(1 for host in results if host.system_id)
    scan.result_count = len(every)
    scan.severity_counts = {s: by_severity[s] for s in Severity.values if by_severity[s]}
    scan.new_count, scan.fixed_count, scan.reopened_count = counts["new"], counts["fixed"], counts["reopened"]
    scan.save()


def _after_scan(actor, scan: Scan, systems: list[InformationSystem]) -> None:
    """The scan is the systems' periodic scan (CT18): their registry date and the obligation occurrence."""
    if not systems:
        return
    day = timezone.localdate(scan.observed_at)
    # A queryset update on purpose: the date is a fact the scan establishes, not a registry edit, so it
    # must not write a registry "updated" event per system per import; and an older scan imported late
    # must never move the date back.
    InformationSystem.objects.filter(pk__in=[s.pk for s in systems]).filter(
        Q(last_vuln_scan_on__isnull=True) | Q(last_vuln_scan_on__lt=day)
    ).update(last_vuln_scan_on=day)
    for system in systems:
        _fulfil(actor, scan, system, day)


def _fulfil(actor, scan: Scan, system: InformationSystem, day) -> None:
    """The import is the system's scan occurrence; an obligation set up to refuse scans is not a reason
    to refuse the scan, so that refusal is logged and the import goes on."""
    try:
        record_fulfilment(
            actor=actor,
            code=OBLIGATION_CODE,
            organization=system.operator,
            system=system,
            on=day,
            evidence_kind=EvidenceKind.SCAN,
            evidence=scan,
            note=f"{scan.get_tool_display()}: {scan}"[:500],
        )
    except ValidationError as exc:
        logger.warning("scan %s not recorded for obligation %s: %s", scan.pk, OBLIGATION_CODE, exc.messages)


@transaction.atomic
def assign_host(*, actor, host: ScanHost, system: InformationSystem) -> ScanHost:
    """Attach a host no system matched to a registered system; what the scan found on it follows."""
    host = ScanHost.objects.select_for_update().select_related("scan").get(pk=host.pk)
    scan = host.scan
    access.require(can_import(actor, scan.organization) and can_triage(actor, system))
    if host.system_id is not None:
        raise ValidationError(
            {"system": [_("This host is already attached to “%(system)s”.") % {"system": host.system}]}
        )
    host.system, host.matched_by, host.candidates = system, ScanHost.MatchedBy.MANUAL, []
    host.assigned_by, host.assigned_at = actor, timezone.now()
    host.save()
    results = list(host.results.all())
    counts = _apply(scan, system, results, actor)
    ScanResult.objects.bulk_update(results, ["finding"])
    Scan.objects.filter(pk=scan.pk).update(
        matched_host_count=F("matched_host_count") + 1,
        new_count=F("new_count") + counts["new"],
        fixed_count=F("fixed_count") + counts["fixed"],
        reopened_count=F("reopened_count") + counts["reopened"],
    )
    _after_scan(actor, scan, [system])
    return host
