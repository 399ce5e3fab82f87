"""Province workbooks built in tests with openpyxl, the way provinces lay them out."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

ORG_HEAD = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Điện thoại", "Thư điện tử"]
FOCAL_HEAD = ["Đơn vị", "Họ và tên", "Chức vụ", "Di động", "Thư điện tử", "Trực 24/7"]
SYS_HEAD = [
    "Tên hệ thống",
    "Đơn vị chủ quản",
    "Đơn vị vận hành",
    "Cấp độ",
    "Trạng thái hồ sơ",
    "Số quyết định",
    "Ngày quyết định",
    "Địa chỉ IP",
    "Tên miền",
    "Phần mềm",
]


def province(orgs: int = 6, systems_per_org: int = 2, *, errors: bool = False) -> dict[str, list[list]]:
    """The province PC, then departments and communes under it; a focal point and systems each."""
    org_rows = [[1, "UBND-TINH", "Ủy ban nhân dân tỉnh Thử Nghiệm", "Chủ quản", "", "0229 3871 000", ""]]
    focal_rows, system_rows = [], []
    for n in range(1, orgs):
        code = f"SO-{n:03d}" if n % 2 else f"XA-{n:03d}"
        name = f"Sở Thử nghiệm số {n}" if n % 2 else f"UBND xã Thử Nghiệm {n}"
        kind = "Sở, ngành" if n % 2 else "UBND cấp xã"
        org_rows.append([n + 1, code, name, kind, "UBND-TINH", f"0229 3871 {n:03d}", f"so{n}@example.gov.vn"])
        focal_rows.append(
            [
                code,
                f"Nguyễn Văn Đầu Mối {n}",
                "Chuyên viên",
                f"0912 000 {n:03d}",
                f"dm{n}@example.gov.vn",
                "Có",
            ]
        )
        for k in range(systems_per_org):
            level = ("Cấp độ 2", "3", "III", "1")[(n + k) % 4]
            system_rows.append(
                [
                    f"Hệ thống {k + 1} của {name}",
                    "UBND-TINH",
                    code,
                    level,
                    "Đề xuất",
                    "",
                    "",
                    f"203.0.{n % 250}.{k + 1}",
                    f"ht{k + 1}.so{n}.example.gov.vn",
                    "Microsoft; IIS; 10.0",
                ]
            )
    if errors:
        org_rows.append([orgs + 1, "", "Sở Thử nghiệm số 1", "", "UBND-TINH", "", ""])  # duplicate name
        system_rows.append(["Hệ thống mồ côi", "UBND-TINH", "Sở Không Tồn Tại", "2", "", "", "", "", "", ""])
        system_rows.append(["Hệ thống cấp sai", "UBND-TINH", "SO-001", "Cấp độ 7", "", "", "", "", "", ""])
        system_rows.append(
            ["Hệ thống IP sai", "UBND-TINH", "SO-001", "2", "", "", "", "203.0.113.300", "", ""]
        )
    return {"Đơn vị": org_rows, "Đầu mối": focal_rows, "Hệ thống": system_rows}


def xlsx(data: dict[str, list[list]], *, title_rows: int = 2, name: str = "tinh.xlsx") -> SimpleUploadedFile:
    """A workbook with a merged title over `title_rows` rows above each header, as provinces print it."""
    book = Workbook()
    book.remove(book.active)
    heads = {"Đơn vị": ORG_HEAD, "Đầu mối": FOCAL_HEAD, "Hệ thống": SYS_HEAD}
    for title, rows in data.items():
        ws = book.create_sheet(title)
        for _n in range(title_rows):
            ws.append(["DANH SÁCH " + title.upper()])
        if title_rows:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads[title]))
        ws.append(heads[title])
        for row in rows:
            ws.append(row)
    return upload(book, name)


def upload(book: Workbook, name: str = "tinh.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())
