"""The one place that names the province and the bodies holding each role (DOMAIN.md §k).

Bodies have changed names (the specialised unit's parent was Sở TT&TT, now Sở KH&CN), so a name is asked
for a date: documents print the name valid on their own date. Every caller reads names here, never
`settings.BODY_NAMES` directly, so the source of the names (settings today) can change in one file.
"""

from __future__ import annotations

import datetime

from django.conf import settings


def body_name(key: str, at: datetime.date | None = None) -> str:
    """The name of the body holding role `key` (a BODY_NAMES key) on date `at` (today when None)."""
    return settings.BODY_NAMES.get(key, key)


def body_names(at: datetime.date | None = None) -> dict[str, str]:
    """Every role's body name on date `at` (today when None)."""
    return {key: body_name(key, at) for key in settings.BODY_NAMES}


def province_name() -> str:
    return settings.PROVINCE_NAME
