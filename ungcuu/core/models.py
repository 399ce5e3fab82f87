"""Shared abstract models; core holds no domain tables of its own."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated stamps that every domain table wants."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update/delete are refused: audit rows (timelines, custody chains) are only ever added."""

    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises, admin included."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only")


class Heartbeat(models.Model):
    """The last time a long-running process (the scheduler) showed it was alive; read by /healthz."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ReferenceCounter(models.Model):
    """The last number of a reference sequence (incidents, advisories) per prefix and year.

    `core.references.next_reference` locks the row while it increments it, so the numbers are unique and,
    on PostgreSQL, gap-free within a year.
    """

    sequence = models.CharField(max_length=20)
    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sequence", "prefix", "year"], name="one_counter_per_sequence_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.prefix}-{self.year}: {self.last}"
