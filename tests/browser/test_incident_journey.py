"""Incidents as people handle them, in Debian's chromium against the live server.

A commune reports a defaced portal on form 03; the specialised unit acknowledges, classifies and asks
the ISP to take the content down; the ISP answers; the incident is contained, evaluated and closed with
form 04. A citizen reports without an account. Evidence goes up with its hash and comes down audited.

Wording is asserted only through the compiled catalogue (`_vi`), so a translator's work in progress on
django.po cannot break these tests; everything else is found by name, id or URL.
"""

import datetime
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from ungcuu.accounts.models import User
from ungcuu.coordination import services as coordination
from ungcuu.coordination.forms import DEFAULT_ACTIONS
from ungcuu.coordination.models import CoordinationRequest, RequestKind
from ungcuu.core import challenge
from ungcuu.evidence.models import CustodyEntry, Evidence
from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import Incident, IncidentReport, Status, TimelineEvent, category_choices
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.organizations.services import add_focal_point
from ungcuu.systems import services as systems

from .conftest import PASSWORD, SCREENSHOTS, log_in

# serialized_rollback: the deadline policies and routing rules seeded by migrations survive the flush that
# ends every transactional test, so each test sees the province as `migrate` leaves it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Cổng thông tin bị thay đổi giao diện"
PORTAL = "Cổng thông tin điện tử phường Hoa Lư"
DOMAIN = "hoalu.ninhbinh.gov.vn"
DEFACEMENT = "ATTACK.DEFACEMENT"
REFERENCE = re.compile(r"^NB-\d{4}-\d{6}$")
INCIDENT_URL = re.compile(r"/incidents/(\d+)/$")
REQUEST_URL = re.compile(r"/coordination/(\d+)/$")

Shot = Callable[[Page, str], None]


