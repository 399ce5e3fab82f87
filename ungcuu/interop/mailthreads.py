"""Which incident an incoming message answers: a reference number in its subject, or the thread header
our notifications carry (`In-Reply-To`/`References`, see notifications/channels/email.py)."""

from __future__ import annotations

import re

from django.conf import settings

from ungcuu.incidents.models import Incident
from ungcuu.interop.mailparse import ParsedMail
from ungcuu.notifications.channels.email import incident_from_thread_id


def reference_pattern() -> re.Pattern[str]:
    prefix = re.escape(settings.INCIDENT_REFERENCE_PREFIX)
    return re.compile(rf"(?<![\w-])({prefix}-\d{{4}}-\d{{4,8}})(?![\w-])", re.IGNORECASE)


def incident_named(mail: ParsedMail) -> Incident | None:
    """The incident the subject names, else the one the thread headers name; a merged one's target."""
    found = reference_pattern().search(mail.subject)
    incident = None
    if found:
        incident = Incident.objects.filter(reference__iexact=found.group(1)).first()
    if incident is None:
        pks = [pk for pk in map(incident_from_thread_id, mail.references) if pk is not None]
        incident = Incident.objects.filter(pk=pks[-1]).first() if pks else None
    if incident is not None and incident.merged_into_id is not None:
        incident = incident.merged_into
    return incident
