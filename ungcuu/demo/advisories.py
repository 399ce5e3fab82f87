"""A year of demo advisories for the demo province, with the units' answers, reminders and indicators.

Runs inside `load_demo`'s transaction after the province and its incidents exist. Each advisory warns of
published CVEs in the products the registry says the province runs (Apache Tomcat 9.0.65, WordPress 6.2,
Microsoft IIS 10.0, Zimbra 8.8.15, nginx 1.22.1, Liferay 7.4), is targeted from the registry by the
real matching, and is published, acknowledged, remediated, reminded and escalated through the services at
the moments those things happened (core.clock.travel moves the clock, in one chronological queue so that a
reminder sees exactly what was done before it). One phishing campaign is targeted by hand and shares its
domain with a demo incident, so "seen before" has something to show. The last advisory is a draft.

Units answer through an IT officer's account; organizations without a responder login get one
(`<code>.cntt`, no usable password: a name in the matrix, not a demo login).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.advisories import services
from ungcuu.advisories.indicators import add_indicator
from ungcuu.advisories.models import Advisory, AdvisoryTarget, Indicator, SystemState
from ungcuu.advisories.targeting import propose_targets
from ungcuu.core.clock import travel
from ungcuu.demo.generator import MALE_GIVEN, MALE_MIDDLE, SURNAMES
from ungcuu.incidents.models import Incident
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Membership, Organization

END = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)  # the demo generator's reference moment
Tlp = Advisory.Tlp


@dataclass(frozen=True)
class Spec:
    """One advisory: when it went out (days before END), how long units had, and its text."""

    days_ago: int
    days_given: int
    title: str
    summary: str
    actions: str
    cves: tuple[str, ...]
    products: tuple[tuple[str, str, str], ...]
    tlp: str = Tlp.AMBER
    indicators: tuple[str, ...] = ()
    by_hand: tuple[str, ...] = ()  # organization codes warned without a registry match
    closed_days_ago: int | None = None
    draft: bool = False


SPECS = (
    Spec(
        340,
        14,
        "Lỗ hổng từ chối dịch vụ HTTP/2 và request smuggling trong Apache Tomcat",
        "Tấn công HTTP/2 Rapid Reset làm cạn tài nguyên máy chủ; lỗi xử lý phần thân yêu cầu cho phép "
        "request smuggling qua proxy ngược.",
        "Cập nhật Apache Tomcat lên 9.0.83 trở lên.\nGiới hạn số luồng HTTP/2 đồng thời trên proxy ngược.",
        ("CVE-2023-44487", "CVE-2023-46589"),
        (("Apache", "Tomcat", ">=9.0.0,<9.0.83"),),
        closed_days_ago=300,
    ),
    Spec(
        290,
        7,
        "Lỗ hổng thực thi mã từ xa trong Zimbra Collaboration đang bị khai thác",
        "Tin tặc khai thác lỗi giải nén tệp đính kèm (amavis/cpio) và chức năng mboximport để cài webshell "
        "trên máy chủ thư Zimbra; nhiều cơ quan trong nước đã bị lộ hộp thư.",
        "Cài bản vá Zimbra 8.8.15 Patch 34 (hoặc 9.0.0 Patch 27) trở lên.\nCài gói pax thay cho cpio.\n"
        "Rà soát thư mục /opt/zimbra/jetty/webapps tìm tệp .jsp lạ; đổi mật khẩu tài khoản quản trị.",
        ("CVE-2022-41352", "CVE-2022-27925", "CVE-2022-37042"),
        (("Zimbra", "Collaboration", ">=8.8.0,<8.8.15_P34 || >=9.0.0,<9.0.0_P27"),),
        indicators=(
            "198.51.100.77",
            "hxxp://198.51.100[.]77/zimbra/public/jsp/Startup1_3.jsp",
            "3b5e1a5c3a3b9c9f2f7c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
        ),
    ),
    Spec(
        230,
        10,
        "Lỗ hổng thực thi mã từ xa trong HTTP Protocol Stack (Microsoft IIS 10.0)",
        "Lỗi trong http.sys cho phép kẻ tấn công không cần xác thực gửi gói tin tự tạo để thực thi mã "
        "trên máy chủ Windows chạy IIS 10.0.",
        "Cài bản cập nhật bảo mật Windows tháng 1/2022 trở lên.\nTắt HTTP Trailer Support nếu chưa cập nhật.",
        ("CVE-2022-21907",),
        (("Microsoft", "IIS", "10.0"),),
    ),
    Spec(
        170,
        14,
        "Nhiều lỗ hổng trong WordPress 6.x cho phép chèn mã và vượt thư mục",
        "WordPress trước 6.2.3 cho phép người dùng có quyền đóng góp chèn mã độc qua shortcode và đọc tệp "
        "ngoài thư mục qua chức năng bản dịch.",
        "Cập nhật WordPress lên 6.2.3 trở lên; bật cập nhật tự động bản bảo mật.\n"
        "Rà soát tài khoản quản trị, gỡ plugin không dùng.",
        ("CVE-2023-2745", "CVE-2023-39999"),
        (("WordPress", "WordPress", ">=6.0,<6.2.3"),),
    ),
    Spec(
        120,
        5,
        "Chiến dịch lừa đảo giả mạo Cổng dịch vụ công tỉnh",
        "Nhiều người dân nhận tin nhắn dẫn tới trang giả mạo Cổng dịch vụ công yêu cầu nhập tài khoản "
        "VNeID và mã OTP. Tên miền giả mạo được đăng ký ở nước ngoài, máy chủ đặt tại dải IP dưới đây.",
        "Đăng thông báo cảnh giác trên cổng thông tin và trang mạng xã hội của đơn vị.\n"
        "Chặn các tên miền, địa chỉ IP dưới đây trên tường lửa và máy chủ DNS nội bộ.\n"
        "Báo ngay cho Sở Khoa học và Công nghệ khi phát hiện trang giả mạo mới.",
        (),
        (),
        tlp=Tlp.GREEN,
        indicators=(
            "dichvucong-ninhbinh[.]com",
            "hxxps://dichvucong-ninhbinh[.]com/dang-nhap",
            "203.0.113[.]45",
            "hotro[@]dichvucong-ninhbinh[.]com",
        ),
        by_hand=("TT-PVHCC", "VP-UBND", "UBND-HOALU", "UBND-TAMDIEP", "UBND-PHULY"),
    ),
    Spec(
        75,
        14,
        "Lỗ hổng XSS và lộ thông tin trong Liferay Portal 7.3 - 7.4",
        "Các lỗ hổng cross-site scripting lưu trữ và lộ thông tin người dùng trong Liferay Portal trước "
        "7.4.3.112 ảnh hưởng các cổng thông tin điện tử dùng Liferay.",
        "Cập nhật Liferay Portal lên 7.4.3.112 GA112 trở lên.\nBật Content Security Policy cho cổng.",
        ("CVE-2023-44311", "CVE-2023-42497"),
        (("Liferay", "Portal", ">=7.3,<7.4.3.112"),),
    ),
    Spec(
        40,
        21,
        "Lỗ hổng trong module MP4 của nginx",
        "Lỗi đọc vượt bộ nhớ trong ngx_http_mp4_module cho phép gây dừng tiến trình worker hoặc lộ bộ nhớ "
        "khi máy chủ phục vụ tệp MP4 do người dùng tải lên.",
        "Cập nhật nginx lên 1.26.2 trở lên, hoặc tắt directive mp4 nếu không dùng.",
        ("CVE-2024-7347",),
        (("Nginx", "nginx", ">=1.5.13,<1.26.2"),),
        tlp=Tlp.CLEAR,
    ),
    Spec(
        9,
        14,
        "Lỗ hổng thực thi mã từ xa trong Apache Tomcat (Partial PUT)",
        "Khi servlet mặc định bật quyền ghi, kẻ tấn công có thể tải lên tệp phiên làm việc độc hại qua "
        "yêu cầu PUT từng phần và thực thi mã. Mã khai thác đã công khai, đã ghi nhận dò quét trên địa bàn.",
        "Cập nhật Apache Tomcat lên 9.0.99 (hoặc 8.5.99) trở lên.\n"
        "Đặt readonly=true cho servlet mặc định trong khi chờ cập nhật.",
        ("CVE-2025-24813",),
        (("Apache", "Tomcat", ">=8.5.0,<8.5.99 || >=9.0.0,<9.0.99"),),
        indicators=("198.51.100.23",),
    ),
    Spec(
        2,
        7,
        "Lỗ hổng tràn bộ đệm trong FortiOS SSL-VPN",
        "Lỗi ghi vượt giới hạn trong SSL-VPN của FortiOS cho phép thực thi mã từ xa không cần xác thực.",
        "Cập nhật FortiOS lên 7.0.14 / 7.2.7 trở lên hoặc tắt SSL-VPN.",
        ("CVE-2024-21762",),
        (("Fortinet", "FortiGate", ">=7.0.0,<7.0.14 || >=7.2.0,<7.2.7"),),
        draft=True,
    ),
)
# Indicators handlers recorded on demo incidents: (category, about how many days before END, indicator).
# The phishing domain and the Zimbra webshell's server were seen in an incident just before the advisory
# that lists them; the Tomcat scanner's address turned up in a break-in after its advisory.
INCIDENT_INDICATORS = (
    ("ATTACK.SPOOFING", 122, "dichvucong-ninhbinh[.]com"),
    ("ATTACK.SPOOFING", 122, "203.0.113.45"),
    ("ATTACK.MALWARE", 292, "198.51.100.77"),
    ("ATTACK.UNAUTHORIZED_ACCESS", 5, "198.51.100.23"),
    ("ATTACK.DOS", 200, "2001:db8:bad::17"),
)
NOTES = {
    SystemState.REMEDIATED: (
        "Đã cập nhật bản vá, quét lại không còn lỗ hổng.",
        "Đã nâng cấp phiên bản theo khuyến nghị.",
    ),
    SystemState.IN_PROGRESS: (
        "Đang chờ nhà thầu cập nhật.",
        "Đã áp dụng biện pháp tạm thời, chờ lịch bảo trì.",
    ),
    SystemState.NOT_AFFECTED: ("Chức năng bị ảnh hưởng không được bật.",),
}


@dataclass
class Queue:
    """Actions at the moments they happened, run in time order."""

    steps: list[tuple[datetime.datetime, int, Callable[[], object]]] = field(default_factory=list)

    def at(self, moment: datetime.datetime, step: Callable[[], object]) -> None:
        self.steps.append((moment, len(self.steps), step))

    def run(self) -> None:
        for moment, _order, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            with travel(moment):
                step()


def build_demo(seed: int) -> str:
    """Advisories, answers, reminders and indicators for the demo province; returns a one-line summary."""
    rng = random.Random(seed + 7)
    coordinator = User.objects.get(username="dieuphoi")
    queue = Queue()
    advisories = [_advisory(rng, queue, coordinator, spec) for spec in SPECS]
    queue.run()
    _incident_indicators(coordinator)
    _quiet_history()
    overdue = AdvisoryTarget.objects.overdue(END).count()
    both = Indicator.objects.filter(advisory_links__isnull=False, incident_links__isnull=False).distinct()
    issued = Advisory.objects.exclude(status=Advisory.Status.DRAFT).count()
    targets, indicators = AdvisoryTarget.objects.count(), Indicator.objects.count()
    return (
        f"{len(advisories)} advisories ({issued} issued), {targets} targets ({overdue} overdue), "
        f"{indicators} indicators ({both.count()} seen in both an advisory and an incident)"
    )


def _advisory(rng: random.Random, queue: Queue, coordinator: User, spec: Spec) -> Advisory:
    written = END - datetime.timedelta(days=spec.days_ago, hours=rng.randint(1, 6))
    with travel(written):
        advisory = services.create_advisory(
            actor=coordinator,
            title=spec.title,
            summary=spec.summary,
            recommended_actions=spec.actions,
            deadline=written + datetime.timedelta(days=spec.days_given, hours=8),
            tlp=spec.tlp,
            cve_ids=spec.cves,
            products=[{"vendor": v, "product": p, "versions": r} for v, p, r in spec.products],
            indicators=list(spec.indicators),
            dispatch_number=f"{rng.randint(800, 1900)}/SKHCN-CNTT" if not spec.draft else "",
        )
        proposal = propose_targets(advisory)
        hand = Organization.objects.filter(code__in=spec.by_hand)
        systems = [s for t in proposal for s in t.systems]
        services.set_targets(actor=coordinator, advisory=advisory, systems=systems, organizations=hand)
    if spec.draft:
        return advisory
    published = written + datetime.timedelta(hours=rng.randint(2, 20))
    queue.at(published, partial(services.publish_advisory, actor=coordinator, advisory=advisory))
    for target in advisory.targets.select_related("organization"):
        _answers(rng, queue, advisory, target, published)
    _checkpoints(queue, advisory)
    if spec.closed_days_ago is not None:
        closed = END - datetime.timedelta(days=spec.closed_days_ago)
        queue.at(
            closed,
            partial(services.close_advisory, actor=coordinator, advisory=advisory, note="Kết thúc theo dõi."),
        )
    return advisory


def _answers(rng, queue: Queue, advisory: Advisory, target: AdvisoryTarget, published) -> None:
    """What one unit did, drawn from how long it had: most finish, some late, a few never answer."""
    given = advisory.deadline - published
    still_running = advisory.deadline > END
    roll = rng.random()
    officer = _officer(target.organization)
    if roll < (0.2 if still_running else 0.08):
        return  # never acknowledged
    acknowledged = published + datetime.timedelta(hours=rng.randint(1, 40))
    queue.at(acknowledged, partial(services.acknowledge_advisory, actor=officer, target=target))
    if roll < (0.4 if still_running else 0.14):
        return  # acknowledged, nothing more
    for state in target.states.all():
        late = roll > 0.9 and not still_running
        share = rng.uniform(0.2, 0.9) if not late else rng.uniform(1.1, 1.6)
        done = published + given * share
        status = SystemState.NOT_AFFECTED if rng.random() < 0.07 else SystemState.REMEDIATED
        if done > END or (still_running and roll < 0.7) or (not still_running and roll < 0.25):
            status, done = (
                SystemState.IN_PROGRESS,
                acknowledged + datetime.timedelta(hours=rng.randint(2, 30)),
            )
        note = rng.choice(NOTES[status])
        queue.at(
            max(done, acknowledged + datetime.timedelta(minutes=30)),
            partial(services.update_system_state, actor=officer, state=state, status=status, note=note),
        )


def _checkpoints(queue: Queue, advisory: Advisory) -> None:
    """The reminder job as the scheduler would have run it around this advisory's deadline."""
    for offset in (datetime.timedelta(hours=-20), datetime.timedelta(hours=3)):
        moment = advisory.deadline + offset
        if moment < END:
            queue.at(moment, partial(services.remind_advisories, moment))


