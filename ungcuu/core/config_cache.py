"""Read-mostly configuration (routing rules, deadline policies, the registry's role holders, focal points'
addresses, the platform row) kept per process, checked against one version token per transaction.

Intake read the same configuration on every report: about ten queries of its ~30 (issue 18). Inside a
`pinned()` block (intake's transaction), `cached(key, load)` answers from this process's copy when the
database's token (`ConfigVersion`, one row) is the one the copy was loaded under, and loads it otherwise;
the token is read once per block, before anything it guards, so a copy is never older than its token.
Outside a block `cached` just loads: nothing else reads a copy, so nothing else can read a stale one.

Every save or delete of a watched model writes a new random token in the same transaction (signals,
connected in `CoreConfig.ready`), so each process loads again on its next block; a rolled-back change
brings back the token and the rows together. A bulk `QuerySet.update()` on a watched model sends no signal:
call `changed()` after it. The copies are shared between requests: read them, never change them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save

# What intake reads on every report; a change to any of these rows changes the token.
WATCHED = [
    "incidents.RoutingRule",
    "incidents.DeadlinePolicy",
    "organizations.Organization",
    "organizations.FocalPoint",
    "core.PlatformSettings",
]


class Snapshot:
    """The copies loaded under one token (None: the token row is missing, nothing is kept past the block)."""

    def __init__(self, token: str | None):
        self.token = token
        self.parts: dict[Any, Any] = {}

    def get[T](self, key: Any, load: Callable[[], T]) -> T:
        if key not in self.parts:
            self.parts[key] = load()
        return self.parts[key]


_latest: Snapshot | None = None
_pinned: ContextVar[Snapshot | None] = ContextVar("ungcuu_config_snapshot", default=None)


def _model():
    return apps.get_model("core", "ConfigVersion")


def read_token() -> str | None:
    return _model().objects.filter(pk=1).values_list("token", flat=True).first()


@contextmanager
def pinned() -> Iterator[Snapshot]:
    """Answer `cached` from this process's copies for the block (one token query); nests."""
    global _latest
    current = _pinned.get()
    if current is not None:
        yield current
        return
    token = read_token()
    latest = _latest
    snapshot = (
        latest if latest is not None and token is not None and latest.token == token else Snapshot(token)
    )
    if token is not None:
        _latest = snapshot
    reset = _pinned.set(snapshot)
    try:
        yield snapshot
    finally:
        _pinned.reset(reset)


def is_pinned() -> bool:
    return _pinned.get() is not None


def cached[T](key: Any, load: Callable[[], T]) -> T:
    """`load()`, from this process's copy inside a `pinned()` block."""
    snapshot = _pinned.get()
    return load() if snapshot is None else snapshot.get(key, load)


def changed(**_kwargs: Any) -> None:
    """A watched row changed: a new token, in the caller's transaction (every process loads again)."""
    model = _model()
    token = uuid.uuid4().hex
    if model.objects.filter(pk=1).update(token=token):
        return
    try:
        with transaction.atomic():
            model.objects.create(pk=1, token=token)
    except IntegrityError:  # another process created it meanwhile
        model.objects.filter(pk=1).update(token=token)


def forget() -> None:
    """Drop this process's copies (tests: each starts from the database, whatever an earlier one cached)."""
    global _latest
    _latest = None


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"config-cache-save-{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"config-cache-delete-{label}")