def _vi(text) -> str:
    """What the Vietnamese interface shows for a (lazy) message, read from the compiled catalogue."""
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _camera(prefix: str) -> Shot:
    """Full-page screenshots to screenshots/<prefix>-<step>.png."""

    def take(page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{prefix}-{step}.png", full_page=True)

    return take


def _local_input(moment: datetime.datetime) -> str:
    """The value a person types into a datetime-local field."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The province's cast (set up through models and services) ---------------------------------------
# `province` (the People's Committee, IS_OWNER), `specialised_unit`, `coordinator` and `outsider` (a
# manager at Sở Tài chính) come from conftest.py.


def _person(username: str, first: str, last: str, **fields) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last, **fields
    )


@pytest.fixture
def commune(province) -> Organization:
    return Organization.objects.create(
        code="UBND-P-HOALU", name="Ủy ban nhân dân phường Hoa Lư", kind=Kind.COMMUNE, parent=province
    )


@pytest.fixture
def commune_manager(commune) -> User:
    user = _person(
        "quanly.hoalu", "Hoa", "Đinh Thị", email="hoa.dt@hoalu.example.gov.vn", phone="0229 3871 234"
    )
    Membership.objects.create(user=user, organization=commune, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def portal(commune_manager, commune):
    return systems.register_system(
        actor=commune_manager,
        name=PORTAL,
        owner=commune,
        operator=commune,
        security_level=2,
        domains=[DOMAIN],
    )


@pytest.fixture
def isp(transactional_db) -> Organization:
    return Organization.objects.create(code="VNPT-NB", name="VNPT Ninh Bình", kind=Kind.ISP)


@pytest.fixture
def isp_responder(isp) -> User:
    user = _person("ungcuu.vnpt", "Tuấn", "Hoàng Anh", email="tuan.ha@vnpt.example.vn")
    Membership.objects.create(user=user, organization=isp, role=Membership.Role.RESPONDER)
    return user


@pytest.fixture
def national_coordinator(transactional_db) -> Organization:
    return Organization.objects.create(
        code="NCSC",
        name="Trung tâm Giám sát an toàn không gian mạng quốc gia",
        kind=Kind.NATIONAL_COORDINATOR,
    )


@pytest.fixture
def unit_on_duty(coordinator, specialised_unit):
    """The specialised unit's focal point: where the intake e-mails go."""
    return add_focal_point(
        actor=coordinator,
        organization=specialised_unit,
        full_name="Vũ Minh Đức",
        title="Trực ứng cứu sự cố",
        mobile="0912 888 115",
        email="ungcuu@sokhcn.example.gov.vn",
    )


@pytest.fixture
def reported(commune_manager, commune, portal) -> Incident:
    """An incident the commune already reported on form 03 (for the tests that start after intake)."""
    report = incidents.submit_report(
        actor=commune_manager,
        data=incidents.ReportInput(
            channel=IncidentReport.Channel.FORM,
            title=TITLE,
            description="Trang chủ hiển thị nội dung lạ từ 7 giờ sáng.",
            detected_at=timezone.now() - datetime.timedelta(hours=2),
            reporter_name="Đinh Thị Hoa",
            reporter_email="hoa.dt@hoalu.example.gov.vn",
            organization=commune,
            system=portal,
            category=DEFACEMENT,
        ),
    )
    return report.incident


# --- 1. The main journey -----------------------------------------------------------------------------


def _report_on_form03(page: Page, commune: Organization, portal, shot: Shot) -> str:
    """The commune's officer fills form 03 field by field; returns the reference."""
    page.locator("main").locator("a[href='/incidents/report/']").first.click()
    page.wait_for_url("/incidents/report/")
    form = page.locator("#form03")
    expect(form.locator("[name=reporter_name]")).to_have_value("Đinh Thị Hoa")  # from the profile
    form.locator("[name=reporter_name]").fill("UBND phường Hoa Lư – Đinh Thị Hoa")
    form.locator("[name=reporter_address]").fill("Số 1 đường Tràng An, phường Hoa Lư, tỉnh Ninh Bình")
    form.locator("[name=reporter_phone]").fill("0229 3871 234")
    form.locator("[name=reporter_email]").fill("hoa.dt@hoalu.example.gov.vn")
    form.locator("[name=contact_name]").fill("Đinh Thị Hoa")
    form.locator("[name=contact_title]").fill("Phó Chủ tịch UBND phường")
    form.locator("[name=contact_phone]").fill("0912 345 111")
    form.locator("[name=contact_email]").fill("hoa.dt@hoalu.example.gov.vn")
    form.locator("[name=organization]").select_option(str(commune.pk))
    form.locator("[name=system]").select_option(str(portal.pk))
    form.locator("[name=domains]").fill(DOMAIN)
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=detected_at]").fill(_local_input(timezone.now() - datetime.timedelta(hours=3)))
    form.locator("[name=description]").fill(
        "Từ 7 giờ sáng, trang chủ cổng thông tin hiển thị hình ảnh và khẩu hiệu lạ thay cho tin tức. "
        "Chưa thấy dấu hiệu mất dữ liệu; người dân đã gọi điện phản ánh."
    )
    form.locator("[name=category]").select_option(DEFACEMENT)
    form.locator("[name=handled][value=not_handled]").check()
    form.locator("[name=detection_methods][value=notified]").check()
    form.locator("[name=notified_by]").fill("Người dân gọi đường dây nóng")
    form.locator("[name=already_notified][value=network_member]").check()
    shot(page, "01-form03-filled")
    form.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"/incidents/\d+/received/$"))
    reference = page.locator("main strong.ref")
    expect(reference).to_have_text(REFERENCE)
    shot(page, "02-received")
    return reference.inner_text()


def _status_is(page: Page, status: Status) -> None:
    expect(page.locator("#incident-status")).to_have_text(_vi(status.label))


def _move(page: Page, to: Status, note: str = "") -> None:
    """The workspace's next-step buttons: add a note, press the step (htmx answers in place)."""
    if note:
        page.locator("#workflow [name=note]").fill(note)
    page.click(f"#workflow button[name=to][value={to.value}]")
    _status_is(page, to)


