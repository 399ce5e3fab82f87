"""What the evidence fragment on the incident page shows (kept out of views so the tag can reuse it)."""

from ungcuu.evidence.access import can_upload
from ungcuu.evidence.models import Evidence
from ungcuu.incidents.models import Incident


def incident_evidence_context(user, incident: Incident) -> dict:
    """The context of `evidence/_incident_evidence.html`: `incident`, `evidence_items`, `can_upload`."""
    return {
        "incident": incident,
        "evidence_items": Evidence.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("uploaded_by"),
        "can_upload": can_upload(user, incident),
    }
