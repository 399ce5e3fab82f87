"""API for preparedness: response plans, scenarios (and applying one to an incident), drills with their
findings and follow-up actions, and training courses, through the pages' gates and services.

Status codes: 404 hidden, 403 visible but not allowed, 400 bad body, 409 wrong state. Related objects are
offered only from what the caller can see, so a hidden system is "does not exist", like a missing one.
Every change needs a `coordinate` token except closing a follow-up action, which is the owner unit's own
report of work done (`report`, like an obligation filing).
"""

from ungcuu.preparedness.api.drills import DrillViewSet, FollowUpViewSet
from ungcuu.preparedness.api.plans import ResponsePlanViewSet
from ungcuu.preparedness.api.readiness import ReadinessViewSet
from ungcuu.preparedness.api.scenarios import ScenarioViewSet
from ungcuu.preparedness.api.training import TrainingCourseViewSet

ROUTES = [
    ("response-plans", ResponsePlanViewSet, "responseplan"),
    ("scenarios", ScenarioViewSet, "scenario"),
    ("drills", DrillViewSet, "drill"),
    ("follow-ups", FollowUpViewSet, "followup"),
    ("training-courses", TrainingCourseViewSet, "trainingcourse"),
    ("preparedness", ReadinessViewSet, "preparedness"),
]