def _take_in(page: Page, reference: str, portal, shot: Shot) -> str:
    """The coordinator finds the report, acknowledges, classifies and starts the first actions."""
    expect(page.locator("main").get_by_role("link", name=reference)).to_be_visible()  # dashboard
    shot(page, "03-coordinator-dashboard")
    page.click("nav.mainnav a[href='/incidents/']")
    page.wait_for_url("/incidents/")
    row = page.locator("#results tr", has_text=reference)
    expect(row.locator(".status")).to_have_text(_vi(Status.LOGGED.label))
    shot(page, "04-incident-list")
    row.get_by_role("link", name=reference).click()
    page.wait_for_url(INCIDENT_URL)
    incident_url = page.url
    _status_is(page, Status.LOGGED)
    expect(page.locator("h1")).to_contain_text(TITLE)
    shot(page, "05-incident-logged")

    page.click("#acknowledge")
    _status_is(page, Status.ACKNOWLEDGED)
    expect(page.locator("#acknowledge")).to_have_count(0)
    classify = page.locator("details#classify")
    if classify.get_attribute("open") is None:
        classify.locator("summary").click()
    classify.locator("[name=category]").select_option(DEFACEMENT)
    classify.locator("[name=system]").select_option(str(portal.pk))
    shot(page, "06-acknowledged-classify-open")
    classify.locator("button.primary").click()
    _status_is(page, Status.CLASSIFIED)  # classifying an acknowledged incident moves it on
    with translation.override("vi"):
        category = {code: label for _group, codes in category_choices() for code, label in codes}[DEFACEMENT]
    expect(page.locator("#summary .badge", has_text=category)).to_be_visible()

    _move(page, Status.FIRST_ACTIONS, "Yêu cầu đơn vị tạm dừng cổng, sao lưu nhật ký máy chủ web.")
    shot(page, "07-first-actions")
    return incident_url


def _send_takedown(page: Page, incident: Incident, isp: Organization, shot: Shot) -> str:
    """Form 06 to the ISP: takedown of the defaced pages; returns the request's URL."""
    page.goto(f"/incidents/{incident.pk}/")
    page.click(f"#coordination-requests a[href='/coordination/new/{incident.pk}/']")
    page.wait_for_url(f"**/coordination/new/{incident.pk}/")
    form = page.locator("#send-form")
    form.locator("[name=recipient]").select_option(str(isp.pk))
    shot(page, "08-request-form-initial")
    with page.expect_response(lambda r: r.request.method == "GET" and "/coordination/new/" in r.url):
        form.locator("[name=kind]").select_option(RequestKind.ISP_TAKEDOWN.value)
    # The htmx refresh keeps the recipient and brings the kind's default text.
    expect(page.locator("#send-form [name=required_actions]")).to_have_value(
        DEFAULT_ACTIONS[RequestKind.ISP_TAKEDOWN]
    )
    expect(page.locator("#send-form [name=recipient]")).to_have_value(str(isp.pk))
    expect(page.locator("#send-form [name=kind]")).to_have_value(RequestKind.ISP_TAKEDOWN.value)
    page.locator("#send-form [name=targets]").fill(f"{DOMAIN}\nhttps://{DOMAIN}/index.php")
    shot(page, "09-request-form-filled")
    page.click("#send-form button[type=submit]")
    page.wait_for_url(REQUEST_URL)
    expect(page.locator("#request-status")).to_have_class(re.compile(r"\bstate-sent\b"))
    expect(page.locator("main")).to_contain_text(DOMAIN)
    shot(page, "10-request-sent")
    return page.url


def _isp_answers(page: Page, request_ref: str, shot: Shot) -> None:
    page.click("nav.mainnav a[href='/coordination/']")
    page.wait_for_url("/coordination/")
    shot(page, "11-isp-requests")
    page.locator("#results").get_by_role("link", name=request_ref).click()
    page.wait_for_url(REQUEST_URL)
    expect(page.locator("#request-status")).to_have_class(re.compile(r"\bstate-sent\b"))
    page.evaluate("window.__samePage = true")
    page.click("#acknowledge-form button")
    expect(page.locator("#request-status")).to_have_class(re.compile(r"\bstate-acknowledged\b"))
    shot(page, "12-isp-acknowledged")
    page.locator("#answer-form [name=outcome]").select_option(CoordinationRequest.Outcome.DONE.value)
    page.locator("#answer-form [name=answer]").fill(
        "Đã gỡ nội dung thay đổi giao diện lúc 10:15, chặn truy cập trang index.php giả mạo."
    )
    page.click("#answer-form button.primary")
    expect(page.locator("#request-status")).to_have_class(re.compile(r"\bstate-answered\b"))
    expect(page.locator("#request-actions")).to_contain_text("Đã gỡ nội dung thay đổi giao diện")
    assert page.evaluate("window.__samePage") is True  # both steps were htmx swaps
    shot(page, "13-isp-answered")


