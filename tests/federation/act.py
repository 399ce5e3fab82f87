"""Acts on one instance of the two-instance federation test, run as a script in that instance's
environment (its own DATABASE_URL and UNGCUU_INSTANCE). Prints its result as JSON.

    seed-province | seed-national PROVINCE_URL | escalate N (then N progress reports) | request REF
"""

import datetime
import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from ungcuu.accounts.models import User  # noqa: E402
from ungcuu.federation import services as federation  # noqa: E402
from ungcuu.federation.models import NationalIncident, Peer  # noqa: E402
from ungcuu.incidents import services  # noqa: E402
from ungcuu.incidents.models import Incident, Status  # noqa: E402
from ungcuu.organizations.models import Kind, Membership, Organization  # noqa: E402


def seed_province() -> dict:
    unit = Organization.objects.create(code="SO-TC", name="Sở Tài chính", kind=Kind.OPERATOR)
    Organization.objects.create(code="SO-KHCN", name="Sở KH&CN", kind=Kind.SPECIALISED_UNIT)
    Organization.objects.create(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    reporter = User.objects.create_user(username="reporter", password=None)
    Membership.objects.create(user=reporter, organization=unit, role=Membership.Role.RESPONDER)
    User.objects.create_user(username="dieuphoi", password=None, platform_role=User.PlatformRole.COORDINATOR)
    return {"unit": unit.pk}


def seed_national(province_url: str) -> dict:
    Peer.objects.create(code="NB", name="Ninh Bình", base_url=province_url, secret=settings.FEDERATION_SECRET)
    User.objects.create_user(username="quocgia", password=None, platform_role=User.PlatformRole.NATIONAL)
    return {"peer": "NB"}


def escalate(count: str = "0") -> dict:
    reporter, coordinator = User.objects.get(username="reporter"), User.objects.get(username="dieuphoi")
    data = services.ReportInput(
        channel="form",
        title="Mã độc mã hoá dữ liệu hệ thống một cửa",
        description="Toàn bộ hồ sơ bị mã hoá, yêu cầu tiền chuộc.",
        detected_at=timezone.now() - datetime.timedelta(hours=2),
        reporter_name="Nguyễn Văn Báo",
        organization=Organization.objects.get(code="SO-TC"),
    )
    incident = services.submit_report(actor=reporter, data=data).incident
    services.acknowledge(actor=coordinator, incident=incident)
    services.classify(
        actor=coordinator,
        incident=incident,
        category="ATTACK.MALWARE",
        harms=["service_disruption"],
        exceeds_capacity=False,
        override_severity="SERIOUS",
        override_reason="Hồ sơ toàn tỉnh bị mã hoá",
    )
    incident = Incident.objects.get(pk=incident.pk)
    services.change_status(actor=coordinator, incident=incident, to=Status.TEAM_CONVENED)
    for number in range(1, int(count) + 1):
        services.add_entry(actor=coordinator, incident=incident, kind="progress", message=f"Tiến độ {number}")
    return {"reference": incident.reference}


def request(reference: str) -> dict:
    incident = NationalIncident.objects.get(reference=reference)
    sent = federation.send_request(
        actor=User.objects.get(username="quocgia"),
        incident=incident,
        required_actions="Gửi nhật ký máy chủ và mẫu mã độc",
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    return {"message_id": str(sent.message_id)}


ACTS = {
    "seed-province": seed_province,
    "seed-national": seed_national,
    "escalate": escalate,
    "request": request,
}

if __name__ == "__main__":
    print(json.dumps(ACTS[sys.argv[1]](*sys.argv[2:])))
