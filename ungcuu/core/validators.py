"""Checks for what people mistype in any form: a phone number, a due date, a date from another century.

Each check raises `ValidationError({field: [message]})` so the error lands next to the field on a page
(`core.actions.add_errors`) and under the field's name in the API (400). Services call them; forms
need not repeat them.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# A phone number as people write it: digits with spaces, dots, dashes, brackets, a leading + (+84),
# and several numbers separated by "/", "," or ";" ("0229 3871 234 / 0912 345 678").
_PHONE_CHARS = re.compile(r"^[0-9+().\-/,;\s]+$")
MIN_PHONE_DIGITS = 8  # the shortest Vietnamese numbers (1900 hotlines are 8 digits)
MAX_PHONE_DIGITS = 15  # ITU E.164
# Grace for clocks a few minutes apart, and for the minute a person takes to send a form.
CLOCK_SKEW = datetime.timedelta(minutes=5)
EARLIEST_YEAR = 2000  # no record in the platform predates the first CERT rules (2016): older is a slip


def validate_phone(value: str) -> str:
    """A phone number (or several) with only the characters people use and a plausible count of digits.

    Raises a plain `ValidationError`, so it also serves as a form field's validator."""
    value = (value or "").strip()
    if not value:
        return value
    numbers = [n for n in re.split(r"[/,;]", value) if n.strip()]
    if not _PHONE_CHARS.match(value) or not numbers:
        raise ValidationError(_("A phone number has only digits, spaces and + ( ) . -"), code="phone")
    if any(not MIN_PHONE_DIGITS <= len(re.sub(r"\D", "", n)) <= MAX_PHONE_DIGITS for n in numbers):
        raise ValidationError(
            _("A phone number has 8 to 15 digits, for example 0912 345 678 or +84 229 3871 234."),
            code="phone",
        )
    return value


def check_phones(fields: dict, names) -> None:
    """`validate_phone` on each named field present in `fields`, all errors at once."""
    errors: dict[str, list] = {}
    for name in names:
        try:
            validate_phone(fields.get(name) or "")
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def _is_past(value, now: datetime.datetime) -> bool:
    if isinstance(value, datetime.datetime):
        return value < now - CLOCK_SKEW
    return value < timezone.localdate(now)


def _is_future(value, now: datetime.datetime) -> bool:
    if isinstance(value, datetime.datetime):
        return value > now + CLOCK_SKEW
    return value > timezone.localdate(now)


def check_not_past(value, field: str, *, now: datetime.datetime | None = None) -> None:
    """A due date or deadline: in the past it is already missed, which is a typo (2025 for 2026)."""
    if value is not None and _is_past(value, now or timezone.now()):
        raise ValidationError({field: [_("This date is in the past; a due date must be later than now.")]})


def check_not_future(value, field: str, *, now: datetime.datetime | None = None) -> None:
    """Something that already happened (a scan, a detection): not later than now, not before 2000."""
    if value is None:
        return
    if _is_future(value, now or timezone.now()):
        raise ValidationError({field: [_("This date is in the future; check the year.")]})
    if value.year < EARLIEST_YEAR:
        raise ValidationError({field: [_("This date is too long ago; check the year.")]})
