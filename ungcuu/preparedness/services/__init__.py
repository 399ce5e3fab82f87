"""Every rule-bearing change in preparedness (STYLE rule 2): plans, scenarios, playbooks, drills, training."""

from ungcuu.preparedness.services.drills import (
    add_finding,
    add_follow_up,
    cancel_drill,
    close_follow_up,
    create_drill,
    record_drill,
    update_drill,
)
from ungcuu.preparedness.services.plans import (
    approve_plan,
    create_plan,
    review_plan,
    revise_plan,
    update_plan,
)
from ungcuu.preparedness.services.playbooks import (
    Match,
    Suggestion,
    apply_scenario,
    plans_for,
    suggest_scenarios,
)
from ungcuu.preparedness.services.scenarios import create_scenario, update_scenario
from ungcuu.preparedness.services.training import editable_attendees, record_course, update_course

__all__ = [
    "Match",
    "Suggestion",
    "add_finding",
    "add_follow_up",
    "apply_scenario",
    "approve_plan",
    "cancel_drill",
    "close_follow_up",
    "create_drill",
    "create_plan",
    "create_scenario",
    "editable_attendees",
    "plans_for",
    "record_course",
    "record_drill",
    "review_plan",
    "revise_plan",
    "suggest_scenarios",
    "update_course",
    "update_drill",
    "update_plan",
    "update_scenario",
]
