"""Importing indicators from a STIX bundle or a MISP event into an advisory or an incident: all or nothing.

One import is one transaction: the indicator rows (one per kind and value, shared platform-wide), the
links to the advisory or incident, the record of which source ids were taken (so a re-import of the same
bundle adds nothing), one summary audit row (the incident's timeline, or the advisory's events) and the
import's own record. Rows are written in batches (`bulk_create`), not one service call per indicator:
a 10,000-indicator bundle is tens of queries, not tens of thousands (bench/intel_import.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ungcuu.advisories.audit import log_event
from ungcuu.advisories.models import Advisory, AdvisoryEvent, AdvisoryIndicator, IncidentIndicator, Indicator
from ungcuu.core import clock
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.intel import access
from ungcuu.intel.models import Format, ImportedObject, IntelImport
from ungcuu.intel.parsing import Candidate, Parsed, parse_misp, parse_stix
from ungcuu.organizations.access import require

BATCH = 500
PARSERS = {Format.STIX: parse_stix, Format.MISP: parse_misp}


def parse(format: str, raw: bytes) -> Parsed:
    """Read the upload (ValidationError for bad input, parsing.TooLarge above the limits)."""
    return PARSERS[Format(format)](raw)


@transaction.atomic
def import_indicators(
    *,
    actor,
    format: str,
    raw: bytes,
    advisory: Advisory | None = None,
    incident: Incident | None = None,
    file_name: str = "",
) -> IntelImport:
    """Take the indicators of a STIX bundle or MISP event into one advisory or incident."""
    _require_may_import(actor, advisory, incident)
    parsed = parse(format, raw)
    if parsed.errors:
        raise ValidationError(
            [
                _("Nothing was imported: %(n)s objects are invalid.") % {"n": parsed.error_count},
                *parsed.errors,
            ]
        )
    target: dict[str, Advisory | Incident]
    if advisory is not None:
        target = {"advisory": advisory}
    else:
        assert incident is not None  # _require_may_import: exactly one of the two
        target = {"incident": incident}
    # Rows are built by ids (`<field>_id`), not objects: at 20,000 indicators Django's related-object
    # descriptors and full model instances were a third of the import (profiled, bench/intel_import.py).
    target_ids = {f"{name}_id": obj.pk for name, obj in target.items()}
    taken = _already_taken(target_ids, {c.source_id for c in parsed.candidates})
    fresh = _dedupe(c for c in parsed.candidates if c.source_id not in taken)
    indicator_ids = _indicator_ids(actor, {(c.kind, c.value) for c in fresh})
    added = _link(actor, target_ids, indicator_ids.values())
    batch = IntelImport.objects.create(
        format=format,
        file_name=file_name[:255],
        sha256=hashlib.sha256(raw).hexdigest(),
        added=added,
        already_imported=len({c.source_id for c in parsed.candidates if c.source_id in taken}),
        skipped=parsed.skipped,
        actor=actor,
        **target,
    )
    ImportedObject.objects.bulk_create(
        [
            ImportedObject(
                intel_import_id=batch.pk,
                source_id=c.source_id,
                indicator_id=indicator_ids[(c.kind, c.value)],
                **target_ids,
            )
            for c in fresh
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    _audit(actor, batch, parsed.skipped_count)
    return batch


def _require_may_import(actor, advisory: Advisory | None, incident: Incident | None) -> None:
    if (advisory is None) == (incident is None):
        raise ValidationError(_("Import into one advisory or one incident."))
    if advisory is not None:
        require(access.can_import_into_advisory(actor, advisory))
    if incident is not None:
        require(access.can_import_into_incident(actor, incident))


def _already_taken(target_ids: dict, source_ids: set[str]) -> set[str]:
    ids = list(source_ids)
    taken: set[str] = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = ImportedObject.objects.filter(source_id__in=chunk, **target_ids).values_list(
            "source_id", flat=True
        )
        taken.update(rows)
    return taken


def _dedupe(candidates: Iterable[Candidate]) -> list[Candidate]:
    return list(dict.fromkeys(candidates))


def _indicator_ids(actor, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The id of the Indicator row of each (kind, value), created where missing (the unique key settles
    races)."""
    ids = _existing(pairs)
    actor_id = actor.pk if actor is not None else None
    now = clock.now()
    missing = [
        Indicator(kind=k, value=v, created_by_id=actor_id, created_at=now) for (k, v) in pairs - ids.keys()
    ]
    if missing:
        Indicator.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        ids.update(_existing({(i.kind, i.value) for i in missing}))
    return ids


def _existing(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_kind: dict[str, list[str]] = {}
    for kind, value in pairs:
        by_kind.setdefault(kind, []).append(value)
    found: dict[tuple[str, str], int] = {}
    for kind, values in by_kind.items():
        for start in range(0, len(values), BATCH):
            rows = Indicator.objects.filter(kind=kind, value__in=values[start : start + BATCH])
            for value, pk in rows.values_list("value", "pk"):
                found[(kind, value)] = pk
    return found


def _link(actor, target_ids: dict, indicator_ids: Iterable[int]) -> int:
    """Link each indicator to the advisory or incident; the number of links that are new."""
    ids = list(indicator_ids)
    model: Any = AdvisoryIndicator if "advisory_id" in target_ids else IncidentIndicator
    linked: set[int] = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        linked.update(
            model.objects.filter(indicator_id__in=chunk, **target_ids).values_list("indicator_id", flat=True)
        )
    now, actor_id = clock.now(), actor.pk if actor is not None else None
    new = [
        model(indicator_id=pk, added_by_id=actor_id, added_at=now, **target_ids)
        for pk in ids
        if pk not in linked
    ]
    model.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return len(new)


def _audit(actor, batch: IntelImport, skipped: int) -> None:
    data: dict[str, Any] = {
        "intel_import": batch.pk,
        "format": batch.format,
        "added": batch.added,
        "already_imported": batch.already_imported,
        "skipped": skipped,
        "sha256": batch.sha256,
    }
    if batch.advisory is not None:
        log_event(batch.advisory, AdvisoryEvent.Kind.INDICATOR_ADDED, actor=actor, **data)
        return
    assert batch.incident is not None  # the model's check constraint: one of the two
    text = gettext_noop("Indicators imported from %(format)s: %(added)s added, %(skipped)s objects skipped.")
    with translation.override(settings.LANGUAGE_CODE):  # the timeline reads in the platform's language
        message = _(text) % {"format": batch.get_format_display(), "added": batch.added, "skipped": skipped}
    record(batch.incident, TimelineEvent.Kind.NOTE, actor=actor, message=message, **data)
