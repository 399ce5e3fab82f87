"""Shared pieces of the preparedness models: the append-only row and the wrong-state error."""

from __future__ import annotations

from ungcuu.core.models import AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyModel", "AppendOnlyQuerySet", "InvalidTransition"]


class InvalidTransition(Exception):
    """A change the object's current state does not allow (answered 409 by views and the API)."""
