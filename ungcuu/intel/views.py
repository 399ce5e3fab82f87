"""Pages: STIX and MISP downloads of an incident or advisory, and the import form for each.

Downloads follow the page's gate (hidden = 404): whoever may open the incident or advisory may take it
away as a file; the audit middleware records each download (an attachment) against its object.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ungcuu.advisories.models import Advisory
from ungcuu.incidents.models import Incident
from ungcuu.intel import access, misp, parsing, services, stix
from ungcuu.intel.forms import ImportForm
from ungcuu.intel.models import IntelImport
from ungcuu.organizations.access import get_visible_or_404, require

STIX_TYPE = "application/stix+json;version=2.1"


def _incident(user, pk: int) -> Incident:
    return get_visible_or_404(Incident.objects.all(), user, pk=pk)


def _advisory(user, pk: int) -> Advisory:
    return get_visible_or_404(Advisory.objects.all(), user, pk=pk)


def _file(body: str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body.encode(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def incident_stix(request, incident_pk: int):
    incident = _incident(request.user, incident_pk)
    body = stix.serialize(stix.incident_bundle(incident))
    return _file(body, f"{incident.reference}.stix.json", STIX_TYPE)


@login_required
def incident_misp(request, incident_pk: int):
    incident = _incident(request.user, incident_pk)
    return _file(
        misp.serialize(misp.incident_event(incident)), f"{incident.reference}.misp.json", "application/json"
    )


@login_required
def advisory_stix(request, advisory_pk: int):
    advisory = _advisory(request.user, advisory_pk)
    body = stix.serialize(stix.advisory_bundle(advisory))
    return _file(body, f"{advisory.reference}.stix.json", STIX_TYPE)


@login_required
def advisory_misp(request, advisory_pk: int):
    advisory = _advisory(request.user, advisory_pk)
    return _file(
        misp.serialize(misp.advisory_event(advisory)), f"{advisory.reference}.misp.json", "application/json"
    )


# --- import -----------------------------------------------------------------------------------------


@csrf_exempt  # the announced size is checked before csrf_protect reads the body; csrf_protect runs below
@login_required
def incident_import(request, incident_pk: int):
    incident = _incident(request.user, incident_pk)
    require(access.can_import_into_incident(request.user, incident))
    owner = {"incident": incident, "back": reverse("incidents:detail", args=[incident.pk])}
    return _import(request, owner)


@csrf_exempt  # as above
@login_required
def advisory_import(request, advisory_pk: int):
    advisory = _advisory(request.user, advisory_pk)
    require(access.can_import_into_advisory(request.user, advisory))
    owner = {"advisory": advisory, "back": advisory.get_absolute_url()}
    return _import(request, owner)


def _announced_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > parsing.max_bytes() + 64 * 1024  # room for the form's other fields


@csrf_protect
def _import(request, owner: dict):
    if request.method == "POST" and _announced_too_large(request):
        message = _("The file is larger than %(max)s bytes.") % {"max": parsing.max_bytes()}
        return _page(request, owner, ImportForm(), status=413, refusal=[message])
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, owner, form)
    if not form.is_valid():
        return _page(request, owner, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > parsing.max_bytes():
        return _page(request, owner, form, status=413, refusal=[_too_large(upload.size)])
    try:
        result = services.import_indicators(
            actor=request.user,
            format=form.cleaned_data["format"],
            raw=upload.read(),
            file_name=upload.name or "",
            advisory=owner.get("advisory"),
            incident=owner.get("incident"),
        )
    except parsing.TooLarge as exc:
        return _page(request, owner, form, status=413, refusal=[str(exc)])
    except ValidationError as exc:
        return _page(request, owner, form, status=400, refusal=exc.messages)
    return _page(request, owner, ImportForm(), result=result)


def _too_large(size: int) -> str:
    return _("The file is %(size)s bytes; at most %(max)s bytes are accepted per import.") % {
        "size": size,
        "max": parsing.max_bytes(),
    }


def _page(request, owner: dict, form, *, status: int = 200, refusal=(), result: IntelImport | None = None):
    target = {k: owner[k] for k in ("advisory", "incident") if k in owner}
    context = {
        **owner,
        "obj": owner.get("incident") or owner.get("advisory"),
        "form": form,
        "refusal": list(refusal),
        "result": result,
        "recent": IntelImport.objects.filter(**target).select_related("actor")[:10],
        "max_bytes": parsing.max_bytes(),
        "max_objects": parsing.max_objects(),
    }
    return render(request, "intel/import.html", context, status=status)
