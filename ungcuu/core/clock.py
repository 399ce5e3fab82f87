"""The time the application reads is Django's `timezone.now()`; the demo loader may set it for a block.

The demo replays two years of history through the services, which stamp `timezone.now()` on every row
they write. `travel(moment)` sets that time for a block: `timezone.now()`, `localtime()`, `localdate()`,
`auto_now` fields and the model fields whose default is `clock.now` all read it, so the history is
written by the same rules as live use, without a timestamp argument on every service.

Only for single-threaded commands (the demo loader): it sets the time for the whole process. Tests move
the clock with time-machine, a test-only dependency.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


def now() -> datetime.datetime:
    """`timezone.now()` looked up when called: the default for model timestamp fields, so `travel` (and a
    test's clock) reaches them too."""
    return timezone.now()


@contextmanager
def travel(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """The clock stands still at `moment` (an aware datetime) inside the block."""
    if timezone.is_naive(moment):
        raise ValueError("travel() needs an aware datetime")
    with mock.patch.object(timezone, "now", lambda: moment):
        yield moment
