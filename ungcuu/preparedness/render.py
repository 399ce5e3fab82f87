"""DOCX export of a response plan: a plan snapshot (the current plan or any version) as an `nd30.Paper`.

Two steps, like the reports: `plan_context` turns a snapshot into plain values, `plan_paper` lays them out
as the blocks every official document is written from (ungcuu.core.nd30: header with rule lines, number
line, place and date by Decree 30, signature block with the signer's title). Its look follows `base.docx`
in `REPORT_TEMPLATE_DIR` like the reports. The document is an official Vietnamese text, so its wording is
Vietnamese whatever the interface language of the person exporting it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from ungcuu.core.bodies import body_name, province_name
from ungcuu.core.nd30 import model as nd30
from ungcuu.core.nd30.docx import render_docx
from ungcuu.preparedness.models import PlanStatus, ResourceKind, category_label, role_label
from ungcuu.preparedness.models.scenarios import Status

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Wording of the official document for this app's own choices (incident stages and role and category
# labels come from the translated catalogue and the taxonomy).
STATUS_VI: dict[str, str] = {
    PlanStatus.DRAFT: "Dự thảo",
    PlanStatus.APPROVED: "Đã phê duyệt",
    PlanStatus.SUPERSEDED: "Đã được thay thế",
}
RESOURCE_KIND_VI: dict[str, str] = {
    ResourceKind.EQUIPMENT: "Trang thiết bị",
    ResourceKind.LICENCE: "Bản quyền phần mềm",
    ResourceKind.EXPERT: "Chuyên gia",
    ResourceKind.PROVIDER: "Nhà cung cấp dịch vụ",
}


def render_plan_docx(snapshot: dict, *, version: int) -> bytes:
    """The plan as a .docx file (python-docx writes text, so user text needs no escaping)."""
    return render_docx(plan_paper(snapshot, version=version))


def plan_paper(snapshot: dict, *, version: int) -> nd30.Paper:
    """The plan in the ND30 layout: a draft says so and carries an unsigned signature block."""
    c = plan_context(snapshot, version=version)
    signature = nd30.signer_for(c["issuing_body_name"])
    if not c["is_draft"] and c["approver_title"]:
        signature = nd30.Signature(c["approver_title"], name=c["approver_name"])
    subtitle = c["title"]
    if c["decision_number"]:
        by = f" của {c['approver_title']}" if c["approver_title"] else ""
        subtitle += f"\n(Ban hành kèm theo Quyết định số {c['decision_number']} ngày {c['approved_on']}{by})"
    head = nd30.Letterhead(
        parent_body=c["governing_body"],
        issuing_body=c["issuing_body"],
        issuer_name=c["issuing_body_name"],
        number=nd30.number_line("", kind="PA", symbol=nd30.symbol_of(c["issuing_body_name"])),
        place_date=nd30.place_and_date(province_name(), c["dated"]),
        title="PHƯƠNG ÁN ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
        subtitle=subtitle,
        form_code="DỰ THẢO" if c["is_draft"] else "",
        recipients=nd30.recipient_lines(
            [c["issuing_body_name"]],
            [body_name("SPECIALISED_UNIT", c["dated"]), "Các đơn vị, cá nhân có liên quan"],
        ),
        signature=signature,
    )
    return nd30.Paper(head, plan_blocks(c), f"phuong-an-v{version}")


def plan_blocks(c: dict) -> list:
    out = nd30.Outline()
    lines = lambda items: [nd30.Para(t) for t in items]  # noqa: E731
    systems = nd30.Grid(
        "Hệ thống thông tin",
        ["STT", "Tên hệ thống thông tin", "Cấp độ", "Đơn vị vận hành"],
        [0.08, 0.47, 0.12, 0.33],
        [[s["number"], s["name"], s["level"], s["operator"]] for s in c["systems"]],
        frozenset({0, 2}),
        empty="Phương án áp dụng chung cho các hệ thống thông tin của đơn vị.",
    )
    blocks: list = [
        out.h("PHẠM VI VÀ ĐỐI TƯỢNG ÁP DỤNG"),
        *lines(c["scope"]),
        out.h("HỆ THỐNG THÔNG TIN ĐƯỢC BẢO ĐẢM"),
        systems,
        out.h("TIÊU CHÍ ĐÁNH GIÁ MỨC ĐỘ NGHIÊM TRỌNG CỦA SỰ CỐ"),
        *lines(c["severity_criteria"]),
        out.h("KỊCH BẢN ỨNG CỨU SỰ CỐ"),
    ]
    for sc in c["scenarios"]:
        blocks += [
            nd30.Heading(f"{sc['number']}. {sc['title']}", 2),
            nd30.Para(f"Loại sự cố: {sc['category']}", indent=False, italic=True),
            *lines(sc["description"]),
            *[
                nd30.Para(f"Bước {st['order']} – {st['stage']}: {st['title']} ({st['role']}{st['due']}).")
                for st in sc["steps"]
            ],
        ]
    if not c["scenarios"]:
        blocks.append(nd30.Para("Chưa có kịch bản.", indent=False))
    blocks += [
        out.h("LỰC LƯỢNG, VAI TRÒ VÀ NHÂN SỰ THAM GIA"),
        *lines(c["roles"]),
        nd30.Grid(
            "Nhân sự",
            ["STT", "Họ và tên", "Chức vụ", "Điện thoại", "Thư điện tử"],
            [0.07, 0.27, 0.24, 0.18, 0.24],
            [
                [p["number"], p["full_name"], p.get("title", ""), p.get("phone", ""), p.get("email", "")]
                for p in c["people"]
            ],
            frozenset({0}),
        ),
        out.h("NGUỒN LỰC: TRANG THIẾT BỊ, BẢN QUYỀN PHẦN MỀM, CHUYÊN GIA, NHÀ CUNG CẤP"),
        nd30.Grid(
            "Nguồn lực",
            ["STT", "Loại", "Tên", "Số lượng", "Ghi chú"],
            [0.07, 0.20, 0.37, 0.12, 0.24],
            [[r["number"], r["kind"], r["name"], r["quantity"], r["note"]] for r in c["resources"]],
            frozenset({0, 3}),
        ),
        out.h("DỰ TOÁN KINH PHÍ"),
        nd30.Para(f"Tổng dự toán kinh phí: {c['budget']} đồng ({c['budget_note']})."),
        out.h("ĐẦU MỐI LIÊN HỆ BÊN NGOÀI"),
        *lines(c["external_contacts"]),
        out.h("TỔ CHỨC THỰC HIỆN"),
        nd30.Para(
            "Phương án được rà soát, cập nhật ít nhất mỗi năm một lần và khi hệ thống thông tin có thay đổi."
            + (f" Hạn rà soát tiếp theo: {c['review_due_on']}." if c["review_due_on"] else "")
        ),
        nd30.Para(f"Tình trạng: {c['status']}; phiên bản số {c['version']}.", italic=True),
    ]
    return blocks


def plan_context(snapshot: dict, *, version: int) -> dict:
    """Plain strings and lists for the template, labelled in Vietnamese."""
    with translation.override("vi"):
        org = snapshot["organization"]
        dated = (
            _date(snapshot.get("approved_on")) or _date(snapshot.get("drafted_on")) or timezone.localdate()
        )
        approver_title = snapshot.get("approved_by_title") or ""
        return {
            "governing_body": (org.get("owner_name") or body_name("PROVINCE_PC", dated)).upper(),
            "issuing_body": org["name"].upper(),
            "issuing_body_name": org["name"],
            "is_draft": snapshot.get("status") == PlanStatus.DRAFT,
            "place": province_name(),
            "dated": dated,
            "title": snapshot["title"],
            "decision_number": snapshot.get("decision_number") or "",
            "approved_on": _dmy(snapshot.get("approved_on")),
            "approver_title": approver_title,
            "approver_title_upper": approver_title.upper() or org["name"].upper(),
            "approver_name": snapshot.get("approved_by_name") or "",
            "scope": _lines(snapshot.get("scope")),
            "severity_criteria": _lines(snapshot.get("severity_criteria")),
            "roles": _lines(snapshot.get("roles")),
            "external_contacts": _lines(snapshot.get("external_contacts")),
            "systems": _systems(snapshot.get("systems", [])),
            "scenarios": _scenarios(snapshot.get("scenarios", [])),
            "people": [{"number": n, **p} for n, p in enumerate(snapshot.get("people", []), start=1)],
            "resources": _resources(snapshot.get("resources", [])),
            "budget": vnd(snapshot.get("budget_estimate") or 0),
            "budget_note": "dự kiến, theo dự toán ngân sách hằng năm",
            "review_due_on": _dmy(snapshot.get("review_due_on")),
            "status": STATUS_VI.get(str(snapshot.get("status")), STATUS_VI[PlanStatus.DRAFT]),
            "version": version,
        }


def vnd(amount: int) -> str:
    """150000000 -> "150.000.000" (Vietnamese thousands separator)."""
    return f"{int(amount):,}".replace(",", ".")


def _lines(text: str | None) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines or ["—"]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _dmy(value: str | None) -> str:
    day = _date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def _systems(systems: list[dict]) -> list[dict]:
    return [
        {"number": n, "name": s["name"], "level": s["security_level"], "operator": s.get("operator", "")}
        for n, s in enumerate(systems, start=1)
    ]


def _scenarios(scenarios: list[dict]) -> list[dict]:
    out = []
    for number, scenario in enumerate(scenarios, start=1):
        steps = [
            {
                "order": step["order"],
                "stage": str(Status(step["stage"]).label),
                "title": step["title"],
                "role": role_label(step["owner_role"]),
                "due": f", trong {step['due_offset_hours']} giờ" if step.get("due_offset_hours") else "",
            }
            for step in scenario.get("steps", [])
        ]
        out.append(
            {
                "number": number,
                "title": scenario["title"],
                "category": category_label(scenario["category"]),
                "description": [line for line in _lines(scenario.get("description")) if line != "—"],
                "steps": steps,
            }
        )
    return out


def _resources(resources: list[dict]) -> list[dict]:
    return [
        {
            "number": n,
            "kind": RESOURCE_KIND_VI.get(str(r.get("kind")), str(r.get("kind", ""))),
            "name": r.get("name", ""),
            "quantity": "" if r.get("quantity") is None else r["quantity"],
            "note": r.get("note", ""),
        }
        for n, r in enumerate(resources, start=1)
    ]
