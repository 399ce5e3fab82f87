"""The import/export template: one sheet per kind of row, its Vietnamese headings and the headings
provinces actually write (aliases). Headings are compared folded (no diacritics, lower case)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ungcuu.core.text import fold


@dataclass(frozen=True)
class Column:
    field: str
    heading: str  # the template's Vietnamese heading (the template is Vietnamese whatever the UI language)
    aliases: tuple[str, ...] = ()
    required: bool = False

    def matches(self, folded_heading: str) -> bool:
        return folded_heading in {fold(self.heading), *(fold(a) for a in self.aliases)}


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: str  # sheet name in the workbook
    label: object  # for the UI
    columns: tuple[Column, ...]

    def column_for(self, folded_heading: str) -> Column | None:
        return next((c for c in self.columns if c.matches(folded_heading)), None)


ORGANIZATIONS = Sheet(
    "organization",
    "Đơn vị",
    _("Organizations"),
    (
        Column("code", "Mã đơn vị", ("Mã", "Mã ĐV", "Ký hiệu")),
        Column("name", "Tên đơn vị", ("Tên cơ quan, đơn vị", "Đơn vị", "Tên cơ quan"), required=True),
        Column("short_name", "Tên viết tắt", ("Viết tắt",)),
        Column("kind", "Loại đơn vị", ("Loại", "Loại hình")),
        Column("parent", "Đơn vị cấp trên", ("Cơ quan chủ quản", "Cấp trên", "Thuộc")),
        Column("address", "Địa chỉ", ("Địa chỉ trụ sở",)),
        Column("phone", "Điện thoại", ("Số điện thoại", "ĐT")),
        Column("email", "Thư điện tử", ("Email", "E-mail", "Hộp thư")),
        Column("website", "Trang thông tin điện tử", ("Website", "Cổng thông tin")),
    ),
)

FOCAL_POINTS = Sheet(
    "focal_point",
    "Đầu mối",
    _("Focal points"),
    (
        Column("organization", "Đơn vị", ("Tên đơn vị", "Mã đơn vị", "Cơ quan"), required=True),
        Column("full_name", "Họ và tên", ("Họ tên", "Cán bộ đầu mối", "Người đầu mối"), required=True),
        Column("title", "Chức vụ", ("Chức danh",)),
        Column("duty", "Nhiệm vụ", ("Vai trò",)),
        Column("office_phone", "Điện thoại cơ quan", ("ĐT cơ quan", "Điện thoại")),
        Column("mobile", "Di động", ("Điện thoại di động", "ĐTDĐ", "Số di động")),
        Column("email", "Thư điện tử", ("Email", "E-mail")),
        Column("is_24x7", "Trực 24/7", ("24/7", "Trực 24/24")),
    ),
)

SYSTEMS = Sheet(
    "system",
    "Hệ thống",
    _("Information systems"),
    (
        Column("name", "Tên hệ thống", ("Tên hệ thống thông tin", "Hệ thống thông tin", "Tên HTTT"), True),
        Column("owner", "Đơn vị chủ quản", ("Chủ quản", "Chủ quản hệ thống"), required=True),
        Column("operator", "Đơn vị vận hành", ("Đơn vị vận hành hệ thống", "Vận hành"), required=True),
        Column("security_level", "Cấp độ", ("Cấp độ an toàn", "Cấp độ ATTT", "Cấp"), required=True),
        Column("dossier_state", "Trạng thái hồ sơ", ("Tình trạng hồ sơ", "Hồ sơ cấp độ")),
        Column("decision_number", "Số quyết định", ("Số QĐ", "Quyết định phê duyệt")),
        Column("decision_date", "Ngày quyết định", ("Ngày QĐ", "Ngày phê duyệt")),
        Column("system_type", "Loại hệ thống", ("Loại HTTT",)),
        Column("public_ips", "Địa chỉ IP", ("IP", "Địa chỉ IP công khai", "IP public")),
        Column("domains", "Tên miền", ("Domain", "Tên miền / URL")),
        Column("software", "Phần mềm", ("Phần mềm, phiên bản", "Phần mềm và phiên bản")),
        Column("os_name", "Hệ điều hành", ("HĐH",)),
        Column("purpose", "Mục đích", ("Mục đích sử dụng", "Chức năng")),
    ),
)

SHEETS = (ORGANIZATIONS, FOCAL_POINTS, SYSTEMS)
