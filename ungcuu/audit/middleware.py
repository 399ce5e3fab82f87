"""Records disclosures that views make by answering: every file and export handed out, and every opening
of a confidential incident. One place, so a download added to any app later is audited without
remembering to: the response says what it is (an attachment), the URL says what it is about."""

from django.apps import apps
from django.db import models

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event

# URL parameter -> model of the object a download is about, per namespace ("" for the API, whose routes
# name their object by basename instead). A URL missing here is still recorded, with its page name.
TARGET_PARAMS = {
    "evidence": {"pk": "evidence.Evidence", "incident_pk": "incidents.Incident"},
    "reports": {
        "incident_pk": "incidents.Incident",
        "org_pk": "organizations.Organization",
        "pk": "reports.PeriodicReport",
        "build": "reports.DocumentBuild",  # a prepared document: the row keeps the page it is a file of
    },
    "advisories": {"pk": "advisories.Advisory"},
    "obligations": {"pk": "obligations.Occurrence"},
    "preparedness": {"version": "preparedness.PlanVersion", "plan": "preparedness.ResponsePlan"},
    "incidents": {"pk": "incidents.Incident"},
    "coordination": {
        "attachment_pk": "coordination.AnswerAttachment",
        "pk": "coordination.CoordinationRequest",
    },
    "intel": {"incident_pk": "incidents.Incident", "advisory_pk": "advisories.Advisory"},
}
API_TARGETS = {"evidence": "evidence.Evidence", "incident": "incidents.Incident"}

# Pages and API reads that show a confidential incident, by the parameter naming the incident.
CONFIDENTIAL_READS = {
    "incidents:detail": "pk",
    "incident-detail": "pk",
    "evidence:incident": "incident_pk",
    # The API's STIX and MISP copies of an incident (the pages' copies are attachments, recorded above).
    "incident-intel-stix": "pk",
    "incident-intel-misp": "pk",
}


class AuditTrailMiddleware:
    """Appends a DOWNLOAD row for each attachment served and a VIEW_CONFIDENTIAL row for each
    successful read of a confidential incident. Refusals (403/404) disclose nothing and are not rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or response.status_code != 200:
            return response
        if response.get("Content-Disposition", "").startswith("attachment"):
            target = _target(match)
            record_event(
                actor=request.user,
                action=AuditEvent.Action.DOWNLOAD,
                target=target,
                detail=_query(request),
                request_meta=request_meta(request),
            )
        elif request.method == "GET" and match.view_name in CONFIDENTIAL_READS:
            incident = _confidential_incident(match)
            if incident is not None:
                record_event(
                    actor=request.user,
                    action=AuditEvent.Action.VIEW_CONFIDENTIAL,
                    target=incident,
                    request_meta=request_meta(request),
                )
        return response


def _query(request) -> str:
    """The export's filters (which rows were handed out), for GET and POST forms alike."""
    params = request.GET if request.method == "GET" else request.POST
    return "&".join(f"{k}={v}" for k, v in params.items() if k != "csrfmiddlewaretoken")


def _target(match) -> models.Model | None:
    label_and_pk = _target_reference(match)
    if label_and_pk is None:
        return None
    label, pk = label_and_pk
    return apps.get_model(label)._default_manager.filter(pk=pk).first()


def _target_reference(match) -> tuple[str, str] | None:
    if not match.namespace:  # the API: "evidence-download" is about the evidence its pk names
        basename = match.url_name.rsplit("-", 1)[0]
        if basename in API_TARGETS and "pk" in match.kwargs:
            return API_TARGETS[basename], match.kwargs["pk"]
        return None
    # The table lists the most specific parameter first (a plan version before its plan).
    for name, label in TARGET_PARAMS.get(match.namespace, {}).items():
        if name in match.kwargs:
            return label, match.kwargs[name]
    return None


def _confidential_incident(match):
    incident_model = apps.get_model("incidents.Incident")
    pk = match.kwargs.get(CONFIDENTIAL_READS[match.view_name])
    return incident_model.objects.filter(pk=pk, confidential=True).select_related("operator").first()