def _close(page: Page, request_url: str, incident_url: str, shot: Shot) -> None:
    """The coordinator accepts the ISP's answer, then takes the incident to its end."""
    page.goto(request_url)
    page.locator("#complete-form [name=note]").fill("Đã kiểm tra, nội dung giả mạo không còn.")
    page.click("#complete-form button")
    expect(page.locator("#request-status")).to_have_class(re.compile(r"\bstate-completed\b"))
    shot(page, "14-request-completed")

    page.goto(incident_url)
    _move(page, Status.CONTAINED, "Cổng đã được tạm dừng, nội dung lạ đã gỡ.")
    _move(page, Status.RESTORED, "Khôi phục từ bản sao lưu ngày hôm trước, vá lỗ hổng plugin.")
    _move(page, Status.EVALUATED)
    closing = page.locator("#closing-report")
    expect(closing.locator("[name=what_happened]")).to_be_visible()  # opened for an evaluated incident
    closing.locator("[name=reporter_name]").fill("Trần Thị Lan – Sở Khoa học và Công nghệ")
    closing.locator("[name=what_happened]").fill(
        "Kẻ tấn công khai thác lỗ hổng plugin tải tệp, thay trang chủ cổng thông tin phường Hoa Lư."
    )
    closing.locator("[name=how_solved]").fill(
        "Nhà mạng gỡ nội dung; đơn vị khôi phục từ bản sao lưu, vá plugin, đổi mật khẩu quản trị."
    )
    closing.locator("[name=proposals]").fill("Rà soát định kỳ các plugin; bật giám sát thay đổi tệp.")
    shot(page, "15-closing-report-filled")
    closing.locator("button.primary").click()
    expect(page.locator("#closing-report dl.kv")).to_contain_text("Nhà mạng gỡ nội dung")
    page.locator("#close-form [name=note]").fill("Đã kết thúc xử lý.")
    page.click("#close-submit")
    _status_is(page, Status.CLOSED)
    expect(page.locator("#workflow")).to_have_count(0)
    shot(page, "16-closed")


def test_commune_reports_and_incident_is_handled_to_closure(
    new_context,
    commune,
    commune_manager,
    portal,
    isp,
    isp_responder,
    national_coordinator,
    coordinator,
    unit_on_duty,
    outsider,
):
    shot = _camera("incident-journey")
    unit = log_in(new_context(), commune_manager, shot)
    reference = _report_on_form03(unit, commune, portal, shot)
    incident = Incident.objects.get(reference=reference)
    assert incident.status == Status.LOGGED
    assert incident.system == portal and incident.operator == commune
    report = incident.reports.get()
    assert report.data["already_notified"] == ["network_member"]
    assert report.data["detection_methods"] == ["notified"]

    desk = log_in(new_context(), coordinator)
    incident_url = _take_in(desk, reference, portal, shot)
    request_url = _send_takedown(desk, incident, isp, shot)
    request = CoordinationRequest.objects.get(incident=incident)
    assert request.recipient == isp and request.kind == RequestKind.ISP_TAKEDOWN
    assert request.targets == [DOMAIN, f"https://{DOMAIN}/index.php"]

    provider = log_in(new_context(), isp_responder)
    _isp_answers(provider, request.reference, shot)

    _close(desk, request_url, incident_url, shot)

    # The commune sees the outcome and every step on the timeline.
    unit.goto(incident_url)
    _status_is(unit, Status.CLOSED)
    timeline = unit.locator("#timeline")
    expect(timeline.locator("li.tl-reported")).to_have_count(1)
    expect(timeline.locator("li.tl-classified")).to_have_count(1)
    # acknowledged, classified, first actions, contained, restored, evaluated, closed
    expect(timeline.locator("li.tl-status")).to_have_count(7)
    # sent, acknowledged, answered, completed
    expect(timeline.locator("li.tl-coordination")).to_have_count(4)
    expect(timeline.locator("li.tl-coordination").first).to_contain_text(request.reference)
    expect(timeline.locator("li.tl-closing_report")).to_have_count(1)
    expect(unit.locator("#closing-report dl.kv")).to_contain_text("Nhà mạng gỡ nội dung")
    shot(unit, "17-commune-sees-closed")

    stranger = log_in(new_context(), outsider)
    response = stranger.goto(incident_url)
    assert response is not None and response.status == 404
    expect(stranger.locator("body")).not_to_contain_text(TITLE)
    expect(stranger.locator("body")).not_to_contain_text(reference)
    shot(stranger, "18-outsider-404")

    incident.refresh_from_db()
    assert incident.status == Status.CLOSED and incident.closed_at is not None
    assert incident.acknowledged_at is not None and incident.category == DEFACEMENT
    request.refresh_from_db()
    assert request.status == CoordinationRequest.Status.COMPLETED
    assert request.outcome == CoordinationRequest.Outcome.DONE and request.answered_by == isp_responder
    kinds = set(incident.timeline.values_list("kind", flat=True))
    assert {
        TimelineEvent.Kind.REPORTED,
        TimelineEvent.Kind.STATUS,
        TimelineEvent.Kind.CLASSIFIED,
        TimelineEvent.Kind.COORDINATION,
        TimelineEvent.Kind.CLOSING_REPORT,
    } <= kinds
    moves = list(
        incident.timeline.filter(kind=TimelineEvent.Kind.STATUS)
        .order_by("at", "pk")
        .values_list("data__to", flat=True)
    )
    assert moves == [
        "acknowledged",
        "classified",
        "first_actions",
        "contained",
        "restored",
        "evaluated",
        "closed",
    ]


