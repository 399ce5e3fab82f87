"""The coordinators' gate probes row by row (issue 18): the same rows as the definition it replaced.

`IncidentQuerySet.visible_to` gave the coordinators `NOT confidential OR named OR (confidential AND NOT
handled)` with plain EXISTS (PostgreSQL hashed the whole handlers table for the last one on every query);
it now gives `NOT confidential OR named OR NOT handled` with `ProbeExists`. Here the old definition is
written out again, as it stood before, and both are asked for every person of a seeded province: confidential
incidents with and without handlers, handled by one coordinator and not the other, reported by a unit's
viewer, by a coordinator, by an outsider; an inactive coordinator, the national coordinator, the units.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from ungcuu.accounts.models import User
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident, IncidentReport
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Membership, visible_organization_ids
from ungcuu.organizations.tests.factories import member

pytestmark = pytest.mark.django_db


def old_gate(user):
    """`visible_to` before issue 18's last change (main at 2a0afc7), every branch as it was."""
    queryset = Incident.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    handlers = Incident.handlers.through.objects
    reported_by = Exists(IncidentReport.objects.filter(incident=OuterRef("pk"), submitted_by=user))
    handled_by = Exists(handlers.filter(incident=OuterRef("pk"), user=user))
    handled = Exists(handlers.filter(incident=OuterRef("pk")))
    named = Q(reported_by) | Q(handled_by)
    ids = visible_organization_ids(user)
    if ids is None:
        if user.is_national:
            return queryset.in_qd05_scope()
        open_to_coordinators = ~Q(handled) if user.is_coordinator else Q(pk__in=[])
        return queryset.filter(Q(confidential=False) | named | (Q(confidential=True) & open_to_coordinators))
    # The unit branch did not change; it is compared too, through the same method.
    return queryset.visible_to(user)


@pytest.fixture
def seeded(province, national):
    p = province
    coordinator = p["coordinator"]
    other_coordinator = member(
        p["specialised"], Membership.Role.RESPONDER, username="coordinator2",
        platform_role=User.PlatformRole.COORDINATOR,
    )  # fmt: skip
    gone = member(
        p["specialised"], Membership.Role.RESPONDER, username="coordinator-gone",
        platform_role=User.PlatformRole.COORDINATOR, is_active=False,
    )  # fmt: skip
    unit, other = p["unit"], p["other"]
    made = {
        "open": reported(p["manager"], unit, "Công khai"),
        "secret unhandled": reported(p["viewer"], unit, "Mật, chưa ai xử lý", confidential=True),
        "secret, coordinator handles": reported(p["manager"], unit, "Mật, điều phối 1", confidential=True),
        "secret, other coordinator handles": reported(
            p["responder"], unit, "Mật, điều phối 2", confidential=True
        ),
        "secret, coordinator reported": reported(coordinator, unit, "Mật, điều phối báo", confidential=True),
        "secret of B, outsider reported": reported(p["outsider"], other, "Mật, đơn vị B", confidential=True),
        "open of B": reported(p["outsider"], other, "Công khai, đơn vị B"),
        "secret, both handle": reported(p["viewer"], unit, "Mật, hai người", confidential=True),
    }  # fmt: skip
    services.assign_handler(actor=coordinator, incident=made["secret, coordinator handles"])
    services.assign_handler(
        actor=other_coordinator, incident=made["secret, other coordinator handles"]
    )  # fmt: skip
    services.assign_handler(actor=other_coordinator, incident=made["secret, coordinator reported"])
    services.assign_handler(actor=coordinator, incident=made["secret, both handle"])
    both = made["secret, both handle"]
    services.assign_handler(actor=coordinator, incident=both, handler=other_coordinator)
    people = {
        "coordinator": coordinator,
        "other coordinator": other_coordinator,
        "inactive coordinator": gone,
        "national": national,
        "manager": p["manager"],
        "responder": p["responder"],
        "viewer": p["viewer"],
        "outsider": p["outsider"],
    }
    return made, people


def test_every_person_sees_the_rows_of_the_old_definition(seeded):
    made, people = seeded
    assert Incident.objects.filter(confidential=True).count() == 6  # the set is what it says
    for name, user in people.items():
        new = set(Incident.objects.visible_to(user).values_list("pk", flat=True))
        old = set(old_gate(user).values_list("pk", flat=True))
        assert new == old, name
    # And the set exercises every branch of the coordinators' gate, so the comparison can fail.
    by_pk = {incident.pk: label for label, incident in made.items()}

    def labels(user):
        return {by_pk[pk] for pk in Incident.objects.visible_to(user).values_list("pk", flat=True)}

    seen = labels(people["coordinator"])
    assert seen == {
        "open",
        "open of B",
        "secret unhandled",  # nobody handles it yet: the coordinators take it in
        "secret of B, outsider reported",
        "secret, coordinator handles",  # named: handler
        "secret, coordinator reported",  # named: reporter, though another coordinator handles it
        "secret, both handle",
    }
    other = labels(people["other coordinator"])
    assert "secret, coordinator handles" not in other and "secret, other coordinator handles" in other


def test_a_coordinator_stops_seeing_a_confidential_incident_once_another_handles_it(seeded):
    made, people = seeded
    incident = made["secret unhandled"]
    assert Incident.objects.visible_to(people["coordinator"]).filter(pk=incident.pk).exists()
    services.assign_handler(actor=people["other coordinator"], incident=incident)
    assert not Incident.objects.visible_to(people["coordinator"]).filter(pk=incident.pk).exists()
    assert set(Incident.objects.visible_to(people["coordinator"])) == set(old_gate(people["coordinator"]))


def test_the_coordinators_probes_are_not_hashed_on_postgresql(seeded):
    """The SQL asks each EXISTS with `OFFSET 0` on PostgreSQL (a per-row probe), plain elsewhere."""
    _made, people = seeded
    with CaptureQueriesContext(connection) as ctx:
        list(Incident.objects.visible_to(people["coordinator"]).values_list("pk", flat=True))
    sql = ctx.captured_queries[-1]["sql"]
    fenced = sql.count("OFFSET 0")
    assert fenced == (3 if connection.vendor == "postgresql" else 0)