def _officer(organization: Organization) -> User:
    """The unit's responder or manager; an IT officer's account (no usable password) when it has none."""
    member = (
        Membership.objects.filter(
            organization=organization,
            role__in=[Membership.Role.RESPONDER, Membership.Role.MANAGER],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    if member is not None:
        return member.user
    # A person's name, family first (core.names), picked from the organisation's id so reruns agree.
    pick = organization.pk or 0
    family = f"{SURNAMES[pick % len(SURNAMES)]} {MALE_MIDDLE[pick % len(MALE_MIDDLE)]}"
    given = MALE_GIVEN[(pick * 7) % len(MALE_GIVEN)]
    user = User(
        username=f"{organization.code.lower()}.cntt", first_name=given, last_name=family, title="Cán bộ CNTT"
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.RESPONDER)
    return user


def _incident_indicators(coordinator: User) -> None:
    """Indicators the handlers recorded on the demo incidents of that kind nearest to the given day."""
    for category, days_ago, value in INCIDENT_INDICATORS:
        when = END - datetime.timedelta(days=days_ago)
        incidents = Incident.objects.filter(category=category, confidential=False)
        incident = min(incidents, key=lambda i: (abs(i.reported_at - when), i.pk), default=None)
        if incident is None:
            continue
        with travel(incident.reported_at + datetime.timedelta(hours=3)):
            add_indicator(actor=coordinator, value=value, incident=incident)


def _quiet_history() -> None:
    """The demo's past messages count as delivered and read, as the incident demo does for its own."""
    advisory_events = Notification.objects.filter(event__startswith="advisory_")
    advisory_events.filter(state__in=["pending", "failed"]).update(state="sent", sent_at=timezone.now())
    advisory_events.filter(channel="inapp", created_at__lt=END - datetime.timedelta(days=7)).update(
        read_at=END
    )
