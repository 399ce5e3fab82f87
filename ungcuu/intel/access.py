"""Who may take threat intelligence out, bring it in, and receive it over TAXII.

Export follows reading: whoever may open the incident or advisory page may download it as STIX or MISP
(the page's gate decides; hidden is 404). Import follows writing indicators (advisories.access). TAXII
is a machine feed, so TLP 2.0 is applied on top of the gates (DOMAIN.md §i):

- TLP:CLEAR and TLP:GREEN: everything the token's user may see;
- TLP:AMBER: the same (the gates already stop at the organizations that need to know);
- TLP:AMBER+STRICT: only the incident's own organizations (operator, owner), the people named on it
  (handlers, reporters) and the coordinators of the specialised unit, never a request recipient or the
  national side;
- TLP:RED: only the people named on the incident (handlers, reporters). A feed that copies RED into
  another system is further disclosure, so nobody else receives it, coordinators included.

Advisories are the specialised unit's own publications: their gate (targets for AMBER and RED, the
whole network for CLEAR and GREEN) is their sharing list; drafts never leave.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ungcuu.advisories import access as advisory_access
from ungcuu.advisories.models import Advisory, Status
from ungcuu.incidents.models import Incident, IncidentReport
from ungcuu.organizations.access import is_coordinator
from ungcuu.organizations.models import visible_organization_ids

Tlp = Incident.Tlp


def can_import_into_incident(user, incident: Incident) -> bool:
    return advisory_access.can_add_to_incident(user, incident)


def can_import_into_advisory(user, advisory: Advisory) -> bool:
    return advisory_access.can_write(user) and advisory.status in (Status.DRAFT, Status.PUBLISHED)


def _named(user) -> Q:
    reported = Exists(IncidentReport.objects.filter(incident=OuterRef("pk"), submitted_by=user))
    handled = Exists(Incident.handlers.through.objects.filter(incident=OuterRef("pk"), user=user))
    return Q(reported) | Q(handled)


def feed_incidents(user):
    """Incidents whose indicators this user's token receives over TAXII (gate, then TLP)."""
    visible = Incident.objects.visible_to(user)
    open_tlp = Q(tlp__in=[Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER])
    strict = Q(tlp=Tlp.AMBER_STRICT) & (_named(user) | _own_organizations(user))
    red = Q(tlp=Tlp.RED) & _named(user)
    return visible.filter(open_tlp | strict | red)


def _own_organizations(user) -> Q:
    if user.is_superuser or is_coordinator(user):
        return Q(pk__isnull=False)  # every incident (an empty Q() would vanish from an OR)
    ids = visible_organization_ids(user)
    if ids is None:  # the national side sees province-wide but is not the incident's organization
        return Q(pk__in=[])
    return Q(operator_id__in=ids) | Q(owner_id__in=ids)


def feed_advisories(user):
    """Issued advisories this user's token receives: the advisory gate, drafts excluded."""
    return Advisory.objects.visible_to(user).exclude(status=Status.DRAFT)
