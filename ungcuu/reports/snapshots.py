"""Figures kept as snapshots, refreshed in the background, with a bounded and displayed age (issue 18).

The statistics page, the unit and province reports and form 05 aggregate every incident of their period:
200,000 a year at 1 M incidents, seconds of SQL however the query is written, and ten times that at 10 M.
Their aggregates (the grid of counts, the medians, the deadlines; form 05's grid and helpers) are a pure
function of a `Spec`: the scope's organizations, the period's days, and the confidential incidents the
reader may not open (`hidden`). A snapshot is stored under a digest of exactly that spec, so it can only
be served to someone who would have computed the same figures (a reader who may open one more
confidential incident has another key). Everything kept is language-neutral (codes, ids, numbers): labels
and organization names are read when the page is drawn.

Reading (`serve`): a snapshot younger than `settings.UNGCUU_FIGURES_MAX_AGE` is used as is; an older one
is used too, and one refresh is queued (a conditional UPDATE claims the key, so one job per key at a
time); none is computed now and stored. A max age of 0 counts live and keeps nothing. The page shows the
figures' time (`as_of`), and a refresh asks for `fresh=True`, as does anything filed (a submitted report
freezes figures computed at that moment).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.reports import figures
from ungcuu.reports.access import Scope
from ungcuu.reports.models import FigureSnapshot

COUNT, FORM05 = "count", "form05"
# Bumped when what is kept changes shape: older rows are then never read again (and age out).
VERSION = 1
# A claimed refresh that has not finished after this is taken for lost (its worker died): claim again.
REFRESH_LEASE = datetime.timedelta(minutes=10)
# `read_at` is written at most this often, so reading a snapshot is not a write on every page view.
READ_MARK_EVERY = datetime.timedelta(hours=1)
# The scheduler refreshes at most this many snapshots per run, those read in the last day first.
SCHEDULED_REFRESHES = 12
READ_RECENTLY = datetime.timedelta(days=1)
FORGET_AFTER = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Spec:
    """Everything a snapshot's figures depend on (the key is its digest)."""

    kind: str  # COUNT or FORM05
    org_ids: tuple[int, ...] | None  # None: the province
    start: datetime.date
    end: datetime.date
    contain: bool = False
    hidden: tuple[int, ...] = ()  # sorted ids of the confidential incidents left out of every figure

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def key(self) -> str:
        hidden = hashlib.sha256(",".join(map(str, self.hidden)).encode()).hexdigest()
        parts = [VERSION, self.kind, self.org_ids, self.start.isoformat(), self.end.isoformat()]
        payload = json.dumps([*parts, self.contain, len(self.hidden), hidden])
        return hashlib.sha256(payload.encode()).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "org_ids": list(self.org_ids) if self.org_ids is not None else None,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "contain": self.contain,
            "hidden": list(self.hidden),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Spec:
        org_ids = data["org_ids"]
        return cls(
            kind=data["kind"],
            org_ids=tuple(org_ids) if org_ids is not None else None,
            start=datetime.date.fromisoformat(data["start"]),
            end=datetime.date.fromisoformat(data["end"]),
            contain=data["contain"],
            hidden=tuple(data["hidden"]),
        )


@dataclass
class Kept:
    """The figures of a spec, as the builders use them, and the moment they describe."""

    grid: figures.Grid
    as_of: datetime.datetime
    medians: dict[str, datetime.timedelta | None] = field(default_factory=dict)
    deadlines: dict[str, dict[str, int]] = field(default_factory=dict)
    helpers: list[str] = field(default_factory=list)  # form 05: the bodies that answered a request


# --- computing ------------------------------------------------------------------------------------------


def incidents_of(spec: Spec):
    """The spec's counted incidents (access.Scope.incidents over the period, the hidden ones left out)."""
    incidents = figures.in_period(Scope(None, spec.org_ids).incidents(), spec.period)
    return incidents.exclude(pk__in=spec.hidden) if spec.hidden else incidents


def compute(spec: Spec, now: datetime.datetime) -> Kept:
    """The spec's figures counted now (the live path; a snapshot stores exactly this)."""
    incidents = incidents_of(spec)
    if spec.kind == FORM05:
        attacks = incidents.filter(category__startswith=f"{figures.ATTACK}.")
        grid = figures.grid(attacks, spec.period)
        return Kept(grid=grid, as_of=now, helpers=figures.domestic_helpers(attacks))
    hidden = Incident.objects.filter(pk__in=spec.hidden) if spec.hidden else None
    return Kept(
        grid=figures.grid(incidents, spec.period),
        as_of=now,
        medians=figures.medians(incidents, contain=spec.contain),
        deadlines=figures.deadline_compliance(spec.period, now, spec.org_ids, hidden=hidden),
    )


# --- JSON, explicitly (timedeltas as microseconds, dates and datetimes as ISO strings) --------------------


