"""Forms 01 and 03 carry every mandatory item of DOMAIN.md §f in the one content model (the blocks all three
formats are written from): form 01's staff annex line by line with the headcounts counted from it, and
form 03's structured items as each intake door (web page, API, e-mail) filled them, printed with labels."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ungcuu.core.nd30.model import Fields, Grid
from ungcuu.incidents.models import IncidentReport
from ungcuu.incidents.tests.test_views import form03 as web_form03
from ungcuu.interop import services as mail_intake
from ungcuu.interop.tests.mails import mail
from ungcuu.organizations import services as org_services
from ungcuu.organizations.models import StaffLine
from ungcuu.reports import documents
from ungcuu.reports.content import NOT_GIVEN
from ungcuu.reports.tests.test_render import docx_text, pdf_text, render_docx, render_pdf, render_xlsx

pytestmark = pytest.mark.django_db

G = StaffLine.ExpertGroup


def fields(document) -> dict[str, str]:
    return {label: value for b in document.paper.blocks if isinstance(b, Fields) for label, value in b.rows}


def grid(document, title: str) -> Grid:
    return next(b for b in document.paper.blocks if isinstance(b, Grid) and b.title == title)


def xlsx_cells(document) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))
    return {
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    }


# --- form 01: the staff annex -------------------------------------------------------------------------


def add_line(actor, org, family, given, **overrides):
    fields = {
        "family_name": family,
        "given_name": given,
        "position": "Chuyên viên",
        "school": "Học viện Kỹ thuật mật mã",
        "major": "An toàn thông tin",
        "training_field": StaffLine.TrainingField.SECURITY,
        "degree": StaffLine.Degree.UNIVERSITY,
        "graduation_year": 2015,
        "international_certificates": "CEH",
        "domestic_certificates": "",
        "expert_groups": [G.DEFENCE],
        **overrides,
    }
    return org_services.add_staff_line(actor=actor, organization=org, **fields)


def test_form01_annex_has_one_line_per_person_and_counts_from_the_lines(org_a, responder):
    org_a.staff_total, org_a.staff_testing = 9, 4  # declared before the lines: no longer what is counted
    org_a.save()
    add_line(responder, org_a, "Nguyễn Thị Thu", "Hà", expert_groups=[G.SECURITY_MANAGEMENT, G.TESTING],
             international_certificates="CISSP, CEH", domestic_certificates="Quản lý ATTT")  # fmt: skip
    add_line(responder, org_a, "Phạm Minh", "Đức", training_field=StaffLine.TrainingField.IT,
             degree=StaffLine.Degree.MASTER, graduation_year=None)  # fmt: skip

    document = documents.profile_document(org_a, "01")

    people = grid(document, "Danh sách cán bộ")
    assert people.columns[1:] == [
        "Họ và tên", "Chức vụ", "Trường đào tạo", "Chuyên ngành", "Trình độ", "Năm tốt nghiệp", "Chứng chỉ",
        "Nhóm chuyên môn có kinh nghiệm",
    ]  # fmt: skip
    assert people.rows[0] == [
        1, "Nguyễn Thị Thu Hà", "Chuyên viên", "Học viện Kỹ thuật mật mã", "An toàn thông tin",
        "Đại học (kỹ sư, cử nhân)", "2015", "CISSP, CEH, Quản lý ATTT",
        "Quản lý an toàn thông tin, Kiểm tra, đánh giá",
    ]  # fmt: skip
    assert people.rows[1][1] == "Phạm Minh Đức" and people.rows[1][6] == "—"
    headcounts = dict(grid(document, "Nhân lực").rows)
    assert headcounts["Tổng số cán bộ làm công tác an toàn thông tin"] == 2
    assert headcounts["Có kinh nghiệm kiểm tra, đánh giá"] == 1
    assert headcounts["Có kinh nghiệm phòng thủ, chống tấn công"] == 1
    assert grid(document, "Theo lĩnh vực đào tạo").rows == [
        ["An toàn thông tin", 1],
        ["Công nghệ thông tin", 1],
    ]
    assert grid(document, "Theo trình độ").rows == [["Thạc sĩ", 1], ["Đại học (kỹ sư, cử nhân)", 1]]
    assert ["CEH (quốc tế)", 2] in grid(document, "Theo chứng chỉ").rows
    assert ["Quản lý ATTT (trong nước)", 1] in grid(document, "Theo chứng chỉ").rows


def test_form01_without_lines_prints_the_declared_headcounts(org_a):
    org_a.staff_total, org_a.staff_defence = 5, 2
    org_a.save()
    document = documents.profile_document(org_a, "01")
    headcounts = dict(grid(document, "Nhân lực").rows)
    assert headcounts["Tổng số cán bộ làm công tác an toàn thông tin"] == 5
    assert headcounts["Có kinh nghiệm phòng thủ, chống tấn công"] == 2
    assert not [b for b in document.paper.blocks if isinstance(b, Grid) and b.title == "Danh sách cán bộ"]


def test_form01_annex_is_the_same_in_docx_pdf_and_xlsx(org_a, responder):
    add_line(
        responder, org_a, "Nguyễn Thị Thu", "Hà", major="Kỹ thuật phần mềm", international_certificates="OSCP"
    )
    document = documents.profile_document(org_a, "01")
    texts = [docx_text(render_docx(document)), pdf_text(render_pdf(document)), " ".join(xlsx_cells(document))]
    for text in texts:  # (the PDF's text interleaves a table's wrapped cells: whole words are compared)
        assert "Nguyễn Thị Thu Hà" in text and "OSCP" in text and "2015" in text and "phần mềm" in text
        assert "Danh sách cán bộ".upper() in text.upper()


# --- form 03: the same structured items from every door ----------------------------------------------

MANDATORY_03 = ["Họ và tên", "Điện thoại", "Thư điện tử", "Tấn công đã thành công",
                "Nguy cơ gây gián đoạn hoạt động", "Mức độ nhạy cảm của dữ liệu", "Đối tượng bị ảnh hưởng",
                "Thời điểm phát hiện", "Tình trạng", "Cách thức phát hiện", "Đã thông báo cho",
                "Thời điểm báo cáo"]  # fmt: skip
RAW_KEYS = {"yes", "no", "unknown", "medium", "public", "not_handled", "log_review", "network_member"}


def form03_of(report: IncidentReport):
    return documents.form03_document(report.incident)


def test_web_door_fills_form03(client_for, manager, org_a, system_a):
    province = {"unit": org_a, "portal": system_a}
    assert client_for(manager).post(reverse("incidents:report"), web_form03(province)).status_code == 302
    got = fields(form03_of(IncidentReport.objects.get()))
    assert set(MANDATORY_03) <= set(got)
    assert got["Tấn công đã thành công"] == "Đã thành công"
    assert got["Nguy cơ gây gián đoạn hoạt động"] == "Trung bình"
    assert got["Mức độ nhạy cảm của dữ liệu"] == "Chỉ dữ liệu công khai"
    assert got["Đối tượng bị ảnh hưởng"] == "Người dân truy cập cổng thông tin"
    assert got["Cách thức phát hiện"] == "Kiểm tra nhật ký (log)"
    assert got["Tình trạng"] == "Chưa xử lý" and got["Đã thông báo cho"] == "Chưa thông báo cho ai"
    assert not RAW_KEYS & set(got.values())


API_FORM03 = {
    "contact_name": "Lê Văn Bình",
    "contact_phone": "0912 345 678",
    "contact_email": "binh@example.gov.vn",
    "handled": "not_handled",
    "detection_methods": ["ids", "log_review"],
    "already_notified": ["isp"],
    "attack_succeeded": "no",
    "disruption_risk": "high",
    "data_sensitivity": "personal",
    "affected": "Bệnh nhân đặt lịch khám trực tuyến",
}


def api_report(org, **form03):
    return {
        "title": "Dò quét cổng đặt lịch khám",
        "description": "IDS báo dò quét liên tục.",
        "detected_at": "2026-03-01T08:00:00+07:00",
        "organization": org.pk,
        "form03": form03,
    }


def test_api_door_fills_form03_and_xlsx_prints_labels(api_for, manager, org_a):
    response = api_for(manager).post("/api/v1/incidents/", api_report(org_a, **API_FORM03), format="json")
    assert response.status_code == 201, response.json()
    document = form03_of(IncidentReport.objects.get())
    got = fields(document)
    assert (got["Tấn công đã thành công"], got["Nguy cơ gây gián đoạn hoạt động"]) == (
        "Chưa thành công (đã bị ngăn chặn)",
        "Cao",
    )
    assert got["Mức độ nhạy cảm của dữ liệu"] == "Dữ liệu cá nhân"
    assert (
        got["Họ và tên"] == "Lê Văn Bình"
        and got["Đối tượng bị ảnh hưởng"] == "Bệnh nhân đặt lịch khám trực tuyến"
    )
    cells = xlsx_cells(document)
    assert {"Tấn công đã thành công", "Dữ liệu cá nhân", "Cao"} <= cells
    assert not RAW_KEYS & cells and "attack_succeeded" not in " ".join(cells)


@pytest.mark.parametrize(
    ("form03", "key", "hint"),
    [
        ({"attack_succeeded": "maybe"}, "attack_succeeded", "yes, no, unknown"),
        ({"detection_methods": ["radar"]}, "detection_methods", "ids, log_review, notified, other"),
        ({"data_sensitivity": "top"}, "data_sensitivity", "secret, personal, internal, public, unknown"),
        ({"contact_phone": "abc"}, "contact_phone", ""),
        ({"succeeded": "yes"}, "succeeded", "attack_succeeded"),
    ],
)
def test_api_bad_form03_value_is_400_with_accepted_values_nothing_written(
    api_for, manager, org_a, form03, key, hint
):
    response = api_for(manager).post("/api/v1/incidents/", api_report(org_a, **form03), format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["form03"][key] if isinstance(response.json()["form03"][key], list)
                       else [str(response.json()["form03"][key])])  # fmt: skip
    assert hint in message
    assert not IncidentReport.objects.exists()


def test_api_form03_read_only_token_403_and_outsider_org_refused(api_for, manager, outsider, org_a):
    body = api_report(org_a, **API_FORM03)
    assert (
        api_for(manager, scopes=["read"]).post("/api/v1/incidents/", body, format="json").status_code == 403
    )
    assert api_for(outsider).post("/api/v1/incidents/", body, format="json").status_code == 400
    assert not IncidentReport.objects.exists()


LABELLED = """Sáng nay hệ thống đặt lịch khám bị dò quét.
Người liên hệ: Trần Thị Mai
Điện thoại liên hệ: 0912 111 222
Phương thức phát hiện: IDS, rà soát nhật ký
Tình trạng: chưa xử lý
Đã thông báo cho: nhà mạng
Tấn công đã thành công: chưa rõ
Nguy cơ gián đoạn: thấp
Mức độ nhạy cảm của dữ liệu: dữ liệu cá nhân
Đối tượng bị ảnh hưởng: người bệnh đặt lịch trực tuyến
"""


def test_mail_door_reads_labelled_lines(focal_a):
    row = mail_intake.receive_message(raw=mail(text=LABELLED))
    got = fields(form03_of(IncidentReport.objects.get(incident=row.incident)))
    assert got["Họ và tên"] == "Trần Thị Mai" and got["Điện thoại"] == "0912 111 222"
    assert got["Cách thức phát hiện"] == "Hệ thống phát hiện xâm nhập (IDS), Kiểm tra nhật ký (log)"
    assert got["Tình trạng"] == "Chưa xử lý"
    assert got["Đã thông báo cho"] == "Doanh nghiệp cung cấp dịch vụ Internet (ISP)"
    assert got["Tấn công đã thành công"] == "Chưa xác định"
    assert (got["Nguy cơ gây gián đoạn hoạt động"], got["Mức độ nhạy cảm của dữ liệu"]) == (
        "Thấp",
        "Dữ liệu cá nhân",
    )
    assert got["Đối tượng bị ảnh hưởng"] == "người bệnh đặt lịch trực tuyến"


def test_mail_door_without_labels_invents_nothing(focal_a):
    row = mail_intake.receive_message(raw=mail())
    got = fields(form03_of(IncidentReport.objects.get(incident=row.incident)))
    for label in ["Tấn công đã thành công", "Nguy cơ gây gián đoạn hoạt động", "Mức độ nhạy cảm của dữ liệu",
                  "Đối tượng bị ảnh hưởng", "Cách thức phát hiện"]:  # fmt: skip
        assert got[label] == NOT_GIVEN, label
