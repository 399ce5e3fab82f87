"""Shared pieces of the preparedness models: the append-only row and the wrong-state error."""

from __future__ import annotations

from django.db import models


class InvalidTransition(Exception):
    """A change the object's current state does not allow (answered 409 by views and the API)."""


class AppendOnlyQuerySet(models.QuerySet):
    """History is never rewritten: bulk updates and deletes are refused (admin included)."""

    def update(self, **kwargs):
        raise PermissionError("preparedness history is append-only")

    def delete(self):
        raise PermissionError("preparedness history is append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted (its manager is an `AppendOnlyQuerySet`)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("preparedness history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("preparedness history is append-only")
