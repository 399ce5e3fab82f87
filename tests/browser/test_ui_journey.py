"""Issue 15, input, language, density: each point at desktop (1366 px) and phone (390 px) width.

Screenshots go to screenshots/ui-<test>-<width>-<step>.png (and /tmp/shots/ui/ when it exists) so that a
person looks at them; wording is asserted through the compiled catalogue (`_vi`).
"""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
LOOKED_AT = Path("/tmp/shots/ui")


def _vi(text) -> str:
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _camera(name: str, viewport: dict):
    def take(page: Page, step: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"ui-{name}-{viewport['width']}-{step}.png"
        page.screenshot(path=path, full_page=full_page)
        if LOOKED_AT.is_dir():
            shutil.copy(path, LOOKED_AT / path.name)

    return take


def _answer(page: Page) -> None:
    a, b = (int(n) for n in re.findall(r"\d+", page.locator("label[for=id_answer]").inner_text())[:2])
    page.fill("#public-report [name=answer]", str(a + b))


# --- 1 and 2. Input and feedback ---------------------------------------------------------------------


@WIDTHS
def test_a_person_correcting_a_mistyped_phone_is_not_refused_as_a_robot(new_context, viewport):
    """The real minimum fill time (3 s) counts from the first showing: the phone "abc" is refused next
    to its field with everything kept (the answer too), and sending again at once goes through."""
    cache.clear()
    shot = _camera("public-form", viewport)
    page = new_context(viewport=viewport).new_page()
    page.goto("/report/")
    form = page.locator("#public-report")
    form.locator("[name=reporter_name]").fill("Trần Văn Bình")
    form.locator("[name=reporter_phone]").fill("abc")
    form.locator("[name=system_text]").fill("https://hoalu.ninhbinh.gov.vn")
    form.locator("[name=description]").fill("Trang chủ hiện dòng chữ 'hacked by'.")
    detected = timezone.localtime(timezone.now() - datetime.timedelta(minutes=30))
    form.locator("[name=detected_at]").fill(detected.strftime("%Y-%m-%dT%H:%M"))
    _answer(page)
    page.wait_for_timeout(3_100)  # a person takes longer than the minimum to fill the form in
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.status == 400
    phone = page.locator(".field.has-error", has=page.locator("[name=reporter_phone]"))
    expect(phone.locator(".error")).to_have_text(_vi("A phone number has only digits, spaces and + ( ) . -"))
    expect(form.locator("[name=reporter_name]")).to_have_value("Trần Văn Bình")
    expect(form.locator("[name=reporter_phone]")).to_have_value("abc")
    expect(form.locator("[name=answer]")).not_to_have_value("")  # the right answer stays
    shot(page, "01-phone-refused")
    form.locator("[name=reporter_phone]").fill("0987 111 222")
    form.locator("button[type=submit]").click()  # at once: no "sent too fast"
    page.wait_for_url("/report/thanks/")
    shot(page, "02-sent")
