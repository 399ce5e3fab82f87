"""DOCX export: a plan reads back with its diacritics in the ND30 layout (ungcuu.core.nd30)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from ungcuu.core.nd30.office import check_papers
from ungcuu.preparedness import services
from ungcuu.preparedness.render import plan_context, plan_paper, render_plan_docx, vnd

pytestmark = pytest.mark.django_db


def all_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    texts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_plan_docx_has_the_administrative_layout_and_intact_vietnamese(
    manager, approved_plan_a, system_a, focal_a
):
    services.revise_plan(actor=manager, plan=approved_plan_a)  # the export reads the approved edition
    text = all_text(render_plan_docx(approved_plan_a.snapshot(), version=2))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHƯƠNG ÁN ỨNG CỨU SỰ CỐ AN TOÀN THÔNG TIN MẠNG",
        "SỞ THỬ NGHIỆM ALPHA",  # the issuing body, in capitals
        "Phương án ứng cứu sự cố Cổng thông tin Alpha",
        "Ban hành kèm theo Quyết định số 45/QĐ-SALPHA",
        "Cổng thông tin điện tử Alpha",
        "Kịch bản Alpha: chống tấn công từ chối dịch vụ",
        "Bước 1 – ",
        "Alpha: xác nhận dấu hiệu tấn công từ chối dịch vụ",
        "Nguyễn Văn Giám Đốc",
        "GIÁM ĐỐC SỞ",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_draft_docx_says_draft_and_escapes_user_text(manager, org_a):
    plan = services.create_plan(
        actor=manager,
        organization=org_a,
        title="Phương án <Alpha> & “dự phòng”",
        scope="Dòng 1\nDòng 2 <script>",
        budget_estimate=1_250_000_000,
        resources=[{"kind": "equipment", "name": "Tường lửa dự phòng", "quantity": 2}],
    )
    text = all_text(render_plan_docx(plan.snapshot(), version=1))
    assert "DỰ THẢO" in text
    head = plan_paper(plan.snapshot(), version=1).head
    assert head.signature.lines and head.signature.note.startswith("(Ký")  # a draft has a title and "(Ký…)"
    assert head.number.endswith("/PA-STNA") and " tháng " in head.place_date
    assert all("Sở Thử nghiệm Alpha" not in r for r in head.recipients)  # never its own recipient
    assert "Phương án <Alpha> & “dự phòng”" in text and "Dòng 2 <script>" in text
    assert "1.250.000.000" in text and "Trang thiết bị" in text and "Tường lửa dự phòng" in text


def test_the_context_is_vietnamese_whatever_the_interface_language(plan_a):
    with translation.override("en"):
        context = plan_context(plan_a.snapshot(), version=1)
    assert context["status"] == "Dự thảo"
    assert context["scenarios"][0]["steps"][0]["role"] == "Đơn vị vận hành hệ thống thông tin"
    assert vnd(150000000) == "150.000.000"


def test_docx_download_is_for_those_who_see_the_plan(client_for, viewer, outsider, approved_plan_a):
    url = reverse("preparedness:plan_docx", args=[approved_plan_a.pk])
    response = client_for(viewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="phuong-an-')
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in all_text(response.content)
    assert client_for(outsider).get(url).status_code == 404
    version = approved_plan_a.versions.get(reason="created")
    url = reverse("preparedness:plan_version_docx", args=[approved_plan_a.pk, version.pk])
    assert "DỰ THẢO" in all_text(client_for(viewer).get(url).content)
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.office
def test_plans_open_in_libreoffice_with_an_unbroken_header(manager, approved_plan_a, org_a, tmp_path):
    draft = services.create_plan(actor=manager, organization=org_a, title="Phương án dự phòng Alpha")
    papers = {
        "plan-approved": plan_paper(approved_plan_a.snapshot(), version=1),
        "plan-draft": plan_paper(draft.snapshot(), version=1),
    }
    required = ["PHƯƠNG ÁN ỨNG CỨU SỰ CỐ", "KỊCH BẢN ỨNG CỨU SỰ CỐ", "TỔ CHỨC THỰC HIỆN", "Nơi nhận:"]
    rendered = check_papers(papers, tmp_path, max_pages={}, required=dict.fromkeys(papers, required))
    assert {r.name: r.problems for r in rendered} == dict.fromkeys(papers, [])
    assert "DỰ THẢO" in rendered[1].text and "(Ký, ghi rõ họ tên và đóng dấu)" in rendered[1].text