def dump(kept: Kept) -> dict[str, Any]:
    micros = {
        k: None if v is None else v // datetime.timedelta(microseconds=1) for k, v in kept.medians.items()
    }
    return {
        "cells": [{k: _plain(v) for k, v in cell.items()} for cell in kept.grid.cells],
        "months": [m.isoformat() for m in kept.grid.months],
        "medians": micros,
        "deadlines": kept.deadlines,
        "helpers": kept.helpers,
    }


def _plain(value: Any) -> Any:
    """Aggregates come back as int (or Decimal for a SUM on some databases): JSON keeps ints."""
    if value is None or isinstance(value, (str, int)):
        return value
    return int(value)


def load(data: dict[str, Any], as_of: datetime.datetime) -> Kept:
    medians = {
        k: None if v is None else datetime.timedelta(microseconds=v) for k, v in data["medians"].items()
    }
    grid = figures.Grid(
        [dict(cell) for cell in data["cells"]], [datetime.date.fromisoformat(m) for m in data["months"]]
    )
    return Kept(grid=grid, as_of=as_of, medians=medians, deadlines=data["deadlines"], helpers=data["helpers"])


# --- serving --------------------------------------------------------------------------------------------


def max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.UNGCUU_FIGURES_MAX_AGE)


def serve(spec: Spec, *, fresh: bool = False, enqueue: Callable[[str], Any] | None = None) -> Kept:
    """The spec's figures: kept ones when young enough, kept but stale ones while a refresh is queued
    (`enqueue(key)`, after commit), else counted now and kept. `fresh` counts now whatever is kept."""
    now = timezone.now()
    if settings.UNGCUU_FIGURES_MAX_AGE <= 0:
        return compute(spec, now)
    row = None if fresh else FigureSnapshot.objects.filter(key=spec.key).first()
    if row is None:
        return store(spec, compute(spec, now))
    _mark_read(row, now)
    if now - row.computed_at >= max_age() and enqueue is not None and claim(row.key, now):
        transaction.on_commit(partial(enqueue, row.key))
    return load(row.data, row.as_of)


def store(spec: Spec, kept: Kept) -> Kept:
    """Keep `kept` under the spec's key (a new row, or the existing one replaced) and release its claim."""
    values = {
        "spec": spec.as_json(),
        "data": dump(kept),
        "as_of": kept.as_of,
        "computed_at": kept.as_of,
        "read_at": kept.as_of,
        "refreshing_since": None,
    }
    try:
        with transaction.atomic():
            FigureSnapshot.objects.update_or_create(key=spec.key, defaults=values)
    except IntegrityError:  # another request stored the same key a moment ago: theirs is as good
        pass
    return kept


def claim(key: str, now: datetime.datetime) -> bool:
    """Take the key's refresh for this caller (a conditional UPDATE: one refresh per key at a time)."""
    free = Q(refreshing_since__isnull=True) | Q(refreshing_since__lt=now - REFRESH_LEASE)
    return FigureSnapshot.objects.filter(free, key=key).update(refreshing_since=now) == 1


def _mark_read(row: FigureSnapshot, now: datetime.datetime) -> None:
    if now - row.read_at >= READ_MARK_EVERY:
        FigureSnapshot.objects.filter(pk=row.pk).update(read_at=now)


def refresh(key: str) -> str:
    """Count a kept snapshot's figures again (the job's body; safe to run twice or for a gone key)."""
    row = FigureSnapshot.objects.filter(key=key).first()
    if row is None:
        return "missing"
    now = timezone.now()
    if row.refreshing_since is None and now - row.computed_at < max_age():
        return "fresh"  # refreshed meanwhile (by a page's "refresh" or an earlier run)
    spec = Spec.from_json(row.spec)
    store(spec, compute(spec, now))
    return "refreshed"


def refresh_read_recently(enqueue: Callable[[str], Any], now: datetime.datetime | None = None) -> list[str]:
    """The scheduler's pass: queue a refresh of the stale snapshots read in the last day (the most recently
    read first, at most SCHEDULED_REFRESHES a run, so the work per run is bounded), and forget those nobody
    read for FORGET_AFTER. Returns the keys queued."""
    now = now or timezone.now()
    FigureSnapshot.objects.filter(read_at__lt=now - FORGET_AFTER).delete()
    stale = FigureSnapshot.objects.filter(
        read_at__gte=now - READ_RECENTLY, computed_at__lt=now - max_age() / 2
    ).order_by("-read_at")
    queued: list[str] = []
    for key in stale.values_list("key", flat=True)[: SCHEDULED_REFRESHES * 2]:
        if len(queued) < SCHEDULED_REFRESHES and claim(key, now):
            transaction.on_commit(partial(enqueue, key))
            queued.append(key)
    return queued
