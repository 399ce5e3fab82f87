"""Two-factor helpers for tests: a confirmed authenticator device and its current code."""

import time

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ungcuu.accounts import twofactor


def authenticator(user) -> TOTPDevice:
    """The user's confirmed TOTP device (made if missing), as after a finished enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """What the phone app shows now, computed from the device's secret (RFC 6238)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device has not accepted yet: django-otp refuses a code twice in one 30 s step, so a
    second sign-in in the same step waits for the next one, as a person would."""
    device.refresh_from_db()
    while device.last_t is not None and device.last_t >= int(time.time() - device.t0) // device.step:
        time.sleep(0.5)
    return current_code(device)


def verify_session(client: Client, user) -> None:
    """Mark `client`'s signed-in session as having passed two-factor, with the user's device."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def force_login(client: Client, user) -> None:
    """`client.force_login(user)` plus the second factor for a user who owes one (coordinator, national,
    superuser, or anyone who turned it on): the state after a complete sign-in."""
    client.force_login(user)
    if twofactor.needs_verification(user):
        verify_session(client, user)
