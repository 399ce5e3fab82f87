"""The set-up service: the province's settings and dated body names, shared by the page and the command."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ungcuu.accounts.models import User
from ungcuu.audit.models import AuditEvent
from ungcuu.core import platform
from ungcuu.core.bodies import body_name, body_names
from ungcuu.core.models import BodyName, PlatformSettings
from ungcuu.incidents.services import next_reference
from ungcuu.onboarding.setup import BodyPeriod, Coordinator, SetupInput, save_setup, setup_needed
from ungcuu.organizations.models import Kind, Organization
from ungcuu.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RENAMED = (
    BodyPeriod("SPECIALISED_UNIT", "Sở Thông tin và Truyền thông", None, datetime.date(2025, 2, 28)),
    BodyPeriod("SPECIALISED_UNIT", "Công an tỉnh Hà Nam (PA05)", datetime.date(2025, 3, 1), None),
)
DP = Coordinator("dieuphoi", "dieuphoi@hanam.gov.vn", "Trần Thị Điều Phối")


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English here; the Vietnamese ones are checked on the page."""
    with translation.override("en"):
        yield


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _input(**changes) -> SetupInput:
    values = {
        "province_name": "Hà Nam",
        "intake_phone": "0226 3 113 113",
        "intake_email": "ungcuu@hanam.gov.vn",
        "reference_prefix": "hn",
        "bodies": RENAMED,
    }
    return SetupInput(**{**values, **changes})


def test_a_fresh_deployment_needs_set_up_and_the_demo_province_does_not(root):
    assert setup_needed()

    Organization.objects.create(code="X", name="Sở X", kind=Kind.OPERATOR)

    assert not setup_needed()


def test_without_stored_rows_every_name_is_the_env_default(settings):
    assert body_names() == settings.BODY_NAMES
    assert platform.current().province_name == settings.PROVINCE_NAME
    assert platform.current().reference_prefix == settings.INCIDENT_REFERENCE_PREFIX


def test_body_name_is_the_one_valid_on_the_documents_date_dk(root):
    """DOMAIN.md §k: a body renamed on 01/03/2025 keeps its old name on documents dated before."""
    save_setup(actor=root, data=_input(), coordinators=(DP,))

    assert body_name("SPECIALISED_UNIT", datetime.date(2025, 2, 28)) == "Sở Thông tin và Truyền thông"
    assert body_name("SPECIALISED_UNIT", datetime.date(2025, 3, 1)) == "Công an tỉnh Hà Nam (PA05)"
    assert body_names(datetime.date(2024, 6, 1))["SPECIALISED_UNIT"] == "Sở Thông tin và Truyền thông"
    with time_machine.travel(datetime.datetime(2026, 5, 1, 3, tzinfo=datetime.UTC), tick=False):
        assert body_names()["SPECIALISED_UNIT"] == "Công an tỉnh Hà Nam (PA05)"


def test_a_role_with_no_row_on_a_date_falls_back_to_the_env_default(root, settings):
    later_only = (BodyPeriod("MINISTRY", "Bộ Mới", datetime.date(2026, 1, 1), None),)
    save_setup(actor=root, data=_input(bodies=later_only), coordinators=(DP,))

    assert body_name("MINISTRY", datetime.date(2025, 12, 31)) == settings.BODY_NAMES["MINISTRY"]
    assert body_name("MINISTRY", datetime.date(2026, 1, 1)) == "Bộ Mới"


def test_first_run_stores_settings_bodies_and_a_coordinator_who_must_enrol_two_factor(root):
    links = save_setup(actor=root, data=_input(), coordinators=(DP,), site="https://ungcuu.hanam.gov.vn/")

    now = platform.current()
    assert (now.province_name, now.reference_prefix, now.completed) == ("Hà Nam", "HN", True)
    # Not named on the page: made from the province's name, not the env default (another province's).
    assert body_name("PROVINCE_PC") == "Ủy ban nhân dân tỉnh Hà Nam"
    assert Organization.objects.get(kind=Kind.PROVINCE_PC).name == "Ủy ban nhân dân tỉnh Hà Nam"
    unit = Organization.objects.get(kind=Kind.SPECIALISED_UNIT)
    assert unit.name == "Công an tỉnh Hà Nam (PA05)" and unit.intake_phone == "0226 3 113 113"
    user = User.objects.get(username="dieuphoi")
    assert user.is_coordinator and not user.has_usable_password()
    assert links[0][1].startswith("https://ungcuu.hanam.gov.vn/accounts/password/reset/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor__username"))
    assert actions == [("platform_settings_changed", "root"), ("platform_role_changed", "root")]


