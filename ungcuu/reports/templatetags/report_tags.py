"""Number formatting for documents (1.250.000) and the report links other pages include."""

from django import template

from ungcuu.incidents.models import Status
from ungcuu.reports.access import can_record_damage

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """1250000 -> "1.250.000"; None -> "—"; decimals keep one place with a comma (2,5)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:.1f}".partition(".")
        return f"{vn_number(int(whole))},{fraction}"
    return f"{int(value):,}".replace(",", ".")


@register.inclusion_tag("reports/_incident_links.html", takes_context=True)
def incident_report_links(context, incident):
    """Forms 03 and 04 and the damage figures of one incident, for the incident's page."""
    user = context["request"].user
    return {
        "incident": incident,
        "closed": incident.status == Status.CLOSED,
        "may_record_damage": can_record_damage(user, incident),
    }


@register.inclusion_tag("reports/_organization_links.html")
def organization_report_links(organization):
    """Forms 01 and 02 of one organization, for the organization's page."""
    return {"organization": organization}
