"""Reading an alert batch: the body's framing, each alert's shape and values. No database here.

This is the hot path of `POST /api/v1/alerts/` (target: 20,000 alerts/s on two cores), so it does not go
through DRF's per-item serializers: msgspec decodes and type-checks each alert in C against `AlertIn`,
then `check_alert` does what a type cannot say (addresses, domains, hashes, plausible times), memoising
the values that repeat across a batch. The API documents the same shape (api.py) and a test holds the
two to each other.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import ipaddress
import re
from collections.abc import Callable
from typing import Annotated, Literal

import msgspec
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.alerts.models import SEVERITY_NAMES
from ungcuu.core import validators
from ungcuu.core.filters import MAX_ID

# Field limits, shared with the OpenAPI description (api.py).
LIMITS = {
    "source": 100,
    "dedup_key": 200,
    "title": 300,
    "message": 10_000,
    "host": 255,
    "observables": 50,
    "observable_value": 2_000,
}
OBSERVABLE_TYPES = ("ip", "domain", "url", "hash", "email")
SEVERITY_CHOICES = tuple(SEVERITY_NAMES)


def _text(limit: int, minimum: int = 0):
    return Annotated[str, msgspec.Meta(min_length=minimum, max_length=limit)]


class ObservableIn(msgspec.Struct, frozen=True, gc=False):
    type: Literal["ip", "domain", "url", "hash", "email"]
    value: _text(LIMITS["observable_value"], 1)  # type: ignore[valid-type]


class AlertIn(msgspec.Struct, gc=False):
    """One alert as a monitoring system sends it (unknown fields are ignored, as JSON readers do)."""

    source: _text(LIMITS["source"], 1)  # type: ignore[valid-type]
    dedup_key: _text(LIMITS["dedup_key"], 1)  # type: ignore[valid-type]
    severity: Literal["info", "low", "medium", "high", "critical"]
    title: _text(LIMITS["title"], 1)  # type: ignore[valid-type]
    detected_at: Annotated[datetime.datetime, msgspec.Meta(tz=True)]
    message: _text(LIMITS["message"]) = ""  # type: ignore[valid-type]
    host: _text(LIMITS["host"]) = ""  # type: ignore[valid-type]
    observables: Annotated[list[ObservableIn], msgspec.Meta(max_length=LIMITS["observables"])] = []
    organization: Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)] | None = None


class Alert(msgspec.Struct, gc=False):
    """One checked alert, its values normalised (lower-case domains, compressed addresses)."""

    organization_id: int | None
    source: str
    dedup_key: str
    severity: int
    title: str
    message: str
    host: str
    detected_at: datetime.datetime
    observables: list[dict]


class BodyError(Exception):
    """The body as a whole cannot be read: 400 (`too_large` False) or 413 (`too_large` True)."""

    def __init__(self, message: str, *, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


_decode_one = msgspec.json.Decoder(AlertIn).decode
_decode_list = msgspec.json.Decoder(list[msgspec.Raw]).decode
NDJSON = "application/x-ndjson"


def split_body(body: bytes, content_type: str) -> tuple[list, bool]:
    """The body's items (undecoded) and whether it was a batch. A JSON array or NDJSON is a batch."""
    if not body.strip():
        raise BodyError(_("The body is empty: send one alert, a JSON array of alerts, or NDJSON."))
    if content_type == NDJSON:
        items: list = [line for line in body.split(b"\n") if line.strip()]
        batch = True
    elif body.lstrip()[:1] == b"[":
        try:
            items = _decode_list(body)
        except msgspec.DecodeError as exc:
            raise BodyError(_("JSON parse error: %(detail)s") % {"detail": exc}) from exc
        except msgspec.ValidationError as exc:
            raise BodyError(_("JSON parse error: %(detail)s") % {"detail": exc}) from exc
        batch = True
    else:
        items, batch = [body], False
    if not items:
        raise BodyError(_("The batch is empty."))
    if len(items) > settings.ALERTS_MAX_ITEMS:
        message = _("Too many alerts in one request: %(n)s; at most %(max)s. Split the batch.")
        raise BodyError(message % {"n": len(items), "max": settings.ALERTS_MAX_ITEMS}, too_large=True)
    return items, batch


def decode_alert(raw) -> AlertIn | dict[str, list[str]]:
    """One item decoded against `AlertIn`, or its errors by field."""
    try:
        return _decode_one(raw)
    except msgspec.ValidationError as exc:
        return {_field_of(str(exc)): [_("Invalid value: %(detail)s") % {"detail": _plain(str(exc))}]}
    except msgspec.DecodeError as exc:
        return {"non_field_errors": [_("JSON parse error: %(detail)s") % {"detail": exc}]}


_PATH = re.compile(r" - at `\$\.([A-Za-z_]+)")
_MISSING = re.compile(r"missing required field `([A-Za-z_]+)`")


def _field_of(message: str) -> str:
    """The top-level field msgspec names (`... - at `$.observables[0].value``, or a missing one)."""
    found = _PATH.search(message) or _MISSING.search(message)
    return found.group(1) if found else "non_field_errors"


def _plain(message: str) -> str:
    return message.split(" - at `")[0]


class Window:
    """The detection times accepted now: not before ALERTS_MAX_AGE_DAYS, not ahead of the clock's skew."""

    def __init__(self) -> None:
        now = timezone.now()
        self.earliest = max(
            now - datetime.timedelta(days=settings.ALERTS_MAX_AGE_DAYS),
            datetime.datetime(validators.EARLIEST_YEAR, 1, 1, tzinfo=datetime.UTC),
        )
        self.latest = now + datetime.timedelta(minutes=settings.ALERTS_CLOCK_SKEW_MINUTES)


