"""Background work of the reports app (django.tasks): thin, idempotent wrappers over `builds`."""

from __future__ import annotations

from django.tasks import task

from ungcuu.reports import builds


@task
def build_document(build_id: int) -> str:
    """Write one prepared document; safe to run twice (a ready build is left as it is)."""
    return builds.run_build(build_id)
