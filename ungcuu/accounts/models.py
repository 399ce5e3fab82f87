"""Users. Organization membership lives in organizations; here only the platform-wide role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ungcuu.core import names


class User(AbstractUser):
    """A person who logs in; `platform_role` marks staff of the specialised unit or the national CERT."""

    class PlatformRole(models.TextChoices):
        NONE = "", _("None")
        COORDINATOR = "coordinator", _("Coordinator (specialised unit)")
        NATIONAL = "national", _("National coordinator")

    platform_role = models.CharField(
        _("platform role"), max_length=20, choices=PlatformRole.choices, default=PlatformRole.NONE, blank=True
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.platform_role == self.PlatformRole.COORDINATOR

    @property
    def is_national(self) -> bool:
        return self.is_active and self.platform_role == self.PlatformRole.NATIONAL

    @property
    def sees_whole_province(self) -> bool:
        return self.is_coordinator or self.is_national or self.is_superuser

    @property
    def full_name(self) -> str:
        """The name as signed (core.names): family and middle names (`last_name`), then the given name."""
        return names.full_name(self.last_name, self.first_name)

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def display_name(self) -> str:
        """The full name, or the username for an account without one (system and imported accounts)."""
        return self.full_name or self.get_username()

    def __str__(self) -> str:
        return self.display_name


class TokenScope(models.TextChoices):
    """What an API token may do (issue 16): read anything its user sees; report (incident reports,
    evidence, filings, acknowledgements: the unit's own input); coordinate (every other change)."""

    READ = "read", _("Read")
    REPORT = "report", _("Report")
    COORDINATE = "coordinate", _("Coordinate")


ALL_SCOPES = " ".join(TokenScope.values)


class ApiToken(models.Model):
    """A named, expiring, revocable API credential; only a SHA-256 digest of its secret is stored.

    The secret is shown once, when it is made. `password_stamp` ties the token to the password it was
    made under: any password change (profile, reset link, admin, manage.py) makes it stale at once.
    `scopes` narrows what the token may do below what its user may do (never above).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    password_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Space-separated TokenScope values (as OAuth writes scopes). Tokens made before scopes existed keep
    # every scope: narrowing them silently would break the clients that hold them.
    scopes = models.CharField(_("scopes"), max_length=100, default=ALL_SCOPES)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split()

    @property
    def scope_labels(self) -> list[str]:
        return [str(TokenScope(scope).label) for scope in self.scopes.split() if scope in TokenScope.values]


class SavedFilter(models.Model):
    """A list's filter a user keeps under a name (issue 15). Only the query is kept: opening it runs the
    list's FilterSet again for whoever opens it, so it never shows more than that user may see."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("filter"), blank=True)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
