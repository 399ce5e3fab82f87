"""Demo data for reports: the units' periodic reports of the last two halves and damage figures.

Runs inside `load_demo` after the province and its incidents exist; everything goes through the real
services at the dates it would have happened (core.clock.travel), so the reports' events, the frozen figures,
the obligations they fulfil and the incidents' timeline notes look as after real use. Deterministic from
the seed.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.core.clock import travel
from ungcuu.demo.incidents import END
from ungcuu.incidents.models import Incident
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Organization
from ungcuu.reports import services
from ungcuu.reports.models import PeriodicReport

TZ = datetime.timezone(datetime.timedelta(hours=7))
NARRATIVES = {
    "SO-YTE": (
        "Đơn vị duy trì vận hành ổn định các hệ thống thông tin y tế; phối hợp với Sở Khoa học và Công nghệ "
        "xử lý kịp thời các sự cố, không để gián đoạn dịch vụ khám chữa bệnh.\n"
        "Đã rà quét lỗ hổng Phần mềm quản lý hồ sơ sức khỏe điện tử và khắc phục các lỗ hổng mức cao."
    ),
    "UBND-HOALU": (
        "UBND phường đã phân công công chức phụ trách an toàn thông tin, tuyên truyền cán bộ không mở "
        "thư điện tử lạ; Trang thông tin điện tử phường được sao lưu hằng tuần."
    ),
}
DIFFICULTIES = (
    "Nhân lực chuyên trách về an toàn thông tin còn thiếu; kinh phí rà quét định kỳ chưa được bố trí."
)
PROPOSALS = {
    "SO-YTE": "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn xử lý mã độc tống tiền cho các bệnh viện.",
    "UBND-HOALU": "Đề nghị hỗ trợ rà quét lỗ hổng Trang thông tin điện tử phường 6 tháng một lần.",
    "SO-KHCN": "Đề nghị Trung tâm VNCERT/CC chia sẻ sớm cảnh báo về chiến dịch tấn công có chủ đích.",
}
FOREIGN_HELPERS = ("Kaspersky Lab", "Trend Micro", "Microsoft Security Response Center")


def build_demo(seed: int) -> str:
    """Periodic reports of the last two halves and damage figures; returns a one-line summary."""
    rng = random.Random(seed + 7)
    logins = ["dieuphoi", "syte.quanly", "hoalu.quanly"]
    people = {u.username: u for u in User.objects.filter(username__in=logins)}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["SO-YTE", "UBND-HOALU", "SO-KHCN"])}
    if len(people) < 3 or len(orgs) < 3:
        return "reports: demo province not found, nothing added"
    coordinator = people["dieuphoi"]
    plan = [
        # (organization, manager, kind, year, half, submitted on, decision)
        ("SO-YTE", "syte.quanly", "progress", 2025, 2, (2025, 12, 10), "accept"),
        ("UBND-HOALU", "hoalu.quanly", "progress", 2025, 2, (2025, 12, 12), "return-then-accept"),
        ("SO-KHCN", "dieuphoi", "form05", 2025, 2, (2025, 12, 11), None),
        ("SO-YTE", "syte.quanly", "progress", 2026, 1, (2026, 6, 18), None),
        ("SO-KHCN", "dieuphoi", "form05", 2026, 1, (2026, 6, 17), None),
        ("UBND-HOALU", "hoalu.quanly", "progress", 2026, 1, None, None),
    ]
    reports = [
        _report(orgs[code], people[login], coordinator, kind, year, half, day, decision)
        for code, login, kind, year, half, day, decision in plan
    ]
    damaged = _damage(rng, coordinator)
    # The demo's history is not delivered again (as the incidents' demo does for its own notices).
    Notification.objects.filter(event__startswith="periodic_report_", state__in=["pending", "failed"]).update(
        state="sent", sent_at=timezone.now()
    )
    sent = sum(1 for r in reports if r.status != PeriodicReport.Status.DRAFT)
    return f"reports: {len(reports)} periodic reports ({sent} sent), damage figures for {damaged} incidents"


def _at(day: tuple[int, int, int], hour: int = 10) -> datetime.datetime:
    return datetime.datetime(*day, hour, 0, tzinfo=TZ)


def _report(org, manager, coordinator, kind, year, half, day, decision) -> PeriodicReport:
    started = _at(day or (2026, 7, 2), 8) - datetime.timedelta(days=3)
    with travel(started):
        # Form 05 has a half-year report and an annual one (TT20 Art. 6): its "second half" is the year's.
        annual = kind == "form05" and half == 2
        report = services.start_periodic_report(
            actor=manager,
            organization=org,
            kind=kind,
            span="annual" if annual else "half_year",
            year=year,
            half=None if annual else half,
        )
        report = services.update_periodic_report(
            actor=manager,
            report=report,
            narrative=NARRATIVES.get(org.code, ""),
            difficulties=DIFFICULTIES if kind == "progress" else "",
            proposals=PROPOSALS.get(org.code, ""),
            signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" if org.code == "SO-YTE" else "CHỦ TỊCH",
        )
    if day is None:
        return report
    with travel(_at(day)):
        report = services.submit_periodic_report(actor=manager, report=report)
    if decision == "return-then-accept":
        with travel(_at(day) + datetime.timedelta(days=1)):
            services.return_periodic_report(
                actor=coordinator, report=report, reason="Đề nghị bổ sung kết quả rà quét lỗ hổng trong kỳ."
            )
        with travel(_at(day) + datetime.timedelta(days=2)):
            revised = NARRATIVES[org.code] + "\nĐã rà quét 2/2 hệ thống, không phát hiện lỗ hổng mức cao."
            services.update_periodic_report(actor=manager, report=report, narrative=revised)
            report = services.submit_periodic_report(actor=manager, report=report)
    if decision:
        with travel(_at(day) + datetime.timedelta(days=3)):
            report = services.accept_periodic_report(actor=coordinator, report=report, note="Đã tổng hợp.")
    return report


def _damage(rng: random.Random, coordinator) -> int:
    """About a quarter of the closed cyberattacks get an estimate; one in six of those had foreign help."""
    attacks = Incident.objects.filter(category__startswith="ATTACK.", status="closed").order_by("pk")
    count = 0
    with travel(END):
        for incident in attacks:
            if rng.random() > 0.25:
                continue
            foreign = rng.random() < 1 / 6
            services.record_damage(
                actor=coordinator,
                incident=incident,
                amount_vnd=rng.choice([2, 5, 8, 15, 30, 50, 120]) * 1_000_000,
                foreign_help=foreign,
                foreign_helpers=rng.choice(FOREIGN_HELPERS) if foreign else "",
                note="Ước tính chi phí khắc phục, khôi phục dữ liệu và thời gian gián đoạn dịch vụ.",
            )
            count += 1
    return count
