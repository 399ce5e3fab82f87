import pytest
from django.utils import translation
from openpyxl import Workbook

from ungcuu.onboarding import services
from ungcuu.onboarding.export import workbook_bytes
from ungcuu.onboarding.services import Mode, Outcome
from ungcuu.onboarding.sheets import FileRefused, read_upload, refuse_legacy
from ungcuu.onboarding.tests.workbooks import province, upload, xlsx
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.systems.models import InformationSystem, SystemEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    """Row messages are asserted as a Vietnamese user reads them, whatever ran before."""
    with translation.override("vi"):
        yield


def _run(coordinator, file, mode=Mode.DRY_RUN):
    return services.run_import(actor=coordinator, tables=read_upload(file), mode=mode)


def _counts():
    return Organization.objects.count(), FocalPoint.objects.count(), InformationSystem.objects.count()


def test_dry_run_previews_every_row_and_writes_nothing(coordinator):
    before = _counts()

    report = _run(coordinator, xlsx(province(orgs=6)))

    assert report.counts == {"new": 6 + 5 + 10, "update": 0, "unchanged": 0, "error": 0}
    assert not report.applied
    assert _counts() == before


def test_apply_creates_the_tree_and_reimport_changes_nothing(coordinator):
    data = province(orgs=6)
    report = _run(coordinator, xlsx(data), Mode.ALL)
    assert report.applied and report.count(Outcome.ERROR) == 0
    commune = Organization.objects.get(code="XA-002")
    assert commune.parent.code == "UBND-TINH" and commune.kind == "COMMUNE"
    system = InformationSystem.objects.get(name="Hệ thống 1 của Sở Thử nghiệm số 1")
    assert (system.security_level, system.public_ips) == (3, ["203.0.1.1"])
    assert system.software.get().product == "IIS"
    events, after = SystemEvent.objects.count(), _counts()

    again = _run(coordinator, xlsx(data), Mode.ALL)

    assert again.counts["unchanged"] == len(again.rows) and not again.applied
    assert (SystemEvent.objects.count(), _counts()) == (events, after)


def test_bad_rows_are_reported_and_apply_all_writes_nothing(coordinator):
    before = _counts()

    report = _run(coordinator, xlsx(province(orgs=6, errors=True)), Mode.ALL)

    errors = {r.label: " ".join(r.messages) for r in report.rows if r.outcome == Outcome.ERROR}
    assert "Trùng đơn vị với dòng 5" in errors["Sở Thử nghiệm số 1"]
    assert "không có trong tệp và chưa có trên hệ thống" in errors["Hệ thống mồ côi"]
    assert "không nằm trong khoảng 1 đến 5" in errors["Hệ thống cấp sai"]
    assert "203.0.113.300" in errors["Hệ thống IP sai"]
    assert not report.applied and _counts() == before


def test_apply_valid_rows_keeps_the_good_ones(coordinator):
    report = _run(coordinator, xlsx(province(orgs=6, errors=True)), Mode.VALID_ONLY)

    assert report.applied and report.count(Outcome.ERROR) == 4
    assert InformationSystem.objects.count() == 10
    assert not InformationSystem.objects.filter(name="Hệ thống mồ côi").exists()


def test_levels_and_ips_as_provinces_write_them(coordinator):
    data = province(orgs=2, systems_per_org=0)
    data["Hệ thống"] = [
        ["A", "UBND-TINH", "SO-001", "Cấp độ 3", "", "", "", "203.0.113. 10, 203.0.113.11", "", ""],
        ["B", "UBND-TINH", "SO-001", "III", "", "", "", "", "", ""],
        ["C", "UBND-TINH", "SO-001", 4, "Đã phê duyệt", "12/QĐ-UBND", "05/03/2024", "", "", ""],
    ]
    _run(coordinator, xlsx(data), Mode.ALL)

    a, b, c = InformationSystem.objects.order_by("name")
    assert (a.security_level, a.public_ips) == (3, ["203.0.113.10", "203.0.113.11"])
    assert b.security_level == 3
    assert (c.security_level, c.dossier_state, c.decision_number) == (4, "approved", "12/QĐ-UBND")


def test_header_in_row_three_with_merged_operator_cells(coordinator):
    data = province(orgs=2, systems_per_org=0)
    data["Hệ thống"] = [
        ["A", "UBND-TINH", "SO-001", "2", "", "", "", "", "", ""],
        ["B", "UBND-TINH", None, "2", "", "", "", "", "", ""],
    ]
    file = xlsx(data, title_rows=2)
    from openpyxl import load_workbook

    book = load_workbook(file)
    book["Hệ thống"].merge_cells("C4:C5")  # the operator written once for both systems
    tables = read_upload(upload(book))

    assert [t.header_row for t in tables] == [3, 3, 3]
    report = services.run_import(actor=coordinator, tables=tables, mode=Mode.ALL)
    assert report.count(Outcome.ERROR) == 0
    assert InformationSystem.objects.filter(operator__code="SO-001").count() == 2


def test_legacy_font_text_is_refused():
    book = Workbook()
    book.active.append(["Tên đơn vị", "Mã đơn vị"])
    book.active.append(["Së Khoa häc vµ C«ng nghÖ", "SO-KHCN"])  # TCVN3
    with pytest.raises(FileRefused, match="TCVN3"):
        refuse_legacy(read_upload(upload(book)))
    book.active.append(["Sôû Khoa hoïc vaø Coâng ngheä", "SO-KHCN"])  # VNI
    book.active.delete_rows(2)
    with pytest.raises(FileRefused, match="VNI"):
        refuse_legacy(read_upload(upload(book)))


def test_unicode_vietnamese_is_not_mistaken_for_a_legacy_font():
    book = Workbook()
    book.active.append(["Tên đơn vị"])
    book.active.append(["Ủy ban nhân dân xã Đồng Tâm, huyện Mỹ Đức; Sở Tài nguyên và Môi trường"])
    refuse_legacy(read_upload(upload(book)))


def test_export_then_import_changes_nothing(coordinator):
    _run(coordinator, xlsx(province(orgs=6)), Mode.ALL)
    exported = upload_bytes(workbook_bytes(with_data=True))

    report = _run(coordinator, exported)

    assert report.count(Outcome.ERROR) == 0
    # 7 organizations: the file's 6 and the coordinator's own unit
    assert report.changes == 0 and report.count(Outcome.UNCHANGED) == 7 + 5 + 10


def test_import_is_for_coordinators_only(manager):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _run(manager, xlsx(province(orgs=2)))


def upload_bytes(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("export.xlsx", content)


def test_a_file_over_the_row_limit_is_refused_whole(settings):
    settings.IMPORT_MAX_ROWS = 5

    with pytest.raises(FileRefused, match="import_registry"):
        services.load_tables(xlsx(province(orgs=3)))


def test_the_command_imports_what_the_page_would(coordinator, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "tinh.xlsx"
    path.write_bytes(xlsx(province(orgs=3)).read())

    call_command("import_registry", str(path), "--as", "coordinator", "--mode", "all")

    assert InformationSystem.objects.count() == 4
