"""The one place that names the province and the bodies holding each role (DOMAIN.md §k).

Bodies have changed names (the specialised unit's parent was Sở TT&TT, now Sở KH&CN), so a name is asked
for a date: documents print the name valid on their own date. The names come from `BodyName` rows (dated,
edited on the set-up page); a role with no row covering the date keeps the deployment's default from
settings.BODY_NAMES (env UNGCUU_*_NAME). Every caller reads names here, never settings directly.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from ungcuu.core import platform
from ungcuu.core.models import BodyName


def _valid_on(at: datetime.date | None):
    day = at or timezone.localdate()
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    since = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    until = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    return BodyName.objects.filter(since, until)


def body_name(key: str, at: datetime.date | None = None) -> str:
    """The name of the body holding role `key` (a BODY_NAMES key) on date `at` (today when None)."""
    row = _valid_on(at).filter(role=key).order_by(F("valid_from").desc(nulls_last=True)).first()
    return row.name if row else settings.BODY_NAMES.get(key, key)


def stored_body_name(key: str, at: datetime.date | None) -> str | None:
    """The name a stored `BodyName` row gives role `key` on date `at`, or None (no env default): for an
    organization holding the role, whose own row name stays its fallback."""
    row = _valid_on(at).filter(role=key).order_by(F("valid_from").desc(nulls_last=True)).first()
    return row.name if row else None


def body_names(at: datetime.date | None = None) -> dict[str, str]:
    """Every role's body name on date `at` (today when None), in one query."""
    stored = dict(
        _valid_on(at).order_by("role", F("valid_from").asc(nulls_first=True)).values_list("role", "name")
    )
    return {key: stored.get(key, default) for key, default in settings.BODY_NAMES.items()}


def province_name() -> str:
    return platform.current().province_name
