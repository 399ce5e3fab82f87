"""A first half of 2026 built through the real services at the times things happened (time-machine).

Org A ("Alpha") and org B ("Beta") report; the coordinator acknowledges, classifies, asks ISP Gamma and
the national coordinator for help and closes; damage is recorded through the reports service. The
expected figures in the tests below follow from this list (times are Asia/Ho_Chi_Minh):

    A1 Alpha ATTACK.DEFACEMENT  10/01  ack +1 h, classified TLP:CLEAR, ISP takedown answered and completed,
                                        closed after 240 h with form 04; damage 5,000,000
    A2 Alpha ATTACK.DEFACEMENT  05/02  confidential; ack +4 h; never classified (not closed: not "handled
                                        by itself", which needs closure without outside help)
    A3 Alpha ATTACK.MALWARE     03/03  exceeds the operator's capacity (emergency reporting); the
                                        coordinator asks the national coordinator; ack +6 h, classified,
                                        contained at +30 h; damage 20,000,000, foreign help (Kaspersky Lab)
    A4 Alpha ATTACK.DOS         20/04  escalated to the national coordinator (sent); ISP block declined
    A5 Alpha SYSTEM.POWER       02/05  not an attack
    A6 Beta  ATTACK.SPOOFING    15/06  ISP takedown answered (not completed)
    A7 Alpha ATTACK.MALWARE     03/07  second half: outside the period
    A8 Alpha ATTACK.DEFACEMENT  10/03  rejected: not an incident, never counted
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import time_machine

from ungcuu.coordination import services as coordination
from ungcuu.coordination.models import RequestKind
from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import Incident, Status
from ungcuu.reports import services as reports

TZ = datetime.timezone(datetime.timedelta(hours=7))
HOUR = datetime.timedelta(hours=1)


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@dataclass
class World:
    a1: Incident
    a2: Incident
    a3: Incident
    a4: Incident
    a5: Incident
    a6: Incident
    a7: Incident
    a8: Incident


class Builder:
    def __init__(self, *, coordinator, manager, outsider, org_a, org_b, isp, isp_responder, vncert):
        self.coordinator, self.manager, self.outsider = coordinator, manager, outsider
        self.org_a, self.org_b, self.isp, self.isp_responder, self.vncert = (
            org_a,
            org_b,
            isp,
            isp_responder,
            vncert,
        )

    def report(self, when, category, title, *, org=None, actor=None, **flags) -> Incident:
        org = org or self.org_a
        data = incidents.ReportInput(
            channel="form",
            title=title,
            description=f"Mô tả: {title}",
            detected_at=when - HOUR,
            reporter_name=str(org),
            organization=org,
            category=category,
            **flags,
        )
        with time_machine.travel(when, tick=False):
            return incidents.submit_report(actor=actor or self.manager, data=data).incident

    def acknowledge(self, incident: Incident, when) -> Incident:
        with time_machine.travel(when, tick=False):
            return incidents.acknowledge(actor=self.coordinator, incident=incident)

    def classify(self, incident: Incident, when, **extra) -> Incident:
        with time_machine.travel(when, tick=False):
            return incidents.classify(
                actor=self.coordinator,
                incident=incident,
                category=incident.category,
                harms=[],
                exceeds_capacity=incident.exceeds_capacity,
                **extra,
            )

    def move(self, incident: Incident, when, to: str) -> Incident:
        with time_machine.travel(when, tick=False):
            return incidents.change_status(actor=self.coordinator, incident=incident, to=to)

    def ask(self, incident: Incident, when, *, kind=RequestKind.ISP_TAKEDOWN, recipient=None):
        with time_machine.travel(when, tick=False):
            return coordination.send_request(
                actor=self.coordinator,
                incident=incident,
                recipient=recipient or self.isp,
                kind=kind,
                required_actions="Gỡ bỏ nội dung, cung cấp nhật ký.",
            )

    def answer(self, request, when, *, complete: bool) -> None:
        with time_machine.travel(when, tick=False):
            coordination.answer_request(
                actor=self.isp_responder, request=request, answer="Đã gỡ.", outcome="done"
            )
            if complete:
                coordination.complete_request(actor=self.coordinator, request=request)

    def close(self, incident: Incident, when) -> Incident:
        with time_machine.travel(when, tick=False):
            incidents.submit_closing_report(
                actor=self.coordinator,
                incident=incident,
                reporter_name=str(incident.operator),
                what_happened="Trang chủ bị thay đổi giao diện.",
                how_solved="Khôi phục từ bản sao lưu, vá lỗ hổng.",
                proposals="Rà quét định kỳ.",
            )
            return incidents.change_status(actor=self.coordinator, incident=incident, to=Status.CLOSED)

    def damage(self, incident: Incident, amount: int, *, foreign: str = "") -> None:
        reports.record_damage(
            actor=self.coordinator,
            incident=incident,
            amount_vnd=amount,
            foreign_help=bool(foreign),
            foreign_helpers=foreign,
        )

    def build(self) -> World:
        a1 = self.report(at(1, 10), "ATTACK.DEFACEMENT", "Cổng Alpha bị thay đổi giao diện")
        self.acknowledge(a1, at(1, 10) + HOUR)
        self.classify(a1, at(1, 10) + HOUR, tlp="CLEAR")
        self.move(a1, at(1, 10) + 2 * HOUR, Status.FIRST_ACTIONS)
        self.answer(self.ask(a1, at(1, 10) + 3 * HOUR), at(1, 10) + 5 * HOUR, complete=True)
        a1 = self.close(a1, at(1, 10) + 240 * HOUR)
        self.damage(a1, 5_000_000)

        a2 = self.report(at(2, 5), "ATTACK.DEFACEMENT", "Trang tin Alpha bị chèn nội dung", confidential=True)
        self.acknowledge(a2, at(2, 5) + 4 * HOUR)

        a3 = self.report(at(3, 3), "ATTACK.MALWARE", "Máy chủ Alpha nhiễm mã độc", exceeds_capacity=True)
        self.acknowledge(a3, at(3, 3) + 6 * HOUR)
        self.classify(a3, at(3, 3) + 6 * HOUR)
        with time_machine.travel(at(3, 3) + 6 * HOUR, tick=False):
            incidents.request_national_support(
                actor=self.coordinator, incident=a3, reason="Cần chuyên gia phân tích mã độc."
            )
        self.move(a3, at(3, 3) + 7 * HOUR, Status.FIRST_ACTIONS)
        self.move(a3, at(3, 3) + 30 * HOUR, Status.CONTAINED)
        self.damage(a3, 20_000_000, foreign="Kaspersky Lab")

        a4 = self.report(at(4, 20), "ATTACK.DOS", "Tấn công từ chối dịch vụ vào cổng Alpha")
        self.ask(a4, at(4, 20) + HOUR, kind=RequestKind.NATIONAL_ESCALATION, recipient=self.vncert)
        declined = self.ask(a4, at(4, 20) + HOUR, kind=RequestKind.ISP_BLOCK)
        with time_machine.travel(at(4, 20) + 2 * HOUR, tick=False):
            coordination.decline_request(
                actor=self.isp_responder, request=declined, reason="Không thuộc phạm vi."
            )

        a5 = self.report(at(5, 2), "SYSTEM.POWER", "Mất điện phòng máy Alpha")
        a6 = self.report(
            at(6, 15), "ATTACK.SPOOFING", "Trang giả mạo Beta", org=self.org_b, actor=self.outsider
        )
        self.answer(self.ask(a6, at(6, 15) + HOUR), at(6, 15) + 3 * HOUR, complete=False)
        a7 = self.report(at(7, 3), "ATTACK.MALWARE", "Mã độc Alpha tháng Bảy")
        a8 = self.report(at(3, 10), "ATTACK.DEFACEMENT", "Cảnh báo nhầm Alpha")
        self.acknowledge(a8, at(3, 10) + HOUR)
        self.move(a8, at(3, 10) + 2 * HOUR, Status.REJECTED)
        return World(*(Incident.objects.get(pk=i.pk) for i in (a1, a2, a3, a4, a5, a6, a7, a8)))