def test_incident_page_lists_requests_and_offers_to_send_one(new_context, reported, isp, coordinator):
    incidents.acknowledge(actor=coordinator, incident=reported)
    request = coordination.send_request(
        actor=coordinator,
        incident=reported,
        recipient=isp,
        kind=RequestKind.ISP_TAKEDOWN,
        required_actions=DEFAULT_ACTIONS[RequestKind.ISP_TAKEDOWN],
        targets=[DOMAIN],
    )
    page = log_in(new_context(), coordinator)
    page.goto(f"/incidents/{reported.pk}/")
    panel = page.locator("#coordination-requests")
    expect(panel).to_contain_text(request.reference, timeout=500)
    expect(panel.locator(f"a[href='/coordination/new/{reported.pk}/']")).to_be_visible(timeout=500)


# --- 2. The public door ------------------------------------------------------------------------------


def _answer_question(page: Page, *, wrong: bool = False) -> None:
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    page.fill("#public-report [name=answer]", str(a + b + (1 if wrong else 0)))


def test_public_report_without_account_becomes_a_logged_incident(new_context, coordinator, monkeypatch):
    # The live server runs in this process: a person needs 3 s to fill the form, a test does not.
    monkeypatch.setattr(challenge, "MIN_AGE_SECONDS", 0)
    cache.clear()  # rate-limit counters and used challenge tokens of earlier tests
    shot = _camera("incident-public")
    page = new_context().new_page()
    page.goto("/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.click("nav.mainnav a[href='/report/']")
    page.wait_for_url("/report/")
    form = page.locator("#public-report")
    form.locator("[name=reporter_name]").fill("Trần Văn Bình")
    form.locator("[name=reporter_email]").fill("binh.tv@example.com")
    form.locator("[name=reporter_phone]").fill("0987 111 222")
    form.locator("[name=system_text]").fill(f"https://{DOMAIN}")
    form.locator("[name=operator_text]").fill("UBND phường Hoa Lư")
    form.locator("[name=description]").fill(
        "Trang chủ cổng thông tin phường hiện hình ảnh lạ và dòng chữ 'hacked by'."
    )
    form.locator("[name=detected_at]").fill(_local_input(timezone.now() - datetime.timedelta(minutes=30)))
    _answer_question(page, wrong=True)
    shot(page, "01-filled-wrong-answer")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.status == 400
    answer_field = page.locator(".field.has-error", has=page.locator("[name=answer]"))
    expect(answer_field.locator(".error")).to_have_text(_vi("The answer to the anti-spam question is wrong."))
    expect(form.locator("[name=reporter_name]")).to_have_value("Trần Văn Bình")  # kept
    expect(form.locator("[name=answer]")).to_have_value("")  # a new question
    shot(page, "02-wrong-answer")
    assert not Incident.objects.exists()

    _answer_question(page)
    form.locator("button[type=submit]").click()
    page.wait_for_url("/report/thanks/")
    reference = page.locator("main strong.ref")
    expect(reference).to_have_text(REFERENCE)
    ref = reference.inner_text()
    shot(page, "03-thanks")
    incident = Incident.objects.get(reference=ref)
    assert incident.status == Status.LOGGED and incident.operator is None
    assert incident.reports.get().channel == IncidentReport.Channel.PUBLIC

    desk = log_in(new_context(), coordinator)
    awaiting = desk.locator("a.tile[href='/incidents/?status=logged']")
    expect(awaiting.locator(".num")).to_have_text("1")
    awaiting.click()
    desk.wait_for_url("/incidents/?status=logged")
    row = desk.locator("#results tr", has_text=ref)
    expect(row.locator(".status")).to_have_text(_vi(Status.LOGGED.label))
    shot(desk, "04-coordinator-awaiting")
    row.get_by_role("link", name=ref).click()
    desk.wait_for_url(f"/incidents/{incident.pk}/")
    _status_is(desk, Status.LOGGED)
    expect(desk.locator("#acknowledge")).to_be_visible()
    expect(desk.locator("main")).to_contain_text("Trần Văn Bình")
    shot(desk, "05-coordinator-opens")


# --- 3. Evidence -------------------------------------------------------------------------------------

LOG = (
    b'203.0.113.77 - - [12/Nov/2026:07:02:11 +0700] "POST /wp-content/plugins/upload.php HTTP/1.1" 200 312\n'
    b'203.0.113.77 - - [12/Nov/2026:07:02:40 +0700] "GET /index.php HTTP/1.1" 200 5120\n'
)


def test_evidence_upload_hash_and_audited_download(
    new_context, settings, tmp_path, reported, commune_manager, coordinator
):
    settings.MEDIA_ROOT = tmp_path
    digest = hashlib.sha256(LOG).hexdigest()
    shot = _camera("incident-evidence")

    unit = log_in(new_context(), commune_manager)
    unit.goto(f"/incidents/{reported.pk}/")
    box = unit.locator("#evidence")
    box.locator("details summary").click()
    upload = box.locator("#evidence-upload-form")
    upload.locator("[name=file]").set_input_files(
        files=[{"name": "access.log", "mimeType": "text/plain", "buffer": LOG}]
    )
    upload.locator("[name=kind]").select_option(Evidence.Kind.LOG.value)
    upload.locator("[name=classification]").select_option(Evidence.Classification.INTERNAL.value)
    upload.locator("[name=description]").fill("Nhật ký truy cập máy chủ web sáng 12/11")
    shot(unit, "01-upload-filled")
    upload.locator("button[type=submit]").click()
    unit.wait_for_url(f"/incidents/{reported.pk}/")
    expect(unit.locator(".msg-success")).to_contain_text(digest)
    row = unit.locator("#evidence-table tbody tr", has_text="access.log")
    expect(row.locator("code")).to_have_attribute("title", digest)
    shot(unit, "02-uploaded")
    row.get_by_role("link", name="access.log").click()
    unit.wait_for_url(re.compile(r"/evidence/\d+/$"))
    expect(unit.locator("#sha256")).to_have_text(digest)
    shot(unit, "03-evidence-detail")
    evidence = Evidence.objects.get(incident=reported)
    assert evidence.sha256 == digest and evidence.size == len(LOG)
    assert evidence.classification == Evidence.Classification.INTERNAL

    desk = log_in(new_context(), coordinator)
    desk.goto(f"/incidents/{reported.pk}/")
    with desk.expect_download() as caught:
        desk.click(f"#evidence-table a[href='/evidence/{evidence.pk}/download/']")
    download = caught.value
    assert download.suggested_filename == "access.log"
    assert Path(download.path()).read_bytes() == LOG
    assert CustodyEntry.objects.filter(
        evidence=evidence, action=CustodyEntry.Action.DOWNLOADED, actor=coordinator
    ).exists()
    desk.goto(f"/evidence/{evidence.pk}/")
    expect(desk.locator("#custody li")).to_have_count(2)  # uploaded, downloaded
    shot(desk, "04-custody-after-download")
