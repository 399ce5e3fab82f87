"""Heavy rendering (WeasyPrint's PDF layout, matplotlib's charts) in a helper process, not in the web worker.

Why (issue 18, docs/performance.md "Worker memory and documents"): a web worker that imported WeasyPrint and
matplotlib and laid out one long PDF kept that memory for good. The two libraries cost about 47 MiB of
imports, and a document's layout is a transient of tens of MiB that Python's allocator does not give back
to the system (its arenas stay fragmented), so workers grew from about 130 MiB to 240-310 MiB over a run
of the benchmark. Here the worker renders the HTML (Django's templates, cheap) and hands it to a child
process that prints it; the child is forked from a server process that already imported both libraries
(multiprocessing's *forkserver*, its modules preloaded), so a document pays neither the import (2-4 s) nor
a process start from scratch, and a child ends after `RENDER_TASKS_PER_CHILD` renders, which gives its
whole heap back to the system.

`settings.RENDER_APART` off runs everything in the calling process (the tests' default: same bytes, no
process to start). A child that dies (killed, out of memory) or a render that raises gives `RenderFailed`
with the reason; the caller answers an error and writes no file.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

# What the fork server imports once (settings.RENDER_PRELOAD: the modules that print and draw live in the
# reports app, above core, so core names them only through the settings); every child is forked with them.

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_owner = 0  # the pid that made _pool (a forked process must make its own)


class RenderFailed(RuntimeError):
    """The helper process could not render (the exception it raised, or how it died)."""


def enabled() -> bool:
    return bool(getattr(settings, "RENDER_APART", False))


def _executor() -> ProcessPoolExecutor:
    global _pool, _owner
    with _lock:
        if _pool is None or _owner != os.getpid():
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(getattr(settings, "RENDER_PRELOAD", [])))
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                max_tasks_per_child=max(1, int(getattr(settings, "RENDER_TASKS_PER_CHILD", 1))),
            )
            _owner = os.getpid()
        return _pool


def _forget(pool: ProcessPoolExecutor) -> None:
    """Drop a broken or stuck pool: its child is ended, the next render starts a new one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # a stuck child: end it
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run[T](function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in the render child (a module-level function; arguments and result picklable), or
    here when RENDER_APART is off."""
    if not enabled():
        return function(*args)
    pool = _executor()
    try:
        return pool.submit(function, *args).result(timeout=getattr(settings, "RENDER_TIMEOUT", 120))
    except BrokenProcessPool as exc:
        _forget(pool)  # the next render starts a new child
        raise RenderFailed(f"the render process died: {exc}") from exc
    except TimeoutError as exc:
        _forget(pool)
        raise RenderFailed("the render process did not answer in time") from exc
    except Exception as exc:
        raise RenderFailed(f"{function.__qualname__} failed in the render process: {exc!r}") from exc


_warmed = threading.Event()


def warm() -> None:
    """Start the fork server in the background (web processes call this at start-up), so the first document
    does not wait for it to import the libraries."""
    if enabled() and not _warmed.is_set():
        _warmed.set()
        threading.Thread(target=lambda: run(os.getpid), name="render-warm", daemon=True).start()


def shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
