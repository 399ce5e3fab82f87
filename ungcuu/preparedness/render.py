"""DOCX export of a response plan: a plan snapshot (the current plan or any version) through docxtpl.

Two steps, like the reports: `plan_context` turns a snapshot into plain values, `render_plan_docx` fills
the committed template. The document is an official Vietnamese text, so its wording is Vietnamese
whatever the interface language of the person exporting it.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone, translation
from docxtpl import DocxTemplate

from ungcuu.core.bodies import body_name, province_name
from ungcuu.preparedness.docx_template import TEMPLATE_PATH
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
    """The plan as a .docx file, with user text escaped (docxtpl's autoescape)."""
    template = DocxTemplate(str(TEMPLATE_PATH))
    template.render(plan_context(snapshot, version=version), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


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
            "day": f"{dated.day:02d}",
            "month": f"{dated.month:02d}",
            "year": dated.year,
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
