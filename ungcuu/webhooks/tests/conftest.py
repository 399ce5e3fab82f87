import datetime

import pytest
from django.utils import timezone

from ungcuu.incidents.models import IncidentReport
from ungcuu.incidents.services import ReportInput, submit_report
from ungcuu.webhooks import services
from ungcuu.webhooks.models import Event
from ungcuu.webhooks.tests.receiver import Receiver, serve


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the receiver listens on 127.0.0.1
    settings.WEBHOOK_TIMEOUT = 5
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_DISABLE_AFTER = 3
    settings.SITE_URL = "https://ungcuu.example.gov.vn"


@pytest.fixture
def receiver():
    rx = Receiver()
    server = serve(rx)
    yield rx
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribe(manager, org_a, receiver):
    """`subscribe(events, actor=…, organization=…)`: a subscription pointing at the test receiver."""

    def make(events=tuple(Event.values), *, actor=manager, organization=org_a):
        subscription, secret = services.create_subscription(
            actor=actor, organization=organization, name="SIEM", url=receiver.url, events=events
        )
        receiver.secret = secret
        return subscription

    return make


@pytest.fixture
def report(manager, org_a):
    """`report(actor=…, organization=…, confidential=…)`: an incident submitted through the intake."""

    def make(*, actor=manager, organization=org_a, confidential=False, title="Tấn công thay đổi giao diện"):
        data = ReportInput(
            channel=IncidentReport.Channel.FORM,
            title=title,
            description="Trang chủ bị thay nội dung",
            detected_at=timezone.now() - datetime.timedelta(hours=1),
            reporter_name="Mai Quản Lý",
            organization=organization,
            confidential=confidential,
        )
        return submit_report(actor=actor, data=data).incident

    return make
