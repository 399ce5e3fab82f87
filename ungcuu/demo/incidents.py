"""Two years of demo incidents across every category and state, made through the real services at the
times they happened (core.clock.travel moves the clock), so timelines, clocks and notifications are real."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.coordination import forms as coordination_forms
from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import RequestKind
from ungcuu.core.clock import travel
from ungcuu.incidents import closing, services
from ungcuu.incidents.models import Incident, IncidentReport, Status
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

# Fixed reference so the same seed always gives the same incidents (matches the province generator).
END = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
START = END - datetime.timedelta(days=730)

# (category, title, description, harms)
SCENARIOS = [
    (
        "ATTACK.DOS",
        "Tấn công từ chối dịch vụ vào {system}",
        "Lưu lượng truy cập tăng đột biến từ nhiều địa chỉ IP "
        "nước ngoài, hệ thống phản hồi chậm và gián đoạn trong khoảng 2 giờ.",
        ["service_disruption"],
    ),
    (
        "ATTACK.SPOOFING",
        "Trang web giả mạo {system}",
        "Phát hiện tên miền giả mạo có giao diện giống hệt, yêu cầu người dân nhập tài khoản dịch vụ công.",
        [],
    ),
    (
        "ATTACK.MALWARE",
        "Máy trạm nhiễm mã độc tại đơn vị vận hành {system}",
        "Phần mềm diệt virus cảnh báo mã độc đánh cắp thông tin trên 3 máy trạm kết nối mạng nội bộ.",
        ["spreading"],
    ),
    (
        "ATTACK.UNAUTHORIZED_ACCESS",
        "Truy cập trái phép tài khoản quản trị {system}",
        "Nhật ký ghi nhận đăng nhập thành công tài khoản quản trị từ địa chỉ IP lạ lúc 2 giờ sáng.",
        ["loss_of_control"],
    ),
    (
        "ATTACK.DEFACEMENT",
        "{system} bị thay đổi giao diện",
        "Trang chủ bị thay bằng nội dung xuyên tạc; đã tạm dừng dịch vụ web để xử lý.",
        ["service_disruption"],
    ),
    (
        "ATTACK.ENCRYPTION",
        "Mã độc tống tiền mã hóa dữ liệu {system}",
        "Các tệp dữ liệu trên máy chủ bị đổi đuôi và có thông báo đòi tiền chuộc.",
        ["service_disruption", "integrity_loss"],
    ),
    (
        "ATTACK.DESTRUCTION",
        "Dữ liệu {system} bị xóa trái phép",
        "Một số bảng cơ sở dữ liệu bị xóa; đang khôi phục từ bản sao lưu.",
        ["integrity_loss"],
    ),
    (
        "ATTACK.ESPIONAGE",
        "Nghi lộ lọt dữ liệu từ {system}",
        "Phát hiện dữ liệu hồ sơ được rao bán trên diễn đàn; nghi bị lấy cắp qua lỗ hổng ứng dụng.",
        [],
    ),
    (
        "ATTACK.COMBINED",
        "Tấn công có chủ đích nhắm vào {system}",
        "Email lừa đảo kèm mã độc, sau đó dò quét và khai thác lỗ hổng máy chủ web.",
        ["loss_of_control"],
    ),
    (
        "ATTACK.OTHER",
        "Dò quét lỗ hổng liên tục vào {system}",
        "Hệ thống IDS ghi nhận hàng nghìn yêu cầu dò quét từ một dải IP.",
        [],
    ),
    (
        "SYSTEM.POWER",
        "Mất điện phòng máy chủ ảnh hưởng {system}",
        "Mất điện lưới, UPS không đủ thời gian, hệ thống dừng 3 giờ.",
        ["service_disruption"],
    ),
    (
        "SYSTEM.INTERNET_LINK",
        "Mất kết nối Internet {system}",
        "Đứt cáp quang của nhà cung cấp, dịch vụ không truy cập được từ bên ngoài.",
        ["service_disruption"],
    ),
    (
        "SYSTEM.SW_HW_APP_FAULT",
        "Lỗi ổ cứng máy chủ {system}",
        "RAID suy giảm do hỏng 2 ổ đĩa, dịch vụ chậm.",
        [],
    ),
    (
        "SYSTEM.OVERLOAD",
        "Quá tải {system} trong đợt cao điểm",
        "Lượng người dùng nộp hồ sơ tăng đột biến cuối kỳ, hệ thống quá tải.",
        ["service_disruption"],
    ),
    (
        "OPERATOR.SW_CHANGE",
        "Lỗi cập nhật phần mềm {system}",
        "Bản cập nhật làm lỗi chức năng đăng nhập; đã quay lui phiên bản cũ.",
        [],
    ),
    (
        "OPERATOR.HW_CHANGE",
        "Cấu hình sai tường lửa chặn {system}",
        "Thay đổi cấu hình tường lửa chặn nhầm cổng dịch vụ.",
        ["service_disruption"],
    ),
    (
        "OPERATOR.POLICY",
        "Mật khẩu quản trị {system} bị chia sẻ qua mạng xã hội",
        "Cán bộ gửi mật khẩu qua nhóm chat; đã đổi mật khẩu.",
        [],
    ),
    (
        "OPERATOR.FORCED_STOP",
        "Dừng {system} để khắc phục lỗ hổng khẩn cấp",
        "Dừng dịch vụ theo cảnh báo để vá lỗ hổng nghiêm trọng.",
        ["service_disruption"],
    ),
    (
        "DISASTER.STORM",
        "Bão làm hư hỏng hạ tầng {system}",
        "Bão gây dột phòng máy, một số thiết bị mạng hỏng.",
        ["service_disruption"],
    ),
    (
        "DISASTER.FLOOD",
        "Ngập lụt trung tâm dữ liệu ảnh hưởng {system}",
        "Nước tràn vào tầng hầm, phải tắt thiết bị.",
        ["service_disruption"],
    ),
    (
        "SYSTEM.OTHER",
        "Hết hạn chứng thư số SSL của {system}",
        "Trình duyệt cảnh báo kết nối không an toàn do chứng thư hết hạn.",
        [],
    ),
    (
        "OPERATOR.OTHER",
        "Xóa nhầm tài khoản người dùng {system}",
        "Cán bộ vận hành xóa nhầm nhóm tài khoản; đã khôi phục.",
        [],
    ),
    (
        "DISASTER.EARTHQUAKE",
        "Rung chấn làm đổ tủ rack phục vụ {system}",
        "Rung chấn nhẹ làm xô lệch tủ thiết bị, một switch hỏng.",
        ["service_disruption"],
    ),
    (
        "DISASTER.FIRE",
        "Chập điện gây cháy phòng máy {system}",
        "Chập điện tủ nguồn gây cháy nhỏ, đã dập tắt; dừng hệ thống để kiểm tra.",
        ["service_disruption"],
    ),
    (
        "DISASTER.OTHER",
        "Sét đánh hỏng thiết bị mạng của {system}",
        "Giông sét làm hỏng bộ chuyển mạch và modem quang.",
        ["service_disruption"],
    ),
]

NORMAL_PATH = [
    Status.FIRST_ACTIONS,
    Status.OPTION_CHOSEN,
    Status.COORDINATING,
    Status.CONTAINED,
    Status.ERADICATED,
    Status.RESTORED,
    Status.EVALUATED,
]
SERIOUS_PATH = [
    Status.TEAM_CONVENED,
    Status.DIRECTION,
    Status.INFO_RELEASE,
    Status.CONTAINMENT,
    Status.ROOT_CAUSE,
    Status.EVALUATION,
]


@dataclass
class Cast:
    coordinator: User
    systems: list[InformationSystem]


def build_demo_incidents(seed: int, *, count: int = 120) -> int:
    """Create `count` incidents over two years (a quarter of them in the last 45 days, still in flight);
    returns how many were created."""
    rng = random.Random(seed + 1)
    systems = list(InformationSystem.objects.select_related("operator", "owner").order_by("pk"))
    cast = Cast(coordinator=User.objects.get(username="dieuphoi"), systems=systems)
    recent = count // 4
    span = 730 * 24 * 60
    moments = sorted(
        [
            START + datetime.timedelta(minutes=rng.randint(0, span - 45 * 24 * 60))
            for _ in range(count - recent)
        ]
        + [END - datetime.timedelta(minutes=rng.randint(60, 45 * 24 * 60)) for _ in range(recent)]
    )
    created = [one_incident(rng, cast, moment, index) for index, moment in enumerate(moments)]
    merge_some(rng, cast, created)
    # The demo's past notifications count as delivered: `make run` must not e-mail two years of history.
    Notification.objects.filter(state__in=["pending", "failed"]).update(state="sent", sent_at=timezone.now())
    # Older in-app messages were read long ago; the inbox shows the last week's as new.
    Notification.objects.filter(channel="inapp", created_at__lt=END - datetime.timedelta(days=7)).update(
        read_at=END
    )
    return len(created)


def one_incident(rng: random.Random, cast: Cast, moment: datetime.datetime, index: int) -> Incident:
    category, title, description, harms = (
        SCENARIOS[index % len(SCENARIOS)] if index < len(SCENARIOS) else (rng.choice(SCENARIOS))
    )
    serious = index % 17 == 5  # a few attacks on level 4-5 / critical systems beyond the unit's capacity
    critical = [s for s in cast.systems if s.is_level_4_5_or_critical]
    system = rng.choice(critical) if serious and critical else rng.choice(cast.systems)
    if serious:
        category, title, description, harms = SCENARIOS[index % 10]
        harms = harms or ["service_disruption"]
    public = category in {"ATTACK.SPOOFING", "ATTACK.DEFACEMENT"} and rng.random() < 0.4
    detected = moment - datetime.timedelta(hours=rng.randint(1, 30))
    data = services.ReportInput(
        channel=IncidentReport.Channel.PUBLIC if public else IncidentReport.Channel.FORM,
        title=title.format(system=system.name),
        description=description,
        detected_at=detected,
        reporter_name="Người dân" if public else system.operator.name,
        reporter_email="" if public else (system.operator.intake_email or system.operator.email),
        reporter_phone=f"0912 000 {index:03d}" if public else system.operator.phone,
        organization=None if public else system.operator,
        system=None if public else system,
        category="" if public else category,
        harms=tuple(harms),
        exceeds_capacity=serious or (bool(harms) and rng.random() < 0.1),
        confidential=rng.random() < 0.07,
        form_data=None if public else demo_form03(category, list(harms), system, index),
    )
    with travel(moment):
        incident = services.submit_report(actor=AnonymousUser(), data=data).incident
    age_days = (END - moment).days
    progress(rng, cast, incident, system, category, harms, moment, age_days)
    return incident


# Scenarios whose report already shows the attack got through (a changed page, encrypted files, …).
GOT_THROUGH = {
    "ATTACK.DEFACEMENT",
    "ATTACK.DESTRUCTION",
    "ATTACK.ENCRYPTION",
    "ATTACK.MALWARE",
    "ATTACK.COMBINED",
}


def demo_form03(category: str, harms: list[str], system, index: int) -> dict:
    """Form 03's structured items as a unit would tick them for this scenario (no random draw, so the rest of
    the demo stays as it was); what a reporter could not know yet is said to be not known."""
    attack = category.startswith("ATTACK.")
    detection = (["ids", "log_review"] if index % 2 else ["log_review"]) if attack else ["other"]
    succeeded = "yes" if harms or category in GOT_THROUGH else ("unknown" if attack else "")
    sensitivity = "secret" if "secret_disclosure" in harms else ("internal" if attack else "unknown")
    return {
        "handled": "not_handled",
        "detection_methods": detection,
        "already_notified": ["network_member"],
        "attack_succeeded": succeeded,
        "disruption_risk": "high" if "service_disruption" in harms else ("medium" if attack else "low"),
        "data_sensitivity": sensitivity,
        "affected": f"Cán bộ, người dân sử dụng {system.name}",
    }


def progress(rng, cast, incident, system, category, harms, moment, age_days) -> None:
    """Walk the incident as far as its age makes likely: old ones closed, recent ones in flight."""
    coordinator = cast.coordinator
    steps = 99 if age_days > 45 else incident.pk % 10  # recent ones spread over every stage
    clock = moment
    if steps == 0:
        return
    clock = at(clock, rng, minutes=(10, 240))
    with travel(clock):
        services.acknowledge(actor=coordinator, incident=incident)
        services.assign_handler(actor=coordinator, incident=incident)
    if steps == 1:
        return
    if rng.random() < 0.04 and age_days > 45:
        with travel(at(clock, rng, hours=(1, 12))):
            services.change_status(
                actor=coordinator,
                incident=incident,
                to=Status.REJECTED,
                note="Xác minh: không phải sự cố (cảnh báo nhầm).",
            )
        return
    clock = at(clock, rng, hours=(1, 20))
    with travel(clock):
        incident = services.classify(
            actor=coordinator,
            incident=incident,
            category=category,
            harms=harms,
            exceeds_capacity=incident.exceeds_capacity,
            system=system,
            crime_signs=category.startswith("ATTACK") and rng.random() < 0.2,
        )
    path = SERIOUS_PATH if incident.severity == Incident.Severity.SERIOUS else NORMAL_PATH
    walk = path if steps >= 9 else path[: max(0, steps - 2)]
    for status in walk:
        if rng.random() < 0.3 and status not in (path[0], path[-1]):
            continue  # units often jump a step (contain and eradicate at once)
        clock = at(clock, rng, hours=(2, 40))
        with travel(clock):
            services.change_status(actor=coordinator, incident=incident, to=status)
            if status in (Status.COORDINATING, Status.DIRECTION):
                ask_for_help(rng, coordinator, incident, category, clock)
            if status in (Status.FIRST_ACTIONS, Status.TEAM_CONVENED):
                services.add_entry(
                    actor=coordinator,
                    incident=incident,
                    kind="progress",
                    message="Đã cô lập máy chủ, thu thập nhật ký, thông báo đơn vị vận hành.",
                )
    if steps >= 9:
        close(rng, coordinator, incident, clock)


# Who the specialised unit asks, by kind of incident: (request kind, recipient org code, answering login).
HELP = {
    "ATTACK.DEFACEMENT": (RequestKind.ISP_TAKEDOWN, "ISP-VNPT", "vnpt.ungcuu"),
    "ATTACK.SPOOFING": (RequestKind.ISP_TAKEDOWN, "ISP-VNPT", "vnpt.ungcuu"),
    "ATTACK.DOS": (RequestKind.ISP_BLOCK, "ISP-VNPT", "vnpt.ungcuu"),
    "ATTACK.ESPIONAGE": (RequestKind.POLICE_REFERRAL, "CA-TINH", "congan.ungcuu"),
    "ATTACK.ENCRYPTION": (RequestKind.POLICE_REFERRAL, "CA-TINH", "congan.ungcuu"),
    "ATTACK.UNAUTHORIZED_ACCESS": (RequestKind.ISP_PRESERVE_LOGS, "ISP-VNPT", "vnpt.ungcuu"),
}


def ask_for_help(rng, coordinator, incident: Incident, category: str, clock) -> None:
    """Form 06 to an ISP or the police; most are answered within the deadline, a few late or not yet."""
    kind, code, login = HELP.get(category, (None, None, None))
    recipient = Organization.objects.filter(code=code).first() if code else None
    responder = User.objects.filter(username=login).first() if login else None
    if kind is None or recipient is None or responder is None:
        return
    targets = list(incident.system.domains[:1]) if incident.system else []
    request = coordination.send_request(
        actor=coordinator,
        incident=incident,
        recipient=recipient,
        kind=kind,
        required_actions=coordination_forms.default_actions_for(kind),
        targets=targets,
    )
    if (END - clock).days < 45 and rng.random() < 0.5:
        return  # still waiting for an answer
    answered_at = at(clock, rng, hours=(1, 30))
    with travel(answered_at):
        coordination.acknowledge_request(actor=responder, request=request)
        coordination.answer_request(
            actor=responder,
            request=request,
            outcome="done",
            answer="Đã thực hiện theo yêu cầu; gửi kèm nhật ký truy cập liên quan.",
        )
        coordination.complete_request(actor=coordinator, request=request)


def close(rng, coordinator, incident, clock) -> None:
    clock = at(clock, rng, hours=(4, 72))
    with travel(clock):
        services.submit_closing_report(
            actor=coordinator,
            incident=incident,
            reporter_name=incident.operator.name if incident.operator else "",
            what_happened=incident.description,
            how_solved="Khôi phục từ bản sao lưu, vá lỗ hổng, đổi mật khẩu, tăng cường giám sát.",
            proposals="Rà quét lỗ hổng định kỳ; tập huấn nhận diện thư lừa đảo.",
        )
        # Closing settles the open work as a handler would (issue 15): tasks done, requests closed with it.
        closing.close_incident(actor=coordinator, incident=incident, decision=closing.Decision.COMPLETE)


def merge_some(rng, cast, created: list[Incident]) -> None:
    """A few recent public reports duplicate a unit's report of the same event."""
    recent = [i for i in created if (END - i.reported_at).days < 60 and i.status == Status.LOGGED]
    for duplicate in recent[:2]:
        target = next(
            (i for i in created if i.is_open and i.pk != duplicate.pk and i.status != Status.LOGGED), None
        )
        if target is not None:
            with travel(duplicate.reported_at + datetime.timedelta(hours=1)):
                services.merge_incidents(
                    actor=cast.coordinator, target=target, duplicate=duplicate, note="Cùng một sự việc."
                )


def at(clock: datetime.datetime, rng: random.Random, *, minutes=None, hours=None) -> datetime.datetime:
    low, high = minutes or (hours[0] * 60, hours[1] * 60)
    return min(clock + datetime.timedelta(minutes=rng.randint(low, high)), END)
