"""Vulnerability services: scan import and host assignment (scans.py), people's decisions (findings.py)."""

from ungcuu.vulnerabilities.services.findings import (
    accept_risk,
    expire_risk_acceptances,
    mark_false_positive,
    reopen_finding,
    responsible_people,
    set_finding_owner,
)
from ungcuu.vulnerabilities.services.scans import assign_host, import_scan

__all__ = [
    "accept_risk",
    "assign_host",
    "expire_risk_acceptances",
    "import_scan",
    "mark_false_positive",
    "reopen_finding",
    "responsible_people",
    "set_finding_owner",
]
