"""Labels for codes stored in timeline data (statuses, categories, severities)."""

from django import template

from ungcuu.core import taxonomy
from ungcuu.incidents.models import Incident, Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else code


@register.filter
def category_label(code: str) -> str:
    entry = taxonomy.incident_categories().get(code)
    return taxonomy.label(entry) if entry else code


@register.filter
def severity_label(code: str) -> str:
    return str(Incident.Severity(code).label) if code in Incident.Severity.values else code
