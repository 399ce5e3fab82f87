"""Form 01's staff annex as a unit fills it (issue 14): Sở Y tế's incident-response focal point (a
responder of the unit) adds two people, family name first, then opens form 01 and downloads its PDF, which
lists both people. Screenshots and a page image of the PDF go to /tmp/shots-forms (UNGCUU_SHOTS)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from ungcuu.organizations.models import Membership, StaffLine

from .conftest import _user, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("UNGCUU_SHOTS", "/tmp/shots-forms"))


def _vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


PEOPLE = [
    {"family_name": "Phạm Thu", "given_name": "Hà", "position": "Chuyên viên CNTT",
     "school": "Học viện Kỹ thuật mật mã", "major": "An toàn thông tin", "training_field": "security",
     "degree": "university", "graduation_year": "2014", "international_certificates": "CEH",
     "groups": ["defence", "testing"]},
    {"family_name": "Đỗ Văn", "given_name": "Long", "position": "Phó Chánh Văn phòng",
     "school": "Đại học Bách khoa Hà Nội", "major": "Khoa học máy tính", "training_field": "it",
     "degree": "master", "graduation_year": "2008", "international_certificates": "CISM",
     "groups": ["security_management"]},
]  # fmt: skip


def test_focal_point_adds_two_staff_lines_and_downloads_form01(new_context, health_dept):
    officer = _user("ungcuu.syt", "Tâm", "Vũ Đức")
    Membership.objects.create(user=officer, organization=health_dept, role=Membership.Role.RESPONDER)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = log_in(new_context(), officer)
    page.goto(f"/organizations/{health_dept.pk}/")
    for person in PEOPLE:
        page.click("#staff-annex a.btn")
        expect(page.locator("h1")).to_have_text(_vi("Add a person to the staff annex"))
        for name in ("family_name", "given_name", "position", "school", "major", "graduation_year",
                     "international_certificates"):  # fmt: skip
            page.fill(f"[name={name}]", person[name])
        page.select_option("[name=training_field]", person["training_field"])
        page.select_option("[name=degree]", person["degree"])
        for group in person["groups"]:
            page.check(f"[name=expert_groups][value={group}]")
        if person is PEOPLE[0]:
            page.screenshot(path=SHOTS / "staff-annex-form.png", full_page=True)
        page.click("main form button.primary")
        expect(page.locator("#staff-annex")).to_contain_text(
            f"{person['family_name']} {person['given_name']}"
        )
    page.locator("#staff-annex").screenshot(path=SHOTS / "staff-annex-list.png")
    assert StaffLine.objects.filter(organization=health_dept).count() == 2

    page.click(f"a[href='/reports/forms/01/{health_dept.pk}/']")
    expect(page.locator("body")).to_contain_text("Đỗ Văn Long")
    page.screenshot(path=SHOTS / "form01-preview.png", full_page=True)
    with page.expect_download() as caught:
        page.click("a.btn.primary[download]")
    pdf = Path(caught.value.path()).read_bytes()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Phạm Thu Hà" in text and "Đỗ Văn Long" in text and "CISM" in text
    if shutil.which("pdftoppm"):  # the page that carries the annex, as a picture to look at
        (SHOTS / "form01.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(SHOTS / "form01.pdf"), str(SHOTS / "form01-pdf")],
                       check=True)  # fmt: skip
