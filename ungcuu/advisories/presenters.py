"""What the advisory pages and fragments show (kept out of views so template tags and HTMX reuse it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from ungcuu.advisories import access
from ungcuu.advisories.forms import CloseForm, IndicatorForm
from ungcuu.advisories.indicators import Sightings, sightings_by_indicator
from ungcuu.advisories.models import (
    Advisory,
    AdvisorySystemState,
    AdvisoryTarget,
    Indicator,
    TargetStatus,
)
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import organization_roles


def targets_with_states(queryset):
    """Targets with their advisory, organization and state rows, in one query each."""
    states = AdvisorySystemState.objects.select_related("system", "updated_by").order_by("system__name", "pk")
    return queryset.select_related("advisory", "organization", "acknowledged_by").prefetch_related(
        Prefetch("states", queryset=states)
    )


def target_context(user, target: AdvisoryTarget, **extra) -> dict:
    """The context of `advisories/_target.html`: one organization's acknowledgement and state forms."""
    published = target.advisory.status == Advisory.Status.PUBLISHED
    return {
        "target": target,
        "can_acknowledge": published and access.can_respond(user, target) and target.acknowledged_at is None,
        "can_report": published and (access.can_respond(user, target) or access.can_write(user)),
        "state_choices": AdvisorySystemState.State.choices,
        **extra,
    }


def own_targets(user, advisory: Advisory | None = None):
    """The targets of the organizations the user belongs to (for a coordinator, the specialised unit's own
    systems), with their forms; the province-wide view is the matrix."""
    memberships = set(organization_roles(user))
    targets = AdvisoryTarget.objects.visible_to(user).filter(organization_id__in=memberships)
    targets = targets.exclude(advisory__status=Advisory.Status.DRAFT)
    if advisory is not None:
        targets = targets.filter(advisory=advisory)
    return targets_with_states(targets).order_by("-advisory__published_at", "organization__name")


@dataclass
class IndicatorRow:
    indicator: Indicator
    seen: Sightings


def indicator_rows(user, indicators, *, advisory=None, incident=None) -> list[IndicatorRow]:
    """Each indicator with where else it was seen (excluding the object the list belongs to)."""
    rows = []
    sightings = sightings_by_indicator(user, indicators)
    for indicator in indicators:
        seen = sightings[indicator.pk]
        if advisory is not None:
            seen.advisories = [a for a in seen.advisories if a.pk != advisory.pk]
        if incident is not None:
            seen.incidents = [i for i in seen.incidents if i.pk != incident.pk]
        rows.append(IndicatorRow(indicator, seen))
    return rows


def advisory_indicators_context(user, advisory: Advisory, **extra) -> dict:
    indicators = list(advisory.indicators.order_by("kind", "value"))
    return {
        "owner": advisory,
        "owner_kind": "advisory",
        "rows": indicator_rows(user, indicators, advisory=advisory),
        "can_add": access.can_write(user) and advisory.status != Advisory.Status.CLOSED,
        "form": extra.pop("form", None) or IndicatorForm(),
        **extra,
    }


def incident_indicators_context(user, incident: Incident, **extra) -> dict:
    indicators = list(Indicator.objects.filter(incident_links__incident=incident).order_by("kind", "value"))
    return {
        "owner": incident,
        "owner_kind": "incident",
        "rows": indicator_rows(user, indicators, incident=incident),
        "can_add": access.can_add_to_incident(user, incident),
        "form": extra.pop("form", None) or IndicatorForm(),
        **extra,
    }


def detail_context(user, advisory: Advisory) -> dict:
    writer = access.can_write(user)
    all_targets = targets_with_states(AdvisoryTarget.objects.visible_to(user).filter(advisory=advisory))
    return {
        "advisory": advisory,
        "products": advisory.products.all(),
        "can_write": writer,
        "can_read_dispatch": access.can_read_dispatch(user),
        "own_targets": [target_context(user, t) for t in own_targets(user, advisory)],
        "all_targets": all_targets if writer or getattr(user, "is_national", False) else [],
        "summary": matrix_summary(all_targets),
        "close_form": CloseForm(),
        "events": advisory.events.select_related("actor", "target__organization") if writer else [],
        "indicators": advisory_indicators_context(user, advisory),
    }


def matrix_summary(targets) -> dict:
    """Counts for the tiles above the matrix."""
    rows = list(targets)
    return {
        "targets": len(rows),
        "acknowledged": sum(1 for t in rows if t.acknowledged_at),
        "completed": sum(1 for t in rows if t.status == TargetStatus.COMPLETED),
        "overdue": sum(1 for t in rows if t.is_overdue),
        "systems": sum(len(t.states.all()) for t in rows),
    }


# Symbols of the grid's cells (with colour and a legend, so the state reads without colour too).
GRID_MARKS = {
    TargetStatus.SENT: "○",
    TargetStatus.ACKNOWLEDGED: "◔",
    TargetStatus.IN_PROGRESS: "◑",
    TargetStatus.COMPLETED: "●",
}


@dataclass
class GridRow:
    organization: object
    cells: list  # one AdvisoryTarget or None per column


@dataclass
class MatrixGrid:
    """Organisations × advisories: what each unit did about each advisory, on one screen (issue 15)."""

    advisories: list
    rows: list[GridRow]
    more: int  # older advisories left out; the filter opens any one of them

    @property
    def marks(self) -> list[tuple[str, str, str]]:
        return [(s.value, GRID_MARKS[s], s.label) for s in TargetStatus]


def matrix_grid(targets, *, columns: int = 12) -> MatrixGrid:
    """The newest `columns` advisories as columns, every organization targeted by them as a row."""
    rows = list(targets)
    advisories: list = []
    for target in rows:
        if target.advisory not in advisories:
            advisories.append(target.advisory)
    shown = advisories[:columns]
    index = {advisory.pk: n for n, advisory in enumerate(shown)}
    by_org: dict[int, GridRow] = {}
    for target in rows:
        if target.advisory_id in index:
            row = by_org.setdefault(target.organization_id, GridRow(target.organization, [None] * len(shown)))
            row.cells[index[target.advisory_id]] = target
    for target in rows:
        target.mark = GRID_MARKS[target.status]
    ordered = sorted(by_org.values(), key=lambda row: row.organization.name)
    return MatrixGrid(advisories=shown, rows=ordered, more=len(advisories) - len(shown))