def check_alert(item: AlertIn, window: Window) -> Alert | dict[str, list[str]]:
    """What a type cannot say: no blank or NUL text, real addresses and domains, a plausible time."""
    errors: dict[str, list[str]] = {}
    texts = {"source": item.source, "dedup_key": item.dedup_key, "title": item.title}
    for name, value in texts.items():
        if not value.strip() or "\x00" in value:
            errors[name] = [_("This field may not be blank or contain NUL characters.")]
    if "\x00" in item.message:
        errors["message"] = [_("This field may not contain NUL characters.")]
    host = _host(item.host.strip()) if item.host.strip() else ""
    if host is None:
        errors["host"] = [_("Not an IP address or a host name: %(v)s") % {"v": item.host[:100]}]
    if item.detected_at < window.earliest or item.detected_at > window.latest:
        errors["detected_at"] = [_time_message(item.detected_at, window)]
    observables, bad = _observables(item.observables)
    if bad:
        errors["observables"] = bad
    if errors:
        return errors
    return Alert(
        organization_id=item.organization,
        source=item.source.strip(),
        dedup_key=item.dedup_key.strip(),
        severity=SEVERITY_NAMES[item.severity],
        title=item.title.strip(),
        message=item.message,
        host=host or "",
        detected_at=item.detected_at,
        observables=observables,
    )


def _time_message(value: datetime.datetime, window: Window) -> str:
    if value > window.latest:
        return _("The detection time is in the future; check the sender's clock and time zone.")
    return _("The detection time is before %(date)s: too old to group.") % {
        "date": window.earliest.date().isoformat()
    }


def _observables(items: list[ObservableIn]) -> tuple[list[dict], list[str]]:
    out, bad = [], []
    for index, item in enumerate(items):
        value = CHECKS[item.type](item.value.strip())
        if value is None:
            bad.append(
                _("Item %(i)s: not a valid %(type)s: %(v)s")
                % {"i": index, "type": item.type, "v": item.value[:100]}
            )
        else:
            out.append({"type": item.type, "value": value})
    return out, bad


# Values repeat across a batch (the same attacker, the same server): each distinct one is checked once.
@functools.lru_cache(maxsize=65536)
def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+[a-z][a-z0-9-]{{0,62}}$|^{_LABEL}$")
_LOOKS_NUMERIC = re.compile(r"^[0-9.]+$|:")


@functools.lru_cache(maxsize=65536)
def _domain(value: str) -> str | None:
    value = value.lower().rstrip(".")
    try:
        value = value.encode("idna").decode("ascii") if not value.isascii() else value
    except UnicodeError:
        return None
    return value if len(value) <= 253 and "\x00" not in value and _DOMAIN.match(value) else None


@functools.lru_cache(maxsize=65536)
def _host(value: str) -> str | None:
    """An IP address, or a host name; something that looks like an address must be a valid one."""
    if _LOOKS_NUMERIC.search(value):
        return _ip(value)
    return _domain(value)


# scheme://[user@]host[:port][/path?query#fragment], no whitespace or NUL anywhere.
_URL = re.compile(
    r"^(?:https?|ftp)://(?:[^@/?#\s\x00]*@)?(\[[0-9A-Fa-f:.]+\]|[^:/?#\s\x00\[\]]+)(?::\d{1,5})?(?:[/?#][^\s\x00]*)?$",
    re.I,
)


def url_host(value: str) -> str:
    """The host part of a URL that passed `_url`, lower-case ("" if none)."""
    found = _URL.match(value)
    return found.group(1).strip("[]").lower() if found else ""


def _url(value: str) -> str | None:
    found = _URL.match(value)
    if not found or _host(found.group(1).strip("[]")) is None:
        return None
    return value


_HEX = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$")


def _hash(value: str) -> str | None:
    value = value.lower()
    return value if _HEX.match(value) else None


_EMAIL = re.compile(r"^[^@\s\x00]{1,64}@([^@\s\x00]{1,253})$")


def _email(value: str) -> str | None:
    found = _EMAIL.match(value)
    return value if found and _domain(found.group(1)) else None


CHECKS: dict[str, Callable[[str], str | None]] = {
    "ip": _ip,
    "domain": _domain,
    "url": _url,
    "hash": _hash,
    "email": _email,
}


_decode_batch = msgspec.json.Decoder(list[AlertIn]).decode


def read_batch(body: bytes, content_type: str) -> tuple[list[tuple[int, Alert]], list[dict], bool]:
    """(good alerts with their index, bad ones as {index, errors}, whether it was a batch)."""
    items, batch = split_body(body, content_type)
    if batch and content_type != NDJSON:
        # The common case, a batch of well-formed alerts, in one call into C; if some item is wrong,
        # each is decoded alone below, to name it.
        with contextlib.suppress(msgspec.ValidationError):
            items = _decode_batch(body)
    window = Window()
    good: list[tuple[int, Alert]] = []
    bad: list[dict] = []
    for index, raw in enumerate(items):
        decoded = raw if isinstance(raw, AlertIn) else decode_alert(raw)
        checked = decoded if isinstance(decoded, dict) else check_alert(decoded, window)
        if isinstance(checked, dict):
            bad.append({"index": index, "errors": checked})
        else:
            good.append((index, checked))
    return good, bad, batch
