"""Evidence files attached to incidents, and their append-only chain of custody (DOMAIN.md §i)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.core.models import AppendOnlyModel
from ungcuu.incidents.models import Incident


def evidence_path(instance, filename: str) -> str:
    """A random name under evidence/YYYY/MM/: the uploader's file name never reaches the disk."""
    return timezone.localtime().strftime("evidence/%Y/%m/") + uuid.uuid4().hex


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvidenceQuerySet:
        """Evidence is as visible as its incident: the incident's gate decides, confidentiality included."""
        return self.filter(incident__in=Incident.objects.visible_to(user).values("pk"))


class Evidence(models.Model):
    """One uploaded file (log, capture, sample archive, …) with its size and SHA-256 fixed at upload."""

    class Kind(models.TextChoices):
        LOG = "log", _("Log")
        IMAGE = "image", _("Image or screenshot")
        PCAP = "pcap", _("Network capture")
        SAMPLE_ARCHIVE = "sample_archive", _("Malware sample (password-protected archive)")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    class Classification(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")
        CONFIDENTIAL = "confidential", _("Confidential")
        # Listed so that a user can say so and be refused clearly; the service and a constraint refuse it.
        SECRET_STATE = "secret_state", _("State secret")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField(_("content type (as sent)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices)
    description = models.TextField(_("description"), blank=True)
    archive_password_hint = models.CharField(_("archive password or hint"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_evidence"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            # Defence in depth behind the service: a state-secret row cannot exist at all.
            models.CheckConstraint(
                condition=~Q(classification="secret_state"), name="evidence_never_state_secret"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_confidential(self) -> bool:
        return self.classification == self.Classification.CONFIDENTIAL


class CustodyEntry(AppendOnlyModel):
    """Chain of custody: who uploaded, took, handed over or checked a piece of evidence. Never edited."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        DOWNLOADED = "downloaded", _("Downloaded")
        TRANSFERRED = "transferred", _("Handed over")
        VERIFIED = "verified", _("Integrity verified")
        NOTE = "note", _("Note")

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=clock.now)
    note = models.TextField(_("note"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_upload(self) -> bool:
        """The first entry (its note repeats the upload's description)."""
        return self.action == self.Action.UPLOADED
