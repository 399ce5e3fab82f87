"""Idempotency keys on every POST of /api/v1/ (issue 16): a client that retries after a lost answer
sends the same `Idempotency-Key` header and gets the first answer again instead of a second object.

- Same key, same request (method, path, body): the stored answer, with `Idempotent-Replayed: true`.
- Same key, another request: 422 saying so; the key cannot be reused for something else.
- Same key while the first request still runs: 409 (retry later).
- A first request that fails (not 2xx) keeps nothing: the client may fix the body and retry the key.

Keys are per user and kept API_IDEMPOTENCY_HOURS. The claim is taken by `IdempotentPosts` (a permission
class, so it runs for every view after authentication and the scope check) and settled with the answer by
`IdempotencyMiddleware`, which sees the rendered response.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, permissions, status

from ungcuu.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
REUSED = gettext_noop(
    "This idempotency key was already used for a different request; use a new key for a new request."
)
RUNNING = gettext_noop("A request with this idempotency key is still being processed; retry shortly.")
KEY_PATTERN = r"^[!-~]{1,100}$"  # visible ASCII: what a header carries unchanged
# A first request that died without an answer (its worker was killed) frees its key after this long.
ABANDONED_AFTER = datetime.timedelta(minutes=5)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"


class Replayed(exceptions.APIException):
    """Not an error: carries the stored answer to the exception handler, which returns it as it was."""

    def __init__(self, row: IdempotencyKey):
        super().__init__()
        self.row = row


def replay(exc: Replayed) -> HttpResponse:
    response = HttpResponse(exc.row.body, status=exc.row.status_code, content_type="application/json")
    if exc.row.status_code == status.HTTP_204_NO_CONTENT:
        del response["Content-Type"]  # as the first answer: no body, so no type
    response["Idempotent-Replayed"] = "true"
    return response


def fingerprint(request, view=None) -> str | None:
    """The request as the key promises it: method, path and the parsed body (files by their digest).

    A view that reads its own raw body (the alerts batch: up to 32 MB, past Django's 2.5 MB form limit that
    `request.data` enforces) names its reader `idempotency_body(request)`: the key then promises the raw
    bytes, read once by that reader (the view reads the same copy). The reader answers None when the body
    is refused (too large): no claim is taken and the view gives its own answer to the refusal."""
    reader = getattr(view, "idempotency_body", None)
    if reader is not None:
        body = reader(request)
        if body is None:
            return None
        digest = hashlib.sha256(json.dumps([request.method, request.path]).encode())
        digest.update(b"\n")
        digest.update(body)
        return digest.hexdigest()
    data = request.data
    if hasattr(data, "lists"):
        data = dict(data.lists())
    text = json.dumps([request.method, request.path, data], sort_keys=True, default=_file_digest)
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digest(value) -> str:
    if not isinstance(value, UploadedFile):
        return str(value)
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return f"file:{value.name}:{value.size}:{digest.hexdigest()}"


def claim(request, key: str, view=None) -> IdempotencyKey | None:
    """The key's row for this request, new; or raise Replayed / KeyReused / KeyInUse; None when the view
    refuses the body before any key matters (see `fingerprint`)."""
    if not re.match(KEY_PATTERN, key):
        raise exceptions.ValidationError(
            {HEADER: [_("An idempotency key is 1 to 100 visible ASCII characters.")]}
        )
    user, print_ = request.user, fingerprint(request, view)
    if print_ is None:
        return None
    now = timezone.now()
    kept = datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - kept).delete()
    IdempotencyKey.objects.filter(
        user=user, key=key, status_code__isnull=True, created_at__lt=now - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=print_)
    except IntegrityError:
        pass
    first = IdempotencyKey.objects.filter(user=user, key=key).first()
    if first is None:  # settled as failed between our insert and this read: the client may retry
        raise KeyInUse(_(RUNNING))
    if first.fingerprint != print_:
        raise KeyReused(_(REUSED))
    if first.status_code is None:
        raise KeyInUse(_(RUNNING))
    raise Replayed(first)


def _replayable(response) -> bool:
    """A successful JSON answer, or a success that has no body (204: a member or an indicator removed,
    whose retry must not find it gone and answer 404). A file is not kept."""
    if not 200 <= response.status_code < 300:
        return False
    no_content = response.status_code == status.HTTP_204_NO_CONTENT
    return no_content or response.get("Content-Type", "").startswith("application/json")


def settle(row: IdempotencyKey, response) -> None:
    """Keep a successful answer for replays; forget a failed one (the key is free again)."""
    if _replayable(response):
        row.status_code = response.status_code
        row.body = response.content.decode()
        row.save(update_fields=["status_code", "body"])
    else:
        row.delete()


class IdempotentPosts(permissions.BasePermission):
    """Takes the `Idempotency-Key` claim of an authenticated POST (last of the permission classes, so a
    wrong scope or an anonymous caller is refused before any key is looked at)."""

    def has_permission(self, request, view):
        key = request.headers.get(HEADER)
        if request.method == "POST" and key is not None and request.user.is_authenticated:
            request._request.idempotency_claim = claim(request, key, view)
        return True


class IdempotencyMiddleware:
    """Settles the claim with the answer the view gave (after the response is rendered)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        row = getattr(request, "idempotency_claim", None)
        if row is not None:
            settle(row, response)
        return response
