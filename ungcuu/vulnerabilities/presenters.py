"""What the pages show: severity tiles and a finding's page with the decisions the user may take."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from ungcuu.vulnerabilities.access import can_accept_risk, can_triage
from ungcuu.vulnerabilities.forms import AcceptRiskForm, FalsePositiveForm, OwnerForm, ReopenForm
from ungcuu.vulnerabilities.models import Finding, FindingQuerySet, Scan
from ungcuu.vulnerabilities.services import responsible_people
from ungcuu.vulnerabilities.severity import SEVERITY_ORDER

Status = Finding.Status
# Decision name -> (form, status it leads to, or None when it is not a status change).
DECISIONS = {
    "accept": (AcceptRiskForm, Status.RISK_ACCEPTED),
    "false_positive": (FalsePositiveForm, Status.FALSE_POSITIVE),
    "reopen": (ReopenForm, Status.OPEN),
    "owner": (OwnerForm, None),
}


def severity_tiles(findings: FindingQuerySet) -> list[dict]:
    """Unresolved findings per severity, plus overdue, each linking to the filtered list."""
    base = reverse("vulnerabilities:findings")
    rows = findings.unresolved().order_by().values("severity").annotate(n=Count("id"))
    counts = {row["severity"]: row["n"] for row in rows}
    tiles = [
        {
            "label": severity.label,
            "value": counts.get(severity.value, 0),
            "css": f"sev-{severity.value}",
            "url": f"{base}?status=unresolved&severity={severity.value}",
        }
        for severity in SEVERITY_ORDER
        if severity.value != "none"
    ]
    overdue = findings.overdue().count()
    tiles.append({"label": None, "value": overdue, "css": "overdue", "url": f"{base}?overdue=on"})
    return tiles


def decision_form_kwargs(name: str, finding: Finding) -> dict:
    """What a decision's form needs besides the data: its own ids on the page, the owner's choices."""
    kwargs: dict = {"auto_id": f"{name}_%s"}
    if DECISIONS[name][0] is OwnerForm:
        kwargs.update(people=responsible_people(finding), initial={"user": finding.owner_user_id})
    return kwargs


def bound_form(name: str, finding: Finding, data=None):
    return DECISIONS[name][0](data, **decision_form_kwargs(name, finding))


def _allowed(user, finding: Finding) -> list[str]:
    triage, accept = can_triage(user, finding.system), can_accept_risk(user, finding.system)
    allowed = []
    for name, (_form, status) in DECISIONS.items():
        permitted = accept if name == "accept" else triage
        if permitted and (status is None or finding.can_transition_to(status)):
            allowed.append(name)
    return allowed


def finding_context(user, finding: Finding, bound: dict | None = None) -> dict:
    forms = {name: bound_form(name, finding) for name in _allowed(user, finding)}
    forms.update(bound or {})
    results = list(
        finding.results.select_related("host__scan").order_by("-host__scan__observed_at", "-pk")[:20]
    )
    scan_ids = {r.host.scan_id for r in results}
    visible_scans = set(Scan.objects.visible_to(user).filter(pk__in=scan_ids).values_list("pk", flat=True))
    return {
        "finding": finding,
        "events": finding.events.select_related("actor", "scan")[:50],
        "results": results,
        "visible_scans": visible_scans,
        "forms": forms,
        "today": timezone.localdate(),
    }
