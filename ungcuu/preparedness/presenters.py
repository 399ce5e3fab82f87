"""What the playbook fragment on the incident page shows (shared by the template tag and the view)."""

from ungcuu.incidents.models import Incident
from ungcuu.preparedness import access
from ungcuu.preparedness.services import suggest_scenarios
from ungcuu.preparedness.services.playbooks import Match


def incident_playbooks_context(user, incident: Incident) -> dict:
    """Context of `preparedness/_incident_playbooks.html`: `incident`, `suggestions`, `can_apply`."""
    suggestions = suggest_scenarios(incident, user=user)
    return {
        "incident": incident,
        "suggestions": suggestions,
        # The incident's own category (or the library's for it) first; the same cause group folded below.
        "suggested": [s for s in suggestions if s.match != Match.GROUP],
        "related": [s for s in suggestions if s.match == Match.GROUP],
        "can_apply": access.can_apply_playbook(user, incident),
    }
