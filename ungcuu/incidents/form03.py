"""Form 03's structured items (TT20 Appendix I; DOMAIN.md §f): one vocabulary for every intake door.

The web form asks for them, the API report endpoint takes them under `form03`, e-mail intake reads them from
labelled lines ("Phương thức phát hiện: …"); all three hand them to `services.submit_report`, which checks
them here (`errors`) before anything is written. An item a door did not get stays empty and form 03 prints it
as not provided: no door invents a value.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core.text import fold

DETECTION = [
    ("ids", gettext_lazy("IDS")),
    ("log_review", gettext_lazy("Log review")),
    ("notified", gettext_lazy("Notified by someone")),
    ("other", gettext_lazy("Other")),
]
NOTIFIED = [
    ("network_member", gettext_lazy("Responsible network member")),
    ("isp", gettext_lazy("ISP")),
    ("coordinator", gettext_lazy("National coordinator")),
    ("none", gettext_lazy("Nobody yet")),
]
HANDLED = [("not_handled", gettext_lazy("Not handled yet")), ("handled", gettext_lazy("Handled"))]
# The structured description (DOMAIN.md §f: whether the attack succeeded, the risk of disruption, how
# sensitive the data is, who is affected); "unknown" is an answer the reporter gives, not a default.
SUCCEEDED = [
    ("yes", gettext_lazy("Yes, the attack succeeded")),
    ("no", gettext_lazy("No, it was stopped")),
    ("unknown", gettext_lazy("Not known yet")),
]
RISK = [
    ("high", gettext_lazy("High")),
    ("medium", gettext_lazy("Medium")),
    ("low", gettext_lazy("Low")),
    ("unknown", gettext_lazy("Not known yet")),
]
SENSITIVITY = [
    ("secret", gettext_lazy("State secrets")),
    ("personal", gettext_lazy("Personal data")),
    ("internal", gettext_lazy("Internal (not public) data")),
    ("public", gettext_lazy("Public data only")),
    ("unknown", gettext_lazy("Not known yet")),
]

CHOICES = {
    "handled": HANDLED,
    "attack_succeeded": SUCCEEDED,
    "disruption_risk": RISK,
    "data_sensitivity": SENSITIVITY,
}
MULTIPLE = {"detection_methods": DETECTION, "already_notified": NOTIFIED}
# Free-text items and their longest length.
TEXTS = {
    "reporter_address": 300,
    "contact_name": 200,
    "contact_title": 200,
    "contact_phone": 50,
    "contact_email": 254,
    "system_text": 300,
    "notified_by": 200,
    "affected": 500,
    "os": 200,
    "support_requests": 2000,
}
# The structured description's keys, in the order form 03 prints them.
DESCRIPTION = ["attack_succeeded", "disruption_risk", "data_sensitivity", "affected"]


def label(key: str, value: str) -> str:
    """The printed label of a stored choice ("" when there is none; an unknown key as it is)."""
    return {k: str(v) for k, v in CHOICES[key]}.get(value, value) if value else ""


def labels(key: str, values) -> list[str]:
    names = {k: str(v) for k, v in MULTIPLE[key]}
    return [names.get(v, str(v)) for v in values or []]


def errors(data: dict) -> dict[str, list[str]]:
    """What is wrong with the structured items of `data` (form 03's keys), with what to send instead."""
    found: dict[str, list[str]] = {}
    for key, choices in CHOICES.items():
        value = data.get(key)
        if value not in (None, "") and value not in dict(choices):
            found[key] = [expected(value, choices)]
    for key, choices in MULTIPLE.items():
        values = data.get(key)
        if values in (None, "", []):
            continue
        if not isinstance(values, list | tuple):
            found[key] = [_('Send a list of values, e.g. ["%(first)s"].') % {"first": choices[0][0]}]
        elif bad := [v for v in values if v not in dict(choices)]:
            found[key] = [expected(", ".join(map(str, bad)), choices)]
    for key, longest in TEXTS.items():
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            found[key] = [_("Send text.")]
        elif value and len(value) > longest:
            found[key] = [_("At most %(n)s characters.") % {"n": longest}]
    return found


def expected(value, choices) -> str:
    return _("“%(value)s” is not one of the accepted values: %(accepted)s.") % {
        "value": value,
        "accepted": ", ".join(key for key, _label in choices),
    }


# --- labelled lines of an e-mail ------------------------------------------------------------------------

# Folded label (diacritics and case dropped, as people type them) -> form 03 key.
MAIL_LABELS = {
    "phuong thuc phat hien": "detection_methods",
    "cach thuc phat hien": "detection_methods",
    "tinh trang": "handled",
    "da thong bao cho": "already_notified",
    "tan cong da thanh cong": "attack_succeeded",
    "tan cong thanh cong": "attack_succeeded",
    "nguy co gian doan": "disruption_risk",
    "nguy co gay gian doan": "disruption_risk",
    "muc do nhay cam cua du lieu": "data_sensitivity",
    "do nhay cam cua du lieu": "data_sensitivity",
    "doi tuong bi anh huong": "affected",
    "nguoi lien he": "contact_name",
    "chuc vu nguoi lien he": "contact_title",
    "dien thoai lien he": "contact_phone",
    "thu dien tu lien he": "contact_email",
    "email lien he": "contact_email",
    "de nghi ho tro": "support_requests",
}
# Folded words of a value -> the stored key; the first rule that matches wins (so "chưa rõ" is unknown
# before "chưa" is no). A value no rule reads is left out: the description keeps the whole message.
MAIL_VALUES: dict[str, list[tuple[str, str]]] = {
    "detection_methods": [
        (r"\bids\b|phat hien xam nhap", "ids"),
        (r"nhat ky|\blogs?\b", "log_review"),
        (r"thong bao|bao tin", "notified"),
        (r"\bkhac\b", "other"),
    ],
    "already_notified": [
        (r"thanh vien mang luoi|doi ung cuu", "network_member"),
        (r"\bisp\b|nha mang|nha cung cap dich vu", "isp"),
        (r"vncert|dieu phoi quoc gia|co quan dieu phoi", "coordinator"),
        (r"chua thong bao|chua ai|^chua$", "none"),
    ],
    "handled": [(r"chua xu ly|dang xu ly", "not_handled"), (r"da xu ly|xu ly xong", "handled")],
    "attack_succeeded": [
        (r"chua ro|chua xac dinh|khong ro", "unknown"),
        (r"chua|khong|ngan chan", "no"),
        (r"thanh cong|\bco\b", "yes"),
    ],
    "disruption_risk": [
        (r"chua ro|chua xac dinh|khong ro", "unknown"),
        (r"\bcao\b", "high"),
        (r"trung binh", "medium"),
        (r"\bthap\b", "low"),
    ],
    "data_sensitivity": [
        (r"chua ro|chua xac dinh|khong ro", "unknown"),
        (r"bi mat", "secret"),
        (r"ca nhan", "personal"),
        (r"noi bo", "internal"),
        (r"cong khai", "public"),
    ],
}
LINE = re.compile(r"^\s*[-*•]?\s*([^:\n]{3,60}?)\s*:\s*(.+?)\s*$", re.MULTILINE)


def from_labelled_text(text: str) -> dict:
    """The form 03 items a message states on labelled lines; items it does not state are absent."""
    found: dict = {}
    for raw_label, raw_value in LINE.findall(text or ""):
        key = MAIL_LABELS.get(" ".join(fold(raw_label).split()))
        if key is None or key in found:
            continue
        value = _read_value(key, raw_value)
        if value:
            found[key] = value
    return found


def _read_value(key: str, raw: str):
    if key not in MAIL_VALUES:
        return raw[: TEXTS.get(key, 500)]
    parts = re.split(r"[,;/]| và ", raw) if key in MULTIPLE else [raw]
    read = [_match(key, fold(part).strip()) for part in parts]
    values = list(dict.fromkeys(v for v in read if v))
    return values if key in MULTIPLE else (values[0] if values else "")


def _match(key: str, folded: str) -> str:
    return next((value for pattern, value in MAIL_VALUES[key] if re.search(pattern, folded)), "")
