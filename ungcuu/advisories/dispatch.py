"""The advisory as an official dispatch (công văn): a DOCX the specialised unit signs and sends.

The letter is an `nd30.Paper` like every other official document (ungcuu.core.nd30): the header with its
rule lines, the number and the "V/v" summary under it, "Kính gửi", numbered sections (numbered as written,
so an empty one leaves no gap), "Nơi nhận" starting with "Như trên". Its look follows `base.docx` in
`REPORT_TEMPLATE_DIR` like the reports. The letter is Vietnamese whatever the interface language: it is an
official text to Vietnamese bodies, not interface chrome.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.utils import timezone

from ungcuu.advisories.models import Advisory
from ungcuu.advisories.validators import IndicatorKind
from ungcuu.core.bodies import body_names, province_name
from ungcuu.core.nd30 import model as nd30
from ungcuu.core.nd30.docx import render_docx

# Above this many recipients "Kính gửi" names them by reference to "Nơi nhận", as dispatches do.
MAX_NAMED_ADDRESSEES = 5
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_NAMES = {
    IndicatorKind.IPV4: "Địa chỉ IPv4",
    IndicatorKind.IPV6: "Địa chỉ IPv6",
    IndicatorKind.DOMAIN: "Tên miền",
    IndicatorKind.URL: "Đường dẫn URL",
    IndicatorKind.MD5: "Mã băm MD5",
    IndicatorKind.SHA1: "Mã băm SHA-1",
    IndicatorKind.SHA256: "Mã băm SHA-256",
    IndicatorKind.EMAIL: "Địa chỉ thư điện tử",
}
COMPARISONS = {">=": "từ {} trở lên", ">": "sau {}", "<=": "đến {}", "<": "trước {}", "==": "{}", "=": "{}"}


# --- the letter's text ------------------------------------------------------------------------------


def place_and_date(day: datetime.date) -> str:
    """ "Ninh Bình, ngày 05 tháng 3 năm 2026": days below 10 and months 1-2 take a leading zero (NĐ 30)."""
    return nd30.place_and_date(province_name(), day)


def versions_in_words(spec: str) -> str:
    """ ">=8.5.0,<8.5.99 || 9.0.1" -> "từ 8.5.0 trở lên và trước 8.5.99; 9.0.1": a reader's words, not syntax."""
    ranges = []
    for part in re.split(r"\s*\|\|\s*", spec.strip()):
        bounds = []
        for bound in filter(None, (b.strip() for b in part.split(","))):
            match = re.fullmatch(r"(>=|<=|==|>|<|=)?\s*(.+)", bound)
            op, version = (match.group(1) or "==", match.group(2)) if match else ("==", bound)
            bounds.append(COMPARISONS[op].format(version))
        if bounds:
            ranges.append(" và ".join(bounds))
    return "; ".join(ranges)


def subject_line(title: str) -> str:
    """ "V/v cảnh báo lỗ hổng …": a leading Vietnamese word is lower-cased, a product name is not.

    A first word with a letter outside ASCII ("Lỗ", "Chiến", "Mã") is Vietnamese prose; "Apache",
    "WordPress" or "VPN" are names and keep their capitals.
    """
    text = " ".join(title.split())
    if text.lower().startswith("cảnh báo"):
        text = text[len("cảnh báo") :].strip(" :-–")
    first = text.split(" ", 1)[0]
    if not first.isascii() and first[:1].isupper() and first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return f"V/v cảnh báo {text}"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _product_line(product) -> str:
    name = " ".join(x for x in (product.vendor, product.product) if x)
    if not product.versions:
        return f"{name}: mọi phiên bản"
    return f"{name}: phiên bản {versions_in_words(product.versions)}"


def dispatch_paper(advisory: Advisory) -> nd30.Paper:
    """The letter: header, "Kính gửi", the sections that have content (numbered in order), signature."""
    issued = timezone.localtime(advisory.published_at or timezone.now()).date()
    bodies = body_names(issued)
    issuer = bodies["SPECIALISED_UNIT"]
    recipients = sorted(
        (t.organization.name for t in advisory.targets.select_related("organization")), key=str.casefold
    )
    named = recipients if len(recipients) <= MAX_NAMED_ADDRESSEES else []
    head = nd30.Letterhead(
        parent_body=bodies["PROVINCE_PC"].upper(),
        issuing_body=issuer.upper(),
        issuer_name=issuer,
        number=nd30.number_line(advisory.dispatch_number, kind="", symbol="")
        if advisory.dispatch_number
        else f"Số:{nd30.NBSP * 8}/",
        summary=subject_line(advisory.title),
        place_date=place_and_date(issued),
        addressees=named or ["Các cơ quan, đơn vị có tên tại Nơi nhận"],
        recipients=nd30.recipient_lines([issuer], ["Như trên"] if named else recipients),
        signature=nd30.Signature(
            getattr(settings, "ADVISORY_SIGNER_TITLE", "GIÁM ĐỐC"), name=advisory.issued_by.full_name, note=""
        ),
    )
    return nd30.Paper(
        head, _body(advisory, issuer), f"cong-van-{advisory.reference}", closing="Trân trọng./."
    )


def _body(advisory: Advisory, issuer: str) -> list:
    deadline = timezone.localtime(advisory.deadline).strftime("%H giờ %M, ngày %d/%m/%Y")
    sections = [
        (
            "Thông tin cảnh báo",
            [nd30.Para(t) for t in _paragraphs(advisory.summary)]
            + ([nd30.Para(f"Mã lỗ hổng: {', '.join(advisory.cve_ids)}.")] if advisory.cve_ids else []),
        ),
        (
            "Sản phẩm, phiên bản bị ảnh hưởng",
            nd30.bullets([_product_line(p) for p in advisory.products.all()], empty=""),
        ),
        (
            "Dấu hiệu nhận biết (IoC)",
            nd30.bullets(
                [f"{KIND_NAMES[i.kind]}: {i.value}" for i in advisory.indicators.order_by("kind", "value")],
                empty="",
            ),
        ),
        ("Khuyến nghị", [nd30.Para(t) for t in _paragraphs(advisory.recommended_actions)]),
    ]
    out = nd30.Outline(roman=False)
    blocks: list = [
        nd30.Para(
            "Thực hiện chức năng đơn vị chuyên trách về ứng cứu sự cố an toàn thông tin mạng trên địa bàn tỉnh, "
            f"{issuer} cảnh báo ({advisory.reference}) như sau:"
        )
    ]
    for title, content in sections:
        content = [b for b in content if b.text]
        if content:
            blocks += [out.h(title), *content]
    blocks += [
        nd30.Para(
            "Đề nghị các cơ quan, đơn vị khẩn trương kiểm tra, rà soát các hệ thống thông tin thuộc phạm vi quản "
            "lý, thực hiện các biện pháp khắc phục nêu trên và báo cáo kết quả (xác nhận đã nhận cảnh báo, tình "
            f"trạng khắc phục của từng hệ thống) trên hệ thống Ứng Cứu trước {deadline}."
        ),
        nd30.Para(f"Mức độ chia sẻ thông tin: {advisory.get_tlp_display()}.", italic=True),
    ]
    return blocks


def render_dispatch(advisory: Advisory) -> bytes:
    return render_docx(dispatch_paper(advisory))


def filename(advisory: Advisory) -> str:
    return f"cong-van-{advisory.reference}.docx"
