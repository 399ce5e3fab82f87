"""The information-systems registry: what each unit runs, at which security level (NĐ85; DOMAIN.md §b)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.core import taxonomy
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.states import CanBecome, TransitionsMixin
from ungcuu.core.text import fold, fold_many
from ungcuu.organizations.models import FocalPoint, Organization, visible_organization_ids


class InformationSystemQuerySet(models.QuerySet):
    def visible_to(self, user) -> InformationSystemQuerySet:
        """A system is visible to whoever sees its owner or its operator."""
        ids = visible_organization_ids(user)
        if ids is None:
            return self
        return self.filter(Q(owner_id__in=ids) | Q(operator_id__in=ids))

    def search(self, query: str) -> InformationSystemQuerySet:
        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


def drill_current_since(as_of: datetime.date) -> datetime.date:
    """The first day a live-fire drill still counts on `as_of` (DOMAIN.md §g, CT18: "at least once a year").
    Which year is meant is a policy choice (`settings.DRILL_YEAR_RULE`): "calendar" = a drill in the same
    calendar year; "rolling" = within the last 12 months. Every reader of `last_drill_on` asks this."""
    if settings.DRILL_YEAR_RULE == "calendar":
        return datetime.date(as_of.year, 1, 1)
    return as_of - relativedelta(months=12) + datetime.timedelta(days=1)


class InformationSystem(TransitionsMixin, TimeStampedModel):
    """A registered information system (HTTT) with its security-level dossier and technical profile."""

    class SystemType(models.TextChoices):
        INTERNAL = "internal", _("Internal operations")
        CITIZEN = "citizen", _("Serving citizens and businesses")
        INFRASTRUCTURE = "infrastructure", _("Information infrastructure")
        INDUSTRIAL = "industrial", _("Industrial control")
        OTHER = "other", _("Other")

    class DossierState(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPRAISED = "appraised", _("Appraised")
        APPROVED = "approved", _("Approved")

    # The one place that says which dossier moves are legal; changing the level restarts the dossier.
    STATE_FIELD = "dossier_state"
    TRANSITION_ERROR = _("A dossier in state “%(from)s” cannot become “%(to)s”.")
    # Questions the pages ask (templates don't compare state strings).
    can_appraise = CanBecome(DossierState.APPRAISED)
    can_approve = CanBecome(DossierState.APPROVED)
    can_return = CanBecome(DossierState.PROPOSED)
    TRANSITIONS = {
        DossierState.PROPOSED: {DossierState.APPRAISED},
        DossierState.APPRAISED: {DossierState.APPROVED, DossierState.PROPOSED},
        DossierState.APPROVED: {DossierState.PROPOSED},
    }

    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", _("Own server room")
        PROVINCIAL_DC = "provincial_dc", _("Provincial data centre")
        VENDOR_DC = "vendor_dc", _("Vendor / telecom data centre")
        CLOUD = "cloud", _("Cloud")
        OTHER = "other", _("Other")

    class Service(models.TextChoices):
        WEB = "web", _("Web")
        MAIL = "mail", _("Mail")
        DATABASE = "database", _("Database")
        OTHER = "other", _("Other")

    class Control(models.TextChoices):
        ANTIVIRUS = "antivirus", _("Antivirus")
        FIREWALL = "firewall", _("Firewall")
        IDS = "ids", _("IDS/IPS")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_systems"
    )
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("operating organization"),
        on_delete=models.PROTECT,
        related_name="operated_systems",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    system_type = models.CharField(
        _("system type"), max_length=20, choices=SystemType.choices, default=SystemType.INTERNAL
    )
    security_level = models.PositiveSmallIntegerField(
        _("security level"),
        choices=taxonomy.security_level_choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    dossier_state = models.CharField(
        _("dossier state"), max_length=20, choices=DossierState.choices, default=DossierState.PROPOSED
    )
    decision_number = models.CharField(_("approval decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("approval decision date"), null=True, blank=True)
    appraisal_note = models.TextField(_("appraisal opinion"), blank=True)
    # Who appraised and who approved, as the law names them for the level (DOMAIN.md §b, NĐ85 Art. 12).
    appraised_by = models.CharField(_("appraised by"), max_length=300, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=300, blank=True)
    is_critical_national = models.BooleanField(_("on the national critical systems list"), default=False)
    # DOMAIN.md: QĐ05 excludes systems of the Ministry of Defence (BQP) and of Public Security (BCA); their
    # incidents follow their own channel (routed to that body only) and stay out of the province's reports.
    outside_qd05 = models.CharField(
        _("outside QĐ05 (ministry's own channel)"),
        max_length=3,
        blank=True,
        choices=[("BQP", _("Ministry of Defence")), ("BCA", _("Ministry of Public Security"))],
    )
    hosting = models.CharField(
        _("hosting"), max_length=20, choices=Hosting.choices, default=Hosting.ON_PREMISES
    )
    security_provider = models.CharField(_("security service provider"), max_length=200, blank=True)
    connectivity_provider = models.CharField(_("connectivity provider"), max_length=200, blank=True)
    os_name = models.CharField(_("operating system"), max_length=100, blank=True)
    os_version = models.CharField(_("OS version"), max_length=100, blank=True)
    services = models.JSONField(_("services"), default=list, blank=True)
    controls = models.JSONField(_("security controls"), default=list, blank=True)
    public_ips = models.JSONField(_("public IP addresses"), default=list, blank=True)
    domains = models.JSONField(_("domain names"), default=list, blank=True)
    contacts = models.ManyToManyField(
        FocalPoint, verbose_name=_("contacts"), blank=True, related_name="systems"
    )
    last_vuln_scan_on = models.DateField(_("last vulnerability scan"), null=True, blank=True)
    last_drill_on = models.DateField(_("last drill"), null=True, blank=True)
    last_plan_update_on = models.DateField(_("last response plan update"), null=True, blank=True)
    is_active = models.BooleanField(_("in operation"), default=True)
    search_text = models.TextField(editable=False, default="")

    objects = InformationSystemQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        constraints = [
            models.CheckConstraint(
                condition=Q(security_level__gte=1, security_level__lte=5), name="security_level_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(dossier_state="approved")
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="approved_dossier_has_decision",
            ),
        ]
        indexes = [models.Index(fields=["security_level", "dossier_state"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.name, self.purpose, " ".join(self.domains or []))
        super().save(*args, **kwargs)

    @property
    def services_display(self) -> list[str]:
        return [str(self.Service(v).label) if v in self.Service.values else v for v in self.services or []]

    @property
    def controls_display(self) -> list[str]:
        return [str(self.Control(v).label) if v in self.Control.values else v for v in self.controls or []]

    @property
    def is_level_4_5_or_critical(self) -> bool:
        return self.security_level >= 4 or self.is_critical_national

    @property
    def level_authority(self) -> dict:
        """Who appraises/approves a dossier at this level (taxonomy; [P] so shown, not enforced)."""
        entry = taxonomy.security_levels().get(self.security_level, {})
        return {"appraisal_by": entry.get("appraisal_by"), "approval_by": entry.get("approval_by")}


class SoftwareProduct(models.Model):
    """A product and version a system runs: the key for matching advisories later."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="software")
    vendor = models.CharField(_("vendor"), max_length=100, blank=True)
    product = models.CharField(_("product"), max_length=150)
    version = models.CharField(_("version"), max_length=60, blank=True)
    cpe = models.CharField(_("CPE name"), max_length=255, blank=True)

    class Meta:
        ordering = ["product", "version"]

    def __str__(self) -> str:
        return " ".join(x for x in (self.vendor, self.product, self.version) if x)


class SystemEvent(AppendOnlyModel):
    """Append-only history of a system's registration and dossier decisions."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        UPDATED = "updated", _("updated")
        LEVEL_CHANGED = "level_changed", _("level changed, dossier restarted")
        APPRAISED = "appraised", _("dossier appraised")
        APPROVED = "approved", _("level approved")
        RETURNED = "returned", _("dossier returned for revision")

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.system}: {self.kind}"
