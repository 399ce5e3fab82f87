"""Background work of the reports app (django.tasks): thin, idempotent wrappers over `builds` and
`snapshots`."""

from __future__ import annotations

from django.tasks import task

from ungcuu.reports import builds, snapshots


@task
def build_document(build_id: int) -> str:
    """Write one prepared document; safe to run twice (a ready build is left as it is)."""
    return builds.run_build(build_id)


@task
def refresh_figures(key: str) -> str:
    """Count a kept snapshot's figures again; safe to run twice (a fresh one is left as it is)."""
    return snapshots.refresh(key)


def enqueue_refresh(key: str) -> None:
    refresh_figures.enqueue(key)


def refresh_read_snapshots() -> list[str]:
    """The periodic job (core.schedule): keep the snapshots read in the last day fresh, a few a run."""
    return snapshots.refresh_read_recently(enqueue_refresh)
