"""What the playbook fragment on the incident page shows (shared by the template tag and the view)."""

from ungcuu.incidents.models import Incident
from ungcuu.preparedness import access
from ungcuu.preparedness.services import suggest_scenarios


def incident_playbooks_context(user, incident: Incident) -> dict:
    """Context of `preparedness/_incident_playbooks.html`: `incident`, `suggestions`, `can_apply`."""
    return {
        "incident": incident,
        "suggestions": suggest_scenarios(incident, user=user),
        "can_apply": access.can_apply_playbook(user, incident),
    }