def test_a_second_save_changes_only_what_changed_and_audits_the_field_names_not_values(root):
    save_setup(actor=root, data=_input(email_host_password="bi-mat-1"), coordinators=(DP,))

    save_setup(actor=root, data=_input(intake_phone="0226 3 999 999"))

    last = AuditEvent.objects.order_by("-id").first()
    assert last.detail == "Changed: intake_phone"
    assert PlatformSettings.objects.get().email_host_password == "bi-mat-1"  # None keeps the stored one
    assert Organization.objects.filter(kind=Kind.SPECIALISED_UNIT).count() == 1
    assert "bi-mat" not in " ".join(AuditEvent.objects.values_list("detail", flat=True))


def test_saving_the_same_values_again_writes_no_audit_row(root):
    save_setup(actor=root, data=_input(), coordinators=(DP,))
    count = AuditEvent.objects.count()

    save_setup(actor=root, data=_input())

    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"province_name": " "}, "province_name", "province's name"),
        ({"reference_prefix": "H1"}, "reference_prefix", "2 to 6 letters"),
        ({"intake_phone": "113"}, "intake_phone", "any hour"),
        ({"intake_email": "khong-phai-email"}, "intake_email", "not an e-mail"),
        ({"email_port": 70000}, "email_port", "1 to 65535"),
        ({"email_host": "mail server"}, "email_host", "without spaces"),
    ],
)
def test_bad_settings_are_refused_by_field_and_nothing_is_written(root, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        save_setup(actor=root, data=_input(**changes), coordinators=(DP,))

    assert message in " ".join(refused.value.message_dict[field])
    assert not PlatformSettings.objects.exists() and not User.objects.filter(username="dieuphoi").exists()
    assert not Organization.objects.exists() and not BodyName.objects.exists()


def test_overlapping_periods_of_one_role_are_refused_one_body_holds_a_role_each_day_dk(root):
    overlapping = (
        BodyPeriod("SPECIALISED_UNIT", "Sở TT&TT", None, datetime.date(2025, 3, 1)),
        BodyPeriod("SPECIALISED_UNIT", "Công an tỉnh", datetime.date(2025, 3, 1), None),
    )

    with pytest.raises(ValidationError, match="overlap"):
        save_setup(actor=root, data=_input(bodies=overlapping), coordinators=(DP,))

    assert not BodyName.objects.exists() and not PlatformSettings.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(root):
    backwards = (BodyPeriod("MINISTRY", "Bộ", datetime.date(2026, 1, 2), datetime.date(2026, 1, 1)),)

    with pytest.raises(ValidationError, match="ends before it starts"):
        save_setup(actor=root, data=_input(bodies=backwards), coordinators=(DP,))


def test_first_run_needs_a_coordinator_and_a_free_username(root, coordinator):
    User.objects.filter(pk=coordinator.pk).update(platform_role=User.PlatformRole.NONE)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        save_setup(actor=root, data=_input())

    taken = Coordinator(coordinator.username, "x@hanam.gov.vn", "Lê Văn X")
    with pytest.raises(ValidationError, match="already taken"):
        save_setup(actor=root, data=_input(), coordinators=(taken,))
    assert not PlatformSettings.objects.exists()


def test_only_a_superuser_changes_the_settings(coordinator):
    with pytest.raises(PermissionDenied):
        save_setup(actor=coordinator, data=_input())

    assert not PlatformSettings.objects.exists()


def test_new_incident_references_use_the_stored_prefix(root):
    save_setup(actor=root, data=_input(reference_prefix="HNM"), coordinators=(DP,))

    assert next_reference().startswith("HNM-")
