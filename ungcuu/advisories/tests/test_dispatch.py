"""The official dispatch (.docx): layout text, Vietnamese intact, recipients, who may download it."""

import datetime
import io

import pytest
from docx import Document

from ungcuu.advisories import dispatch, services
from ungcuu.advisories.indicators import add_indicator
from ungcuu.core.nd30.model import Heading, number_line
from ungcuu.core.nd30.office import check_papers
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> list[str]:
    """Every paragraph of the body and of the table cells, in order."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


@pytest.fixture
def issued(draft, coordinator, tomcat_a, settings):
    settings.BODY_NAMES = {**settings.BODY_NAMES, "SPECIALISED_UNIT": "Sở Khoa học và Công nghệ"}
    settings.PROVINCE_NAME = "Ninh Bình"
    hand = OrganizationFactory(code="SO-YTE", name="Sở Y tế", kind=Kind.OPERATOR)
    services.update_advisory(actor=coordinator, advisory=draft, dispatch_number="125/SKHCN-CNTT")
    add_indicator(actor=coordinator, value="hxxp://c2.evil-example[.]com/gate.php", advisory=draft)
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a], organizations=[hand])
    return services.publish_advisory(actor=coordinator, advisory=draft)


def test_dispatch_reads_back_with_diacritics_and_recipients(issued, org_a):
    lines = docx_text(dispatch.render_dispatch(issued))
    text = "\n".join(lines)

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines and "Độc lập - Tự do - Hạnh phúc" in lines
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in lines and "Số: 125/SKHCN-CNTT" in lines
    assert "V/v cảnh báo lỗ hổng nghiêm trọng trong Apache Tomcat (Alpha)" in lines
    assert any(
        line.startswith("Ninh Bình, ngày ") and " tháng " in line and " năm " in line for line in lines
    )
    assert "- Apache Tomcat: phiên bản trước 9.0.80" in lines  # the range in words, not "<9.0.80"
    assert "Mã lỗ hổng: CVE-2023-44487, CVE-2023-46589." in lines
    assert "- Đường dẫn URL: http://c2.evil-example.com/gate.php" in lines
    assert "Cập nhật Apache Tomcat lên phiên bản 9.0.81 trở lên." in lines
    assert "Lỗ hổng cho phép tấn công từ chối dịch vụ và đọc tệp tùy ý." in lines
    recipients = lines[lines.index("Nơi nhận:") + 1 :]
    assert recipients[:2] == ["- Như trên;", "- Lưu: VT."]  # ND30: the addressees are "Như trên"
    assert "Kính gửi:" in lines and f"- {org_a.name};" in lines and "- Sở Y tế;" in lines
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" not in recipients  # never its own recipient
    assert "{{" not in text and "{%" not in text


def test_version_ranges_are_written_in_words():
    assert dispatch.versions_in_words(">=8.5.0,<8.5.99 || 9.0.1") == "từ 8.5.0 trở lên và trước 8.5.99; 9.0.1"
    assert dispatch.versions_in_words("<=2.4") == "đến 2.4"


def test_sections_are_numbered_without_gaps(draft, coordinator):
    draft.products.all().delete()
    headings = [b.text for b in dispatch.dispatch_paper(draft).blocks if isinstance(b, Heading)]
    assert [h.split(".")[0] for h in headings] == [str(n) for n in range(1, len(headings) + 1)]
    assert number_line("7/SKHCN", kind="", symbol="") == "Số: 07/SKHCN"  # under 10: a leading zero


def test_place_and_date_follow_decree_30(settings):
    settings.PROVINCE_NAME = "Ninh Bình"
    assert dispatch.place_and_date(datetime.date(2026, 2, 5)) == "Ninh Bình, ngày 05 tháng 02 năm 2026"
    assert dispatch.place_and_date(datetime.date(2026, 11, 21)) == "Ninh Bình, ngày 21 tháng 11 năm 2026"


def test_subject_line():
    assert dispatch.subject_line("Cảnh báo: Lỗ hổng trong Zimbra") == "V/v cảnh báo lỗ hổng trong Zimbra"
    assert (
        dispatch.subject_line("WordPress plugin bị khai thác") == "V/v cảnh báo WordPress plugin bị khai thác"
    )
    assert dispatch.subject_line("Apache Tomcat có lỗ hổng") == "V/v cảnh báo Apache Tomcat có lỗ hổng"
    assert dispatch.subject_line("Chiến dịch lừa đảo") == "V/v cảnh báo chiến dịch lừa đảo"


def test_many_recipients_are_addressed_through_the_list(draft, coordinator):
    orgs = [OrganizationFactory(name=f"Sở số {n}") for n in range(7)]
    services.set_targets(actor=coordinator, advisory=draft, organizations=orgs)
    lines = docx_text(dispatch.render_dispatch(draft))
    assert "Kính gửi: Các cơ quan, đơn vị có tên tại Nơi nhận." in lines
    assert all(f"- {o.name};" in lines for o in orgs)


def test_download_is_for_the_issuer_and_the_national_only(
    client_for, issued, coordinator, national, manager, viewer, outsider
):
    url = f"/advisories/{issued.pk}/dispatch.docx"
    for user in (coordinator, national):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == dispatch.CONTENT_TYPE
        assert f"cong-van-{issued.reference}.docx" in response["Content-Disposition"]
        assert "Sở Y tế" in "\n".join(docx_text(response.content))
    assert client_for(manager).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).post(url).status_code == 405


@pytest.mark.office
def test_dispatch_opens_in_libreoffice_with_an_unbroken_header(issued, tmp_path):
    paper = dispatch.dispatch_paper(issued)
    required = ["Kính gửi", "V/v cảnh báo", "Nơi nhận:", "Như trên", "Trân trọng", "GIÁM ĐỐC"]
    [rendered] = check_papers(
        {"dispatch": paper}, tmp_path, max_pages={"dispatch": 3}, required={"dispatch": required}
    )
    assert rendered.problems == []
