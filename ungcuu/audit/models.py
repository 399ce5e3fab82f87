"""The audit trail of disclosure (DOMAIN.md §i): who saw, downloaded or changed access to what."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ungcuu.core import clock
from ungcuu.core.models import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One sign-in, disclosure or access change, written once and never edited or deleted."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        VIEW_CONFIDENTIAL = "view_confidential", _("Opened a confidential incident")
        DOWNLOAD = "download", _("Downloaded a file or export")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_ROLE_CHANGED = "member_role_changed", _("Member role changed")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        PLATFORM_ROLE_CHANGED = "platform_role_changed", _("Platform role or rights changed")
        ORGANIZATION_UPDATED = "organization_updated", _("Organization details changed")
        PLATFORM_SETTINGS_CHANGED = "platform_settings_changed", _("Platform settings changed")

    at = models.DateTimeField(_("time"), default=clock.now, db_index=True)
    # The name is kept as well: the row must still say who it was if the account is ever removed.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), null=True, blank=True, on_delete=models.PROTECT
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    # Only what is safe to show to whoever reads the trail: a reference or a username, never a title.
    target_label = models.CharField(_("target"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    view_name = models.CharField(_("page"), max_length=120, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    @property
    def target_kind(self) -> str:
        """The target's kind in the reader's language ("incident"), empty when there is no target."""
        model = self.target_type.model_class() if self.target_type else None
        # Some models keep Django's untranslated default name ("incident"); the catalog has the words.
        return gettext(str(model._meta.verbose_name)) if model else ""

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_label}"
