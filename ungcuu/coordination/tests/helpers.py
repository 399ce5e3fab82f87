"""Small helpers shared by the coordination tests."""

import datetime

from django.utils import timezone

from ungcuu.coordination.models import CoordinationRequest

TARGETS = ["http://alpha.example.gov.vn/index.html", "203.0.113.10"]


def reload(req: CoordinationRequest) -> CoordinationRequest:
    return CoordinationRequest.objects.get(pk=req.pk)


def move_deadline_to_the_past(req: CoordinationRequest) -> CoordinationRequest:
    """Sending refuses a past deadline, so a test ages the row instead."""
    CoordinationRequest.objects.filter(pk=req.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    return reload(req)
