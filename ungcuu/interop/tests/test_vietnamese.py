"""TCVN3 (ABC) and VNI text recognised and turned into Unicode, from real byte samples.

The TCVN3 bytes were made by glibc's iconv (`iconv -t TCVN5712-1`), an encoder independent of our
table; the VNI ones follow VNI-Windows as its users type it (the vietnamese-conversion README's
"Xin chaøo caùc baïn" among them).
"""

import pytest

from ungcuu.interop import vietnamese
from ungcuu.interop.mailparse import decode, decode_vietnamese, parse
from ungcuu.interop.tests.mails import windows_1258

TEXT = "Phát hiện mã độc trên máy chủ cổng thông tin điện tử; đã cô lập."
TCVN3_TEXT = (
    b"Ph\xb8t hi\xd6n m\xb7 \xae\xe9c tr\xaan m\xb8y ch\xf1 c\xe6ng th\xabng tin "
    b"\xaei\xd6n t\xf6; \xae\xb7 c\xab l\xcbp."
)
SUBJECT = "Thông báo sự cố: máy chủ thư điện tử bị tấn công"
TCVN3_SUBJECT = b"Th\xabng b\xb8o s\xf9 c\xe8: m\xb8y ch\xf1 th\xad \xaei\xd6n t\xf6 b\xde t\xcan c\xabng"
UNIT = "Sở Thông tin và Truyền thông tỉnh Ninh Bình"
TCVN3_UNIT = b"S\xeb Th\xabng tin v\xb5 Truy\xd2n th\xabng t\xd8nh Ninh B\xd7nh"
VNI_TEXT = "Phaùt hieän maõ ñoäc treân maùy chuû coång thoâng tin ñieän töû; ñaõ coâ laäp.".encode("cp1252")
VNI_GREETING = b"Xin cha\xf8o ca\xf9c ba\xefn"
VNI_PLACE = "Ñaø Naüng, ngaøy 4 thaùng 12 naêm 2026".encode("cp1252")


@pytest.mark.parametrize(
    ("data", "expected"), [(TCVN3_TEXT, TEXT), (TCVN3_SUBJECT, SUBJECT), (TCVN3_UNIT, UNIT)]
)
def test_tcvn3_bytes_labelled_as_western_are_converted(data, expected):
    for charset in ("iso-8859-1", "windows-1252", "windows-1258", None):
        assert decode_vietnamese(data, charset) == (expected, "tcvn3"), charset


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (VNI_TEXT, TEXT),
        (VNI_GREETING, "Xin chào các bạn"),
        (VNI_PLACE, "Đà Nẵng, ngày 4 tháng 12 năm 2026"),
    ],
)
def test_vni_bytes_are_converted(data, expected):
    assert decode_vietnamese(data, "windows-1252") == (expected, "vni")


def test_a_tcvn_label_is_read_with_the_table():
    assert decode(TCVN3_TEXT, "x-viet-tcvn") == TEXT
    assert decode(VNI_TEXT, "vni") == TEXT


def test_legacy_text_already_turned_into_western_unicode_is_repaired():
    """A .VnTime letter pasted into a Unicode mail: UTF-8 bytes of the letters TCVN3 shows."""
    mojibake = TCVN3_SUBJECT.decode("cp1252").encode("utf-8")
    assert decode_vietnamese(mojibake, "utf-8") == (SUBJECT, "tcvn3")
    assert vietnamese.best_reading("Thoâng baùo söï coá") == ("Thông báo sự cố", "vni")


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "Café résumé naïve, Zürich",  # Western text stays Western
        "Sở Y tế tỉnh Ninh Bình – báo cáo tháng 12",
        "plain ASCII only",
    ],
)
def test_text_that_reads_already_is_left_alone(text):
    assert vietnamese.best_reading(text) == (text, "")
    assert decode(text.encode("utf-8"), "utf-8") == text


def test_windows_1258_stays_windows_1258():
    assert decode_vietnamese(windows_1258(TEXT), "windows-1258") == (TEXT, "")


def test_a_message_says_what_it_was_converted_from():
    raw = (
        b"From: vanthu@soyte.example.gov.vn\r\nSubject: =?iso-8859-1?Q?Th=ABng_b=B8o_s=F9_c=E8?=\r\n"
        b"Message-ID: <tcvn-1@soyte.example.gov.vn>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="iso-8859-1"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
        + TCVN3_TEXT
    )
    mail = parse(raw)
    assert mail.subject == "Thông báo sự cố" and mail.text == TEXT
    assert mail.converted_from == ["tcvn3"]
