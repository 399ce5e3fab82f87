"""Obligation definitions derived from taxonomy.json's recurring_obligations (read, never retyped).

The taxonomy says how often and who; it does not say which records prove a duty done, so that one
table (EVIDENCE) is ours. Duties that are "continuous" or "periodic (interval unspecified)" have no date to
fall due on in the law: those DOMAIN.md §g lists (risk assessment, inspection of ISPs, review of the
coordination regulation, the public 24/7 contact) are seeded with the review period the province sets in
`settings.OBLIGATION_REVIEW_MONTHS` ([U]: a policy choice, not the law's); the others are left out.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from ungcuu.core import taxonomy
from ungcuu.obligations.models import DEFAULT_LEAD_TIMES, EvidenceKind
from ungcuu.organizations.models import Kind

E = EvidenceKind
BASIC = [E.FILE, E.LINK, E.OTHER]
EVIDENCE: dict[str, list[str]] = {
    "VULN_SCAN_THREAT_HUNT": [E.SCAN, E.REPORT, *BASIC],
    "RESPONSE_SCENARIO": [E.PLAN_VERSION, *BASIC],
    "LIVE_FIRE_DRILL": [E.DRILL, *BASIC],
    "TRAINING_DRILL_PROGRAMME": [E.TRAINING, E.DRILL, E.PLAN_VERSION, *BASIC],
    "AGENCY_PROGRESS_REPORT": [E.REPORT, *BASIC],
    "PROVINCE_ANNUAL_SUMMARY": [E.REPORT, *BASIC],
    "NETWORK_MEMBER_SUMMARY_FORM05": [E.REPORT, *BASIC],
    "DISTRICT_SUMMARY": [E.REPORT, *BASIC],
    "QUARTERLY_BULLETIN": [E.REPORT, *BASIC],
    "POLICE_CT15_REPORT": [E.REPORT, *BASIC],
}
# Who owes a duty the taxonomy names only in words (`applies_to`), e.g. RISK_ASSESSMENT (S0 §II.2).
APPLIES_TO_WORDS = {"departments": Kind.OPERATOR.value, "district UBND": Kind.DISTRICT_FOCAL.value}
SYSTEM_SCOPES = ("information system",)
LEVEL_RULE = re.compile(r"level\s*>=\s*(\d)")
MONTH_DAY = re.compile(r"(\d{2}-\d{2})")


def _deadlines(entry: dict[str, Any]) -> list[str]:
    deadlines = entry.get("deadlines") or {}
    return sorted(m.group(1) for text in deadlines.values() if (m := MONTH_DAY.search(str(text))))


def _scope(entry: dict[str, Any]) -> dict[str, Any]:
    applies = str(entry.get("applies_to") or "")
    if any(s in applies for s in SYSTEM_SCOPES):
        level = LEVEL_RULE.search(applies)
        return {"applies_to_systems": True, "min_security_level": int(level.group(1)) if level else 1}
    responsible = entry.get("responsible") or [k for w, k in APPLIES_TO_WORDS.items() if w in applies]
    return {
        "applies_to_kinds": [code for code in responsible if code in Kind.values],
        "applies_to_network_members": "NETWORK_MEMBER" in responsible,
    }


def definition_values(entry: dict[str, Any]) -> dict[str, Any] | None:
    """Field values for one taxonomy entry; None for a duty with no due date of any kind."""
    # DOMAIN.md §g: a continuous or interval-less duty falls due at the province's review period ([U]).
    period = entry.get("period_months") or settings.OBLIGATION_REVIEW_MONTHS.get(entry["code"])
    fixed = _deadlines(entry)
    event = str(entry.get("period") or "").startswith("on event")
    if not (period or fixed or event):
        return None
    return {
        "code": entry["code"],
        "title_vi": entry.get("vi", ""),
        "title_en": entry.get("en", ""),
        "source": str(entry.get("source", ""))[:300],
        "basis_vi": str(entry.get("basis_vi", ""))[:300],
        "period_months": None if event else period,
        "fixed_dates": fixed,
        "is_event_driven": event,
        "evidence_kinds": [str(k) for k in EVIDENCE.get(entry["code"], BASIC)],
        "lead_times": list(DEFAULT_LEAD_TIMES),
        **_scope(entry),
    }


def seed_values() -> list[dict[str, Any]]:
    """Every definition the taxonomy yields, in taxonomy order."""
    values = (definition_values(e) for e in taxonomy.recurring_obligations().values())
    return [v for v in values if v is not None]


def seed_definitions(model) -> int:
    """Create the missing definitions on `model` (the historical one in a migration); never overwrites."""
    existing = set(model.objects.values_list("code", flat=True))
    known = {f.name for f in model._meta.get_fields()}  # an older migration's model lacks later fields
    rows = [model(**{k: v for k, v in values.items() if k in known}) for values in seed_values()]
    rows = [row for row in rows if row.code not in existing]
    model.objects.bulk_create(rows)
    return len(rows)


def fill_missing_texts(model) -> int:
    """Give seeded definitions the Vietnamese title and legal basis the taxonomy gained; edits are kept."""
    values = {v["code"]: v for v in seed_values()}
    changed = 0
    for definition in model.objects.filter(code__in=values):
        wanted = values[definition.code]
        fields = [f for f in ("title_vi", "basis_vi") if not getattr(definition, f) and wanted[f]]
        for field in fields:
            setattr(definition, field, wanted[field])
        if fields:
            definition.save(update_fields=fields)
            changed += 1
    return changed
