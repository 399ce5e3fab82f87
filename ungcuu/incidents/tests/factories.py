"""Incidents as their unit reports them, through the intake service (no rows written around the rules)."""

import datetime

from django.utils import timezone

from ungcuu.incidents import services
from ungcuu.incidents.models import Incident


def reported(actor, organization, title: str, **extra) -> Incident:
    """An incident reported on form 03 by `actor` for `organization`, detected an hour ago."""
    fields = {
        "channel": "form",
        "title": title,
        "description": "Phát hiện kết nối tới máy chủ điều khiển lạ.",
        "detected_at": timezone.now() - datetime.timedelta(hours=1),
        "reporter_name": str(actor),
        "organization": organization,
        **extra,
    }
    return services.submit_report(actor=actor, data=services.ReportInput(**fields)).incident
