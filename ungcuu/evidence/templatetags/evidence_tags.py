"""Upload form and download check for the incident page's evidence fragment (context: three keys)."""

from django import template

from ungcuu.evidence.access import can_download
from ungcuu.evidence.forms import EvidenceUploadForm
from ungcuu.evidence.presenters import incident_evidence_context

register = template.Library()


@register.inclusion_tag("evidence/_incident_evidence.html", takes_context=True)
def incident_evidence(context, incident):
    """`{% incident_evidence incident %}`: the whole fragment; the incident app need not import this one."""
    user = context["user"]
    return {**incident_evidence_context(user, incident), "user": user, "request": context.get("request")}


@register.inclusion_tag("evidence/_upload_form.html", takes_context=True)
def evidence_upload_form(context, incident, form=None):
    """The upload form, posting back to the page it sits on once the upload succeeds."""
    request = context.get("request")
    return {
        "incident": incident,
        "form": form or EvidenceUploadForm(),
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def evidence_downloadable_by(incident, user) -> bool:
    """`{% if incident|evidence_downloadable_by:user %}`: the same predicate the download view applies."""
    return can_download(user, incident)
