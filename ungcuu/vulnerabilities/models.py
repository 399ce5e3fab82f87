"""Imported scans, what each saw on which host, and the findings they add up to per system."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.core.models import AppendOnlyModel
from ungcuu.core.states import TransitionsMixin
from ungcuu.core.text import fold_many
from ungcuu.organizations.models import Organization, visible_organization_ids
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities.severity import RANK, Severity

DEFAULT_DUE_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 180}


class Tool(models.TextChoices):
    OPENVAS = "openvas", _("OpenVAS / Greenbone")
    NESSUS = "nessus", _("Nessus")
    NMAP = "nmap", _("Nmap")


class ScanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScanQuerySet:
        """A scan shows every host it touched, so only its own organization's members (and province-wide
        users) see it; other units see the findings on their systems instead."""
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)


class Scan(models.Model):
    """One imported scanner report: who uploaded it, what it covered, and what it changed."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="vuln_scans"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    tool = models.CharField(_("scanner"), max_length=20, choices=Tool.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    report_name = models.CharField(_("report name"), max_length=300, blank=True)
    scanner_version = models.CharField(_("scanner version"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("scan started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("scan finished"), null=True, blank=True)
    # When the scanner saw what it reports: the report's end, else its start, else the upload.
    observed_at = models.DateTimeField(_("scanned at"))
    is_full = models.BooleanField(
        _("full scan"),
        default=True,
        help_text=_("A full scan closes the findings it no longer sees on the hosts it covered."),
    )
    host_count = models.PositiveIntegerField(_("hosts"), default=0)
    matched_host_count = models.PositiveIntegerField(_("hosts matched to systems"), default=0)
    result_count = models.PositiveIntegerField(_("results"), default=0)
    new_count = models.PositiveIntegerField(_("new findings"), default=0)
    fixed_count = models.PositiveIntegerField(_("findings closed as fixed"), default=0)
    reopened_count = models.PositiveIntegerField(_("findings reopened"), default=0)
    severity_counts = models.JSONField(_("results by severity"), default=dict, blank=True)

    objects = ScanQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("vulnerability scan")
        verbose_name_plural = _("vulnerability scans")
        constraints = [
            models.UniqueConstraint(fields=["organization", "sha256"], name="scan_file_once_per_organization")
        ]

    def __str__(self) -> str:
        return self.report_name or self.file_name

    @property
    def unmatched_host_count(self) -> int:
        return self.host_count - self.matched_host_count


class ScanHostQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScanHostQuerySet:
        return self.filter(scan__in=Scan.objects.visible_to(user).values("pk"))


class ScanHost(models.Model):
    """A host the scan reported, and the registered system it belongs to (matched or assigned by hand)."""

    class MatchedBy(models.TextChoices):
        IP = "ip", _("public IP address")
        HOSTNAME = "hostname", _("domain name")
        MANUAL = "manual", _("assigned by hand")

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="hosts")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    ports = models.JSONField(_("open ports"), default=list, blank=True)
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scan_hosts",
    )
    matched_by = models.CharField(_("matched by"), max_length=20, choices=MatchedBy.choices, blank=True)
    # Systems that share this host's address or name when no single one could be chosen.
    candidates = models.JSONField(default=list, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    objects = ScanHostQuerySet.as_manager()

    class Meta:
        ordering = ["scan", "ip", "hostname", "id"]
        verbose_name = _("scanned host")
        verbose_name_plural = _("scanned hosts")

    def __str__(self) -> str:
        return " ".join(x for x in (self.ip or "", self.hostname) if x) or str(self.pk)


class ScanResult(models.Model):
    """One check that fired on one host in one scan: the raw record findings are built from."""

    host = models.ForeignKey(ScanHost, on_delete=models.CASCADE, related_name="results")
    finding = models.ForeignKey(
        "Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    check_id = models.CharField(_("check"), max_length=200)
    name = models.CharField(_("name"), max_length=500)
    port = models.PositiveIntegerField(_("port"), default=0)
    protocol = models.CharField(_("protocol"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    cvss_score = models.DecimalField(_("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    cve_ids = models.JSONField(_("CVE"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    solution = models.TextField(_("solution"), blank=True)

    class Meta:
        ordering = ["host", models.F("cvss_score").desc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return f"{self.host}: {self.name}"


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> FindingQuerySet:
        """A finding is as visible as its system (owner or operator)."""
        return self.filter(system__in=InformationSystem.objects.visible_to(user).values("pk"))

    def unresolved(self) -> FindingQuerySet:
        return self.filter(status__in=Finding.UNRESOLVED)

    def overdue(self, today: datetime.date | None = None) -> FindingQuerySet:
        return self.unresolved().filter(due_on__lt=today or timezone.localdate())

    def for_organization(self, organization: Organization) -> FindingQuerySet:
        return self.filter(Q(system__operator=organization) | Q(system__owner=organization))


class Finding(TransitionsMixin, models.Model):
    """A weakness on a system, deduplicated across scans by (system, scanner, check, port, protocol)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        REOPENED = "reopened", _("Reopened")
        RISK_ACCEPTED = "risk_accepted", _("Risk accepted")
        FALSE_POSITIVE = "false_positive", _("False positive")

    # The one place that says which status moves are legal, by scans and by people alike.
    TRANSITION_ERROR = _("A finding that is “%(from)s” cannot become “%(to)s”.")
    TRANSITIONS = {
        Status.OPEN: {Status.FIXED, Status.RISK_ACCEPTED, Status.FALSE_POSITIVE},
        Status.REOPENED: {Status.FIXED, Status.RISK_ACCEPTED, Status.FALSE_POSITIVE},
        Status.FIXED: {Status.REOPENED, Status.OPEN},
        Status.RISK_ACCEPTED: {Status.OPEN, Status.FIXED},
        Status.FALSE_POSITIVE: {Status.OPEN},
    }
    UNRESOLVED = (Status.OPEN, Status.REOPENED)
    # What a later full scan that no longer sees the finding closes; a false positive stays as judged.
    CLOSABLE = (Status.OPEN, Status.REOPENED, Status.RISK_ACCEPTED)

    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        on_delete=models.PROTECT,
        related_name="vuln_findings",
    )
    tool = models.CharField(_("scanner"), max_length=20, choices=Tool.choices)
    check_id = models.CharField(_("check"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=0)
    protocol = models.CharField(_("protocol"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=500)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    cvss_score = models.DecimalField(_("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    cve_ids = models.JSONField(_("CVE"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(_("status changed"), default=clock.now)
    # When a full scan last failed to see it: only a scan made after that can say it came back.
    fixed_at = models.DateTimeField(_("closed as fixed by the scan of"), null=True, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    last_scan = models.ForeignKey(
        Scan, verbose_name=_("last scan"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("remediation due"), null=True, blank=True)
    owner_organization = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_reason = models.TextField(_("reason"), blank=True)
    risk_expires_on = models.DateField(_("risk accepted until"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = [models.F("cvss_score").desc(nulls_last=True), "due_on", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "tool", "check_id", "port", "protocol"], name="finding_once_per_system"
            ),
            models.CheckConstraint(
                condition=~Q(status="risk_accepted") | Q(risk_expires_on__isnull=False),
                name="accepted_risk_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "severity"]), models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    def fill_search_text(self) -> None:
        """Bulk writes skip save(), so the scan import calls this itself."""
        self.search_text = fold_many(self.name, self.check_id, " ".join(self.cve_ids or []))

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.check_id, self.port, self.protocol)

    @property
    def port_display(self) -> str:
        if not self.port:
            return self.protocol or "—"
        return f"{self.port}/{self.protocol}" if self.protocol else str(self.port)

    @property
    def severity_rank(self) -> int:
        return RANK.get(self.severity, 0)

    @property
    def is_unresolved(self) -> bool:
        return self.status in self.UNRESOLVED

    @property
    def is_overdue(self) -> bool:
        return self.is_unresolved and self.due_on is not None and self.due_on < timezone.localdate()


def due_days() -> dict[str, int]:
    return {**DEFAULT_DUE_DAYS, **getattr(settings, "FINDING_DUE_DAYS", {})}


def due_date(severity: str, start: datetime.date) -> datetime.date | None:
    """Remediation deadline for a severity counted from `start`; none for a severity without a deadline."""
    days = due_days().get(severity)
    return start + datetime.timedelta(days=days) if days is not None else None


class FindingEvent(AppendOnlyModel):
    """Append-only history of a finding: found, closed and reopened by scans, judged by people."""

    class Kind(models.TextChoices):
        FOUND = "found", _("found")
        FIXED = "fixed", _("no longer seen by a full scan: closed as fixed")
        REOPENED = "reopened", _("seen again: reopened")
        RISK_ACCEPTED = "risk_accepted", _("risk accepted")
        RISK_EXPIRED = "risk_expired", _("risk acceptance expired")
        FALSE_POSITIVE = "false_positive", _("marked as false positive")
        REOPENED_BY_HAND = "reopened_by_hand", _("reopened")
        OWNER_CHANGED = "owner_changed", _("responsible person changed")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Finding.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Finding.Status.choices, blank=True)
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.kind}"
