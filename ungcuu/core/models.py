"""Shared abstract models, and the platform's own tables (no domain tables: those live in the apps)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created/updated stamps that every domain table wants."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update/delete are refused: audit rows (timelines, custody chains) are only ever added."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises, admin included."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")


class Heartbeat(models.Model):
    """The last time a long-running process (the scheduler) showed it was alive; read by /healthz."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ReferenceCounter(models.Model):
    """The last number of a reference sequence (incidents, advisories) per prefix and year.

    `core.references.next_reference` locks the row while it increments it, so the numbers are unique and,
    on PostgreSQL, gap-free within a year.
    """

    sequence = models.CharField(max_length=20)
    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "prefix", "year"], name="one_counter_per_sequence_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.prefix}-{self.year}: {self.last}"


class PlatformSettings(models.Model):
    """The province's settings as its administrator set them on the set-up page (one row, pk=1).

    Each field left blank (or None) means "use the deployment's default from the environment": the
    precedence is env default < this row, read only through `core.platform.current()`.
    """

    province_name = models.CharField(_("province name"), max_length=100, blank=True)
    intake_phone = models.CharField(_("24/7 intake phone"), max_length=50, blank=True)
    intake_email = models.EmailField(_("24/7 intake e-mail"), blank=True)
    reference_prefix = models.CharField(_("reference prefix"), max_length=6, blank=True)
    default_from_email = models.EmailField(_("sender address"), blank=True)
    email_host = models.CharField(_("mail server (SMTP)"), max_length=200, blank=True)
    email_port = models.PositiveIntegerField(_("mail server port"), null=True, blank=True)
    email_host_user = models.CharField(_("mail account"), max_length=200, blank=True)
    # Never shown again once stored: the page only says whether one is set (docs/deployment.md).
    email_host_password = models.CharField(_("mail password"), max_length=200, blank=True)
    email_use_tls = models.BooleanField(_("use TLS (STARTTLS)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("set-up completed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class BodyName(models.Model):
    """The body holding a role (a BODY_NAMES key) between two dates (DOMAIN.md §k): bodies are renamed
    and merged, and a document prints the name valid on its own date. No row for a date: the env default."""

    role = models.CharField(_("role"), max_length=40)
    name = models.CharField(_("body name"), max_length=255)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)  # None: since always
    valid_to = models.DateField(_("valid until"), null=True, blank=True)  # None: still valid

    class Meta:
        ordering = ["role", models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("body name")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="body_name_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.name} ({self.valid_from or '…'} – {self.valid_to or '…'})"


class ConfigVersion(models.Model):
    """One row: a token that changes with every change to the configuration intake reads on each report
    (`core.config_cache`); each process compares it with the token its copy was loaded under."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
