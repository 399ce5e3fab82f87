"""The demo province: size, coverage of levels/states/roles, idempotence with --if-empty, determinism."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from ungcuu.accounts.models import User
from ungcuu.core import taxonomy
from ungcuu.demo.generator import DEMO_PASSWORD, build_demo_province
from ungcuu.incidents.models import Incident
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization, StaffChange
from ungcuu.systems.models import InformationSystem, SystemEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # The generator hashes the shared demo password once; a cheap hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args: str, incidents: int = 0) -> str:
    out = StringIO()
    call_command("load_demo", *args, "--incidents", str(incidents), stdout=out)
    return out.getvalue()


def test_demo_incidents_cover_every_category_and_many_states():
    load_demo(incidents=40)
    incidents = Incident.objects.all()
    assert incidents.count() == 40
    assert set(incidents.values_list("category", flat=True)) >= set(taxonomy.incident_categories())
    states = set(incidents.values_list("status", flat=True))
    assert {"closed", "logged"} <= states and len(states) >= 5
    assert incidents.filter(severity="SERIOUS").exists()
    assert all(i.timeline.exists() for i in incidents)
    # the demo's history is not delivered again by the worker
    assert not Notification.objects.filter(state__in=["pending", "failed"]).exists()


def test_demo_province_has_about_forty_organizations_of_every_kind_needed():
    load_demo()
    assert 35 <= Organization.objects.count() <= 50
    kinds = list(Organization.objects.values_list("kind", flat=True))
    assert kinds.count(Kind.ISP) == 3
    for kind in (
        Kind.POLICE,
        Kind.MILITARY,
        Kind.NATIONAL_COORDINATOR,
        Kind.PROVINCE_PC,
        Kind.SPECIALISED_UNIT,
    ):
        assert kind in kinds
    root = Organization.objects.get(kind=Kind.PROVINCE_PC)
    assert root.parent is None and root.members_see_children
    assert Organization.objects.filter(parent__kind=Kind.COMMUNE).exists()


def test_demo_systems_cover_every_level_and_dossier_state():
    load_demo()
    systems = InformationSystem.objects.all()
    assert 70 <= systems.count() <= 90
    assert set(systems.values_list("security_level", flat=True)) == {1, 2, 3, 4, 5}
    assert set(systems.values_list("dossier_state", flat=True)) == set(InformationSystem.DossierState.values)
    approved = systems.filter(dossier_state=InformationSystem.DossierState.APPROVED)
    assert not approved.filter(decision_number="").exists()
    assert not approved.filter(decision_date__isnull=True).exists()
    assert systems.filter(is_critical_national=True).exists()
    assert SystemEvent.objects.filter(kind=SystemEvent.Kind.APPROVED).count() == approved.count()


def test_demo_has_a_login_for_every_role_and_prints_them():
    output = load_demo()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="dieuphoi").is_coordinator
    assert User.objects.get(username="quocgia").is_national
    roles = set(Membership.objects.filter(user__platform_role="").values_list("role", flat=True))
    assert roles == set(Membership.Role.values)
    assert User.objects.get(username="syte.quanly").check_password(DEMO_PASSWORD)
    for username in ("admin", "dieuphoi", "quocgia", "syte.ungcuu", "hoalu.quanly", DEMO_PASSWORD):
        assert username in output


def test_every_focal_point_can_be_reached_and_staff_changes_are_recorded():
    load_demo()
    assert not FocalPoint.objects.filter(office_phone="", mobile="", email="").exists()
    assert not Organization.objects.filter(focal_points__isnull=True).exists()
    changes = set(StaffChange.objects.values_list("change", flat=True))
    assert changes == set(StaffChange.Change.values)


def test_if_empty_does_not_load_twice():
    load_demo("--if-empty")
    counts = (Organization.objects.count(), InformationSystem.objects.count(), User.objects.count())
    assert "already exist" in load_demo("--if-empty")
    assert (Organization.objects.count(), InformationSystem.objects.count(), User.objects.count()) == counts


def snapshot_of_fresh_build(seed: int) -> tuple:
    """Build into an empty database, read what matters, and roll the build back."""
    with transaction.atomic():
        build_demo_province(seed)
        snapshot = (
            list(Organization.objects.order_by("code").values_list("code", "name", "address", "phone")),
            list(
                FocalPoint.objects.order_by("organization__code", "email").values_list("full_name", "email")
            ),
            list(
                InformationSystem.objects.order_by("name").values_list(
                    "name",
                    "security_level",
                    "dossier_state",
                    "decision_number",
                    "public_ips",
                    "last_drill_on",
                )
            ),
        )
        transaction.set_rollback(True)
    assert not Organization.objects.exists()
    return snapshot


def test_same_seed_builds_the_same_province_and_another_seed_differs():
    first = snapshot_of_fresh_build(7)
    assert snapshot_of_fresh_build(7) == first
    other = snapshot_of_fresh_build(8)
    assert [row[0] for row in other[0]] == [row[0] for row in first[0]]  # same organizations…
    assert other[1] != first[1]  # …with other people


def test_load_demo_refuses_outside_the_demo_mode(settings):
    """The demo's superuser has a published password: a production database must never get it."""
    settings.DEMO = False

    with pytest.raises(CommandError, match="UNGCUU_DEMO=1"):
        load_demo()

    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_load_demo_warns_that_its_logins_are_public():
    out = load_demo()

    assert "WARNING: this is a demo" in out
    assert User.objects.get(username="admin").is_superuser
