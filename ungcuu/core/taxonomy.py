"""The domain taxonomy (shared/taxonomy.json), loaded once and never retyped in code.

Labels come in Vietnamese and English from the file itself; `label()` picks the active language.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"


@cache
def taxonomy() -> dict[str, Any]:
    return json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))


def language() -> str:
    """The language labels are read in: "en" when English is active, else the file's Vietnamese."""
    return (get_language() or "vi")[:2]


def label(entry: dict[str, Any], lang: str | None = None) -> str:
    """The entry's label in `lang` or the active language (Vietnamese unless English is active)."""
    lang = lang or language()
    if lang == "en" and entry.get("en"):
        return str(entry["en"])
    return str(entry.get("vi") or entry.get("en") or entry.get("code"))


def roles() -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in taxonomy()["roles"]}


def role_choices() -> list[tuple[str, str]]:
    return [(code, label(r)) for code, r in roles().items() if code not in {"REPORTER"}]


def security_levels() -> dict[int, dict[str, Any]]:
    return {int(lv["level"]): lv for lv in taxonomy()["security_levels"]}


def security_level_choices() -> list[tuple[int, str]]:
    english = (get_language() or "vi")[:2] == "en"
    return [(n, f"Level {n}" if english else str(lv["vi"])) for n, lv in security_levels().items()]


def incident_groups() -> dict[str, dict[str, Any]]:
    return {g["code"]: g for g in taxonomy()["incident_groups"]}


def incident_categories() -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in taxonomy()["incident_categories"]}


def recurring_obligations() -> dict[str, dict[str, Any]]:
    return {o["code"]: o for o in taxonomy()["recurring_obligations"]}
