import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ungcuu.onboarding.tests.workbooks import province, xlsx
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _state():
    return Organization.objects.count(), InformationSystem.objects.count()


@pytest.mark.parametrize("persona", ["viewer", "manager", "outsider"])
def test_members_cannot_import_or_export(persona, request, client_for):
    client, before = client_for(request.getfixturevalue(persona)), _state()

    assert client.get(reverse("onboarding:import")).status_code == 403
    assert client.post(reverse("onboarding:import"), {"file": xlsx(province())}).status_code == 403
    assert client.post(reverse("onboarding:apply"), {"mode": "all", "token": "x"}).status_code == 403
    assert client.get(reverse("onboarding:export")).status_code == 403
    assert client.get(reverse("onboarding:template")).status_code == 403
    assert _state() == before


def test_preview_shows_row_errors_then_valid_rows_apply(coordinator, client_for):
    client, before = client_for(coordinator), _state()

    page = client.post(reverse("onboarding:import"), {"file": xlsx(province(errors=True))})

    assert page.status_code == 200 and _state() == before
    html = page.content.decode()
    assert "Hệ thống mồ côi" in html and "apply-valid" in html and "apply-all" not in html
    token = page.context["token"]
    refused = client.post(reverse("onboarding:apply"), {"mode": "all", "token": token})
    assert refused.status_code == 400 and _state() == before

    applied = client.post(reverse("onboarding:apply"), {"mode": "valid_only", "token": token})

    assert applied.status_code == 302
    assert InformationSystem.objects.count() == 10
    again = client.post(reverse("onboarding:apply"), {"mode": "valid_only", "token": token})
    assert again.status_code == 302 and InformationSystem.objects.count() == 10  # the token is spent


def test_a_file_without_headers_is_refused_with_a_message(coordinator, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client_for(coordinator).post(
        reverse("onboarding:import"), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")}
    )

    assert page.status_code == 400
    assert "“Tên hệ thống”, “Đơn vị vận hành”, “Cấp độ”." in page.content.decode()  # the message's example


def test_export_and_template_are_the_import_layout(coordinator, client_for, system_a):
    client = client_for(coordinator)

    book = load_workbook(io.BytesIO(client.get(reverse("onboarding:export")).content))
    template = load_workbook(io.BytesIO(client.get(reverse("onboarding:template")).content))

    assert book.sheetnames == template.sheetnames == ["Đơn vị", "Đầu mối", "Hệ thống", "Hướng dẫn"]
    systems = [[c.value for c in row] for row in book["Hệ thống"].iter_rows()]
    assert systems[0][:4] == ["Tên hệ thống", "Đơn vị chủ quản", "Đơn vị vận hành", "Cấp độ"]
    assert systems[1][:4] == ["Cổng thông tin điện tử Alpha", "SO-ALPHA", "SO-ALPHA", "3"]
    assert template["Hệ thống"].max_row == 1


def test_export_guards_cells_that_a_spreadsheet_would_run(coordinator, client_for, org_a):
    org_a.phone = '=HYPERLINK("http://evil")'
    org_a.save()

    book = load_workbook(io.BytesIO(client_for(coordinator).get(reverse("onboarding:export")).content))

    phones = [row[6].value for row in book["Đơn vị"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil")' in phones


def test_one_sheet_exported_as_csv_imports_back_unchanged(coordinator, client_for, system_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ungcuu.onboarding import services
    from ungcuu.onboarding.sheets import read_upload

    content = client_for(coordinator).get(reverse("onboarding:export"), {"sheet": "system"}).content
    tables = read_upload(SimpleUploadedFile("he-thong.csv", content))

    report = services.run_import(actor=coordinator, tables=tables, mode="all")
    assert [t.sheet.kind for t in tables] == ["system"]
    assert report.counts == {"new": 0, "update": 0, "unchanged": 1, "error": 0}


def test_a_preview_nobody_applied_is_swept_after_a_day(coordinator, client_for, tmp_path):
    import os
    import time

    client = client_for(coordinator)
    client.post(reverse("onboarding:import"), {"file": xlsx(province(orgs=2))})
    (old,) = list((tmp_path / "onboarding").iterdir())
    os.utime(old, (time.time() - 2 * 86400,) * 2)

    client_for(coordinator).post(reverse("onboarding:import"), {"file": xlsx(province(orgs=2))})

    assert not old.exists() and len(list((tmp_path / "onboarding").iterdir())) == 1
