"""Shared pieces of the preparedness models: the append-only row."""

from __future__ import annotations

from ungcuu.core.models import AppendOnlyModel, AppendOnlyQuerySet

__all__ = ["AppendOnlyModel", "AppendOnlyQuerySet"]
