"""Shared abstract models; core holds no domain tables of its own."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated stamps that every domain table wants."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
