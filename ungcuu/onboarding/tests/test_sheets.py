import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ungcuu.onboarding import services
from ungcuu.onboarding.services import Mode, Outcome
from ungcuu.onboarding.sheets import FileRefused, looks_legacy, read_upload
from ungcuu.onboarding.tests.workbooks import province, xlsx
from ungcuu.organizations.models import FocalPoint, Organization


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _csv(text: str, encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile("don-vi.csv", text.encode(encoding))


def test_csv_with_semicolons_and_a_title_line_is_read():
    tables = read_upload(_csv("DANH SÁCH ĐƠN VỊ;;\nMã đơn vị;Tên đơn vị;Đơn vị cấp trên\nSO-YT;Sở Y tế;\n"))

    assert tables[0].header_row == 2
    assert tables[0].rows[0].values == {"code": "SO-YT", "name": "Sở Y tế", "parent": ""}


def test_csv_in_a_windows_code_page_is_refused_with_the_fix():
    with pytest.raises(FileRefused, match="CSV UTF-8"):
        text = "Mã đơn vị,Tên đơn vị\nSO-YT,Sở Y tế\n".encode("cp1258", errors="replace")  # Excel's "CSV"
        read_upload(SimpleUploadedFile("don-vi.csv", text))


def test_other_files_are_refused():
    with pytest.raises(FileRefused):
        read_upload(SimpleUploadedFile("danh-muc.xls", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(FileRefused):
        read_upload(SimpleUploadedFile("danh-muc.xlsx", b"not a zip"))


def test_symbols_after_a_word_are_not_a_legacy_font():
    assert not looks_legacy("Windows® Server, phòng máy 25°C")
    assert looks_legacy("Sở ®iÖn lùc")  # TCVN3 “điện lực”


@pytest.mark.django_db
def test_a_parent_cycle_in_the_file_is_an_error_on_each_row(coordinator):
    file = _csv("Mã đơn vị,Tên đơn vị,Đơn vị cấp trên\nA-1,Đơn vị A,B-1\nB-1,Đơn vị B,A-1\n")

    report = services.run_import(actor=coordinator, tables=read_upload(file), mode=Mode.ALL)

    assert [r.outcome for r in report.rows] == [Outcome.ERROR, Outcome.ERROR]
    assert not Organization.objects.filter(code__in=["A-1", "B-1"]).exists()


@pytest.mark.django_db
def test_a_child_listed_before_its_parent_is_placed_under_it(coordinator):
    file = _csv("Tên đơn vị,Đơn vị cấp trên\nUBND xã Yên Phong,UBND huyện Yên Mô\nUBND huyện Yên Mô,\n")

    report = services.run_import(actor=coordinator, tables=read_upload(file), mode=Mode.ALL)

    assert report.counts["new"] == 2
    assert Organization.objects.get(name="UBND xã Yên Phong").parent.name == "UBND huyện Yên Mô"


@pytest.mark.django_db
def test_a_focal_point_change_is_an_update_with_its_history(coordinator):
    data = province(orgs=2, systems_per_org=0)
    services.run_import(actor=coordinator, tables=read_upload(xlsx(data)), mode=Mode.ALL)
    data["Đầu mối"][0][3] = "0987 654 321"

    report = services.run_import(actor=coordinator, tables=read_upload(xlsx(data)), mode=Mode.ALL)

    update = next(r for r in report.rows if r.outcome == Outcome.UPDATE)
    assert update.label == "Nguyễn Văn Đầu Mối 1" and update.messages == ["điện thoại di động"]
    focal = FocalPoint.objects.get(full_name="Nguyễn Văn Đầu Mối 1")
    assert focal.mobile == "0987 654 321" and focal.changes.count() == 2


def test_a_sheet_whose_headings_are_in_a_legacy_font_is_refused_as_such():
    file = SimpleUploadedFile("cu.csv", "Tªn ®¬n vÞ,M· ®¬n vÞ\nSë Y tÕ,SO-YT\n".encode())

    with pytest.raises(FileRefused, match="TCVN3"):
        read_upload(file)
