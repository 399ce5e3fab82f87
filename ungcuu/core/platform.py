"""The province's settings, read through one function: env default < the set-up page's row.

The environment (and var/province.env) gives each deployment its defaults; the first administrator's
set-up page stores what they chose in `PlatformSettings`, which wins field by field once it is filled in.
Nothing else reads those settings from `django.conf.settings` directly (see docs/deployment.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ungcuu.core import config_cache
from ungcuu.core.models import PlatformSettings


@dataclass(frozen=True)
class Platform:
    """The settings in force: each field from the stored row when filled in, else from the environment."""

    province_name: str
    intake_phone: str
    intake_email: str
    reference_prefix: str
    default_from_email: str
    email_host: str
    email_port: int
    email_host_user: str
    email_host_password: str
    email_use_tls: bool
    completed: bool

    @property
    def has_intake_contact(self) -> bool:
        return bool(self.intake_phone or self.intake_email)


def stored() -> PlatformSettings:
    """The one row (unsaved and empty when the set-up page was never used)."""
    return PlatformSettings.objects.filter(pk=1).first() or PlatformSettings(pk=1)


def current() -> Platform:
    row = config_cache.cached("platform-settings", stored)  # kept only inside intake's pinned block
    smtp = settings.EMAIL_SMTP_DEFAULTS
    return Platform(
        province_name=row.province_name or settings.PROVINCE_NAME,
        intake_phone=row.intake_phone or settings.INTAKE_PHONE,
        intake_email=row.intake_email or settings.INTAKE_EMAIL,
        reference_prefix=row.reference_prefix or settings.INCIDENT_REFERENCE_PREFIX,
        default_from_email=row.default_from_email or settings.DEFAULT_FROM_EMAIL,
        email_host=row.email_host or str(smtp.get("host") or ""),
        email_port=row.email_port or int(str(smtp.get("port") or 25)),
        email_host_user=row.email_host_user or str(smtp.get("username") or ""),
        email_host_password=row.email_host_password or str(smtp.get("password") or ""),
        email_use_tls=bool(smtp.get("use_tls")) if row.email_use_tls is None else row.email_use_tls,
        completed=row.completed_at is not None,
    )
