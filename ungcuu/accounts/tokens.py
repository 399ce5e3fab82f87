"""API tokens: made, checked and revoked here; the secret leaves the server once, when it is made."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ungcuu.accounts.models import ApiToken, TokenScope, User

PREFIX_LENGTH = 8


def digest(secret: str) -> str:
    """SHA-256 suffices: the secret is 256 random bits, so there is nothing to brute-force."""
    return hashlib.sha256(secret.encode()).hexdigest()


def password_stamp(user: User) -> str:
    """Changes whenever the password hash changes (new password, or a rehash that set_password did)."""
    return salted_hmac("ungcuu.accounts.tokens", user.password, algorithm="sha256").hexdigest()


@transaction.atomic
def create_token(
    *, actor: User, name: str, days: int | None = None, scopes: Iterable[str] | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with its secret, which is never stored nor shown again.

    `scopes` (TokenScope values) limit what it may do; none given means every scope (as before scopes).
    """
    chosen = [scope for scope in TokenScope.values if scope in set(scopes or TokenScope.values)]
    if not chosen:
        raise ValidationError({"scopes": [_("Choose at least one scope.")]})
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    days = max(1, min(days, settings.API_TOKEN_MAX_DAYS))
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:100] or "API",
        prefix=secret[:PREFIX_LENGTH],
        digest=digest(secret),
        password_stamp=password_stamp(actor),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        scopes=" ".join(chosen),
    )
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User, token_id: int) -> bool:
    """Revoke one of the actor's own tokens; False when it is not theirs (the caller answers 404)."""
    updated = ApiToken.objects.filter(user=actor, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated) or ApiToken.objects.filter(user=actor, pk=token_id).exists()


def is_usable(token: ApiToken, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        token.revoked_at is None
        and token.expires_at > now
        and token.user.is_active
        and constant_time_compare(token.password_stamp, password_stamp(token.user))
    )


def authenticate_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, its last use noted (at most once a minute, to spare writes)."""
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not is_usable(token):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens for the profile page, each marked usable or not (never the secret)."""
    tokens = list(ApiToken.objects.filter(user=user).select_related("user"))
    now = timezone.now()
    for token in tokens:
        token.usable = is_usable(token, now=now)  # type: ignore[attr-defined]  # a display-only mark
    return tokens
