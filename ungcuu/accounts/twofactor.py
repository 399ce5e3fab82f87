"""Two-factor sign-in on django-otp: one TOTP device (an authenticator app) plus recovery codes.

Who must use it: coordinators, national users and superusers (TWO_FACTOR_REQUIRED). Everyone else may
turn it on. A session counts as verified once django-otp's `login()` has stored the device in it; the
TwoFactorMiddleware sends every unverified session that needs it to the enrolment or verify page.
"""

from __future__ import annotations

import time
from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ungcuu.accounts.models import User

APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
PENDING_KEY_SESSION = "two_factor_pending_key"


def is_required(user: User) -> bool:
    """The platform roles that see the whole province (and superusers) must use a second factor."""
    return settings.TWO_FACTOR_REQUIRED and (
        user.is_superuser or user.platform_role in (User.PlatformRole.COORDINATOR, User.PlatformRole.NATIONAL)
    )


def is_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_verification(user: User) -> bool:
    """True when this user's session must carry a verified device (required, or turned on by choice)."""
    return is_required(user) or is_enabled(user)


def pending_device(user: User, session) -> TOTPDevice:
    """The device an enrolment shows as a QR code: unsaved, its key kept in the session until a code from
    the app confirms it (so opening the page writes nothing, and an abandoned enrolment leaves no row)."""
    key = session.get(PENDING_KEY_SESSION) or random_hex(20)
    session[PENDING_KEY_SESSION] = key
    return TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code, drawn on the server (no script, no image request)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def confirm_enrolment(*, actor: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Save the pending device once the app's code matches; returns fresh recovery codes, or None.

    It replaces any earlier authenticator (a new phone); the code used here cannot be used again.
    """
    code = normalise(code)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    if device.pk or device.user_id != actor.pk or not code.isdigit():
        return None
    if not totp.verify(int(code), tolerance=1):
        return None
    TOTPDevice.objects.filter(user=actor).delete()
    device.confirmed = True
    device.last_t = totp.t()
    device.save()
    return new_recovery_codes(actor=actor)


@transaction.atomic
def new_recovery_codes(*, actor: User) -> list[str]:
    """Replace the actor's recovery codes; each works once. Shown to the person once, never again."""
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(user: User, code: str):
    """The device that accepts `code` (the app's 6 digits, else a recovery code), or None.

    Each device throttles its own failures (django-otp's exponential back-off), so guessing is slow.
    """
    code = normalise(code)
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True)]
    devices += [*StaticDevice.objects.filter(user=user, confirmed=True)]
    for device in devices:
        if not code.isdigit() and isinstance(device, TOTPDevice):
            continue
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def disable(*, actor: User) -> bool:
    """Turn two-factor off for a user who may go without it; False (and nothing changed) otherwise."""
    if is_required(actor):
        return False
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    return True


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
