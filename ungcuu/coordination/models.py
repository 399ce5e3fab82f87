"""Coordination requests (form 06, "lệnh/yêu cầu điều phối") from the specialised unit to another body."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.coordination.validators import validate_targets
from ungcuu.core import clock
from ungcuu.core.states import StateIs, TransitionsMixin
from ungcuu.evidence.models import Evidence, evidence_path
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Organization, organization_roles, visible_organization_ids


class RequestKind(models.TextChoices):
    ISP_PRESERVE_LOGS = "isp_preserve_logs", _("ISP: preserve and hand over logs")
    ISP_BLOCK = "isp_block", _("ISP: block access")
    ISP_TAKEDOWN = "isp_takedown", _("ISP: take down content (24 h)")
    POLICE_REFERRAL = "police_referral", _("Referral to the police, with evidence")
    VENDOR_SUPPORT = "vendor_support", _("Support from a security service provider")
    MILITARY_SUPPORT = "military_support", _("Support from the military command")
    NATIONAL_ESCALATION = "national_escalation", _("Escalation to the national coordinator")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTIALLY = "partially", _("Partially done")
    NOT_POSSIBLE = "not_possible", _("Not possible")


# Hours the recipient gets when the coordinator sets no deadline. ISPs take down within 24 h by VNCERT
# practice (DOMAIN.md §e); the rest are house defaults. `settings.COORDINATION_DEFAULT_HOURS` overrides
# any of them per kind.
DEFAULT_HOURS: dict[str, int] = {
    RequestKind.ISP_PRESERVE_LOGS: 48,
    RequestKind.ISP_BLOCK: 24,
    RequestKind.ISP_TAKEDOWN: 24,
    RequestKind.POLICE_REFERRAL: 72,
}
FALLBACK_HOURS = 72

# The recipient still owes an answer in these states; only they can become overdue.
AWAITING_ANSWER = {Status.SENT, Status.ACKNOWLEDGED}


def default_hours(kind: str) -> int:
    configured = getattr(settings, "COORDINATION_DEFAULT_HOURS", {}) or {}
    return int(configured.get(kind, DEFAULT_HOURS.get(kind, configured.get("other", FALLBACK_HOURS))))


def default_deadline(kind: str, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(hours=default_hours(kind))


class CoordinationRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> CoordinationRequestQuerySet:
        """Tenancy gate: a unit sees only the requests addressed to it, not its incident's other requests.

        Coordinators see all. The national coordinator's staff see the escalations addressed to a
        national-coordinator body; `visible_organization_ids` is "everything" for them, which must not
        open every ISP request, so their memberships are read directly.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.is_coordinator:
            return self
        if user.is_national:
            escalations = Q(
                kind=RequestKind.NATIONAL_ESCALATION, recipient__kind=OrgKind.NATIONAL_COORDINATOR
            )
            return self.filter(escalations | Q(recipient_id__in=set(organization_roles(user))))
        return self.filter(recipient_id__in=visible_organization_ids(user) or set())

    def awaiting_answer(self) -> CoordinationRequestQuerySet:
        return self.filter(status__in=AWAITING_ANSWER)

    def overdue(self, now: datetime.datetime | None = None) -> CoordinationRequestQuerySet:
        return self.awaiting_answer().filter(deadline__lt=now or timezone.now())


class CoordinationRequest(TransitionsMixin, models.Model):
    """One coordination order or request (form 06): who asks whom to do what, by when, and the answer."""

    Kind = RequestKind
    Status = Status
    Outcome = Outcome

    # The one place that says which moves are legal (STYLE rule 4). Answering implies receipt, so a
    # request may be answered or declined without a separate acknowledgement.
    is_declined = StateIs(Status.DECLINED)  # questions the pages ask
    is_answered = StateIs(Status.ANSWERED)
    TRANSITION_ERROR = _("A request in state “%(from)s” cannot become “%(to)s”.")
    TRANSITIONS: dict[str, set[str]] = {
        Status.SENT: {Status.ACKNOWLEDGED, Status.ANSWERED, Status.DECLINED, Status.CANCELLED},
        Status.ACKNOWLEDGED: {Status.ANSWERED, Status.DECLINED, Status.CANCELLED},
        Status.ANSWERED: {Status.COMPLETED},
        Status.COMPLETED: set(),
        Status.DECLINED: set(),
        Status.CANCELLED: set(),
    }

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="coordination_requests"
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issued by (organization)"),
        on_delete=models.PROTECT,
        related_name="issued_coordination_requests",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        Organization,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="coordination_requests",
    )
    kind = models.CharField(_("kind of request"), max_length=30, choices=RequestKind.choices)
    required_actions = models.TextField(_("required actions"))
    targets = models.JSONField(_("targets"), default=list, blank=True, validators=[validate_targets])
    deadline = models.DateTimeField(_("deadline"))
    confidential = models.BooleanField(
        _("keep confidential"),
        default=False,
        help_text=_("Information exchanged stays confidential at a participant's request (S4 Art. 4)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoordinationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coordination request")
        verbose_name_plural = _("coordination requests")
        indexes = [
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["status", "deadline"]),
            # The requests waiting for an answer, by deadline: the dashboard's first eight and its counts
            # read these entries, not every waiting request sorted (35,567 of them at 1 M incidents in
            # bench/grow.py's data; issue 18, fifth session).
            models.Index(
                fields=["deadline"], condition=Q(status__in=sorted(AWAITING_ANSWER)), name="request_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in AWAITING_ANSWER and self.deadline < timezone.now()

    @property
    def is_open(self) -> bool:
        return bool(self.TRANSITIONS[Status(self.status)])


class AnswerAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnswerAttachmentQuerySet:
        """An answer's file is as visible as its request (not as its incident: the ISP's logs are not the
        operating unit's to read)."""
        return self.filter(request__in=CoordinationRequest.objects.visible_to(user).values("pk"))


class AnswerAttachment(models.Model):
    """A file the recipient sent with its answer (the ISP's logs, the police's receipt), checked, hashed
    and stored like evidence (evidence.services), seen by whoever sees the request."""

    request = models.ForeignKey(
        CoordinationRequest,
        verbose_name=_("coordination request"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField(_("content type (as sent)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Evidence.Kind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    objects = AnswerAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("answer attachment")
        verbose_name_plural = _("answer attachments")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="answer_attachment_not_empty")]

    def __str__(self) -> str:
        return self.original_name
