"""Threat-intelligence imports (STIX 2.1 bundles, MISP events): what came in, from which object ids.

The indicators themselves are `advisories.Indicator` rows (one per kind and value); this app keeps the
record of each import and, per advisory or incident, which source object ids it has already taken in, so
that the same bundle imported twice adds nothing the second time (id-based, not only value-based).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.advisories.models import Advisory, Indicator
from ungcuu.core import clock
from ungcuu.incidents.models import Incident


class Format(models.TextChoices):
    STIX = "stix", "STIX 2.1"
    MISP = "misp", "MISP"


class IntelImport(models.Model):
    """One import of a STIX bundle or MISP event into an advisory or an incident, with what it did."""

    Format = Format

    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    advisory = models.ForeignKey(
        Advisory, null=True, blank=True, on_delete=models.CASCADE, related_name="intel_imports"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="intel_imports"
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    added = models.PositiveIntegerField(_("indicators added"), default=0)
    already_imported = models.PositiveIntegerField(_("objects already imported"), default=0)
    skipped = models.JSONField(_("objects skipped"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(advisory__isnull=False) ^ Q(incident__isnull=False),
                name="intel_import_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.format} {self.at:%Y-%m-%d %H:%M} +{self.added}"


class ImportedObject(models.Model):
    """A source object (STIX id, MISP attribute uuid) already taken into one advisory or incident."""

    intel_import = models.ForeignKey(IntelImport, on_delete=models.CASCADE, related_name="source_objects")
    source_id = models.CharField(max_length=200)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    advisory = models.ForeignKey(Advisory, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["advisory", "source_id", "indicator"],
                condition=Q(advisory__isnull=False),
                name="intel_once_per_advisory",
            ),
            models.UniqueConstraint(
                fields=["incident", "source_id", "indicator"],
                condition=Q(incident__isnull=False),
                name="intel_once_per_incident",
            ),
        ]
        indexes = [models.Index(fields=["source_id"])]

    def __str__(self) -> str:
        return self.source_id
