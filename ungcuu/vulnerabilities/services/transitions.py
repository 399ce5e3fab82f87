"""The one way a finding's status changes: through Finding.TRANSITIONS (STYLE rule 4)."""

from django.utils import timezone

from ungcuu.vulnerabilities.models import Finding


def move(finding: Finding, status: str) -> None:
    finding.check_transition(status)
    finding.status = status
    finding.status_changed_at = timezone.now()
