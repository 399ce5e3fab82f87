"""Preparedness models: response plans and versions, scenarios and playbooks, drills, training, audit."""

from ungcuu.preparedness.models.drills import (
    Drill,
    DrillFinding,
    DrillKind,
    DrillStatus,
    FindingSeverity,
    FollowUpAction,
    FollowUpStatus,
)
from ungcuu.preparedness.models.events import PreparednessEvent
from ungcuu.preparedness.models.plans import (
    PlanStatus,
    PlanVersion,
    ResourceKind,
    ResponsePlan,
    one_year_after,
    validate_resources,
)
from ungcuu.preparedness.models.scenarios import (
    STAGES,
    PlaybookRun,
    Scenario,
    ScenarioStep,
    category_group,
    category_label,
    role_label,
    stage_for,
)
from ungcuu.preparedness.models.training import TrainingAttendee, TrainingCourse

__all__ = [
    "STAGES",
    "Drill",
    "DrillFinding",
    "DrillKind",
    "DrillStatus",
    "FindingSeverity",
    "FollowUpAction",
    "FollowUpStatus",
    "PlanStatus",
    "PlanVersion",
    "PlaybookRun",
    "PreparednessEvent",
    "ResourceKind",
    "ResponsePlan",
    "Scenario",
    "ScenarioStep",
    "TrainingAttendee",
    "TrainingCourse",
    "category_group",
    "category_label",
    "one_year_after",
    "role_label",
    "stage_for",
    "validate_resources",
]
