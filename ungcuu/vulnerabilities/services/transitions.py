"""The one way a finding's status changes: through Finding.TRANSITIONS (STYLE rule 4)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.vulnerabilities.models import Finding, InvalidTransition


def move(finding: Finding, status: str) -> None:
    if not finding.can_transition_to(status):
        raise InvalidTransition(
            _("A finding that is “%(from)s” cannot become “%(to)s”.")
            % {"from": finding.get_status_display(), "to": Finding.Status(status).label}
        )
    finding.status = status
    finding.status_changed_at = timezone.now()
