"""Input validation for the coordination UI (shape only; the rules live in services)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ungcuu.coordination.models import Outcome, RequestKind, default_hours
from ungcuu.coordination.validators import normalize_targets
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Organization

# The first lines of the request as it goes out. They are the text of an official letter to Vietnamese
# bodies, not interface chrome, so they are Vietnamese whatever the coordinator's interface language;
# the coordinator edits them before sending.
DEFAULT_ACTIONS: dict[str, str] = {
    RequestKind.ISP_PRESERVE_LOGS: (
        "Đề nghị trích xuất, lưu giữ và cung cấp nhật ký truy cập, thông tin thuê bao sử dụng địa chỉ IP "
        "và nhật ký phân giải tên miền (DNS) liên quan đến các địa chỉ sau trong thời gian xảy ra sự cố; "
        "không xóa hoặc ghi đè dữ liệu này cho đến khi có thông báo tiếp theo."
    ),
    RequestKind.ISP_BLOCK: (
        "Đề nghị ngăn chặn tạm thời truy cập đến/từ các địa chỉ sau trong vòng 24 giờ "
        "và phản hồi kết quả thực hiện."
    ),
    RequestKind.ISP_TAKEDOWN: (
        "Đề nghị gỡ bỏ nội dung thay đổi giao diện/lừa đảo tại các địa chỉ sau trong vòng 24 giờ "
        "và phản hồi kết quả."
    ),
    RequestKind.POLICE_REFERRAL: (
        "Chuyển thông tin và chứng cứ ban đầu về sự cố để Công an tỉnh xem xét, điều tra, xử lý theo "
        "thẩm quyền; đề nghị cử cán bộ đầu mối phối hợp thu thập, bảo quản chứng cứ."
    ),
    RequestKind.VENDOR_SUPPORT: (
        "Đề nghị cử chuyên gia hỗ trợ phân tích, ngăn chặn và khắc phục sự cố tại hệ thống bị ảnh hưởng; "
        "phản hồi phương án và thời gian triển khai."
    ),
    RequestKind.MILITARY_SUPPORT: (
        "Đề nghị Bộ Chỉ huy Quân sự tỉnh hỗ trợ nhân lực, phương tiện kỹ thuật để ứng cứu sự cố; "
        "phản hồi khả năng và thời gian hỗ trợ."
    ),
    RequestKind.NATIONAL_ESCALATION: (
        "Sự cố vượt quá khả năng xử lý của tỉnh. Đề nghị Cơ quan điều phối quốc gia hỗ trợ, "
        "điều phối lực lượng ứng cứu và hướng dẫn xử lý."
    ),
    RequestKind.OTHER: "",
}

# The order recipients are offered in: the bodies S4 Art. 7 names first.
_FIRST = [OrgKind.ISP, OrgKind.POLICE, OrgKind.MILITARY, OrgKind.VENDOR, OrgKind.NATIONAL_COORDINATOR]
RECIPIENT_GROUPS = [*_FIRST, *[k for k in OrgKind if k not in _FIRST]]


def grouped_recipients() -> list:
    """Every active organization, grouped by kind, for a <select> with <optgroup>s."""
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for org in Organization.objects.filter(is_active=True).only("pk", "name", "kind").order_by("name"):
        by_kind.setdefault(org.kind, []).append((org.pk, org.name))
    groups = [(OrgKind(k).label, by_kind[k]) for k in RECIPIENT_GROUPS if k in by_kind]
    return [("", "---------"), *groups]


def default_actions_for(kind: str) -> str:
    return DEFAULT_ACTIONS.get(kind, "")


class SendRequestForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Recipient"), queryset=Organization.objects.filter(is_active=True)
    )
    also_to = forms.ModelMultipleChoiceField(
        label=_("Also send to"),
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Each body gets its own request with the same content, e.g. the ISP and the police."),
    )
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    required_actions = forms.CharField(
        label=_("Required actions"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    targets = forms.CharField(
        label=_("Targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("IP addresses, networks, domain names or URLs, one per line."),
    )
    deadline = forms.DateTimeField(
        label=_("Answer due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    confidential = forms.BooleanField(
        label=_("Keep confidential"),
        required=False,
        help_text=_("At a participant's request (S4 Art. 4): e-mails then carry no details."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["recipient"]).choices = grouped_recipients()
        kind = self["kind"].value() or RequestKind.ISP_TAKEDOWN
        self.fields["deadline"].help_text = _("Leave empty for the default: %(hours)s hours.") % {
            "hours": default_hours(kind)
        }

    def clean_targets(self):
        try:
            return normalize_targets(self.cleaned_data["targets"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    @classmethod
    def refreshed(cls, data) -> SendRequestForm:
        """An unbound form keeping what was typed, with the default text of a newly chosen kind.

        Text the coordinator wrote is kept; only an empty field or another kind's default is replaced.
        """
        initial = {name: data.get(name, "") for name in ("recipient", "kind", "targets", "deadline")}
        initial["confidential"] = bool(data.get("confidential"))
        kind = initial["kind"] or RequestKind.ISP_TAKEDOWN
        initial["kind"] = kind  # the select must show the kind whose default text is filled in
        typed = (data.get("required_actions") or "").strip()
        initial["required_actions"] = (
            default_actions_for(kind) if typed in {"", *DEFAULT_ACTIONS.values()} else typed
        )
        return cls(initial=initial)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    # No pre-selected outcome: a responder must say what happened, never report "done" by default.
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *Outcome.choices])
    answer = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    files = MultipleFileField(
        label=_("Attached files"),
        required=False,
        help_text=_(
            "Logs, captures, screenshots or documents that show what was done (kept with a SHA-256)."
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )
