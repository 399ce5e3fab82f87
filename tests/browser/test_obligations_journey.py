"""In the browser: a unit records its live-fire drill and the coordinator's board turns green.

Drives Debian's chromium through the project's browser plumbing (tests/browser/conftest.py). Wording of
this app is not in the Vietnamese catalog yet, so steps find things by id, name, data attribute or URL.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, log_in, with_authenticator
from ungcuu.accounts.models import User
from ungcuu.obligations import engine
from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.obligations.seed import seed_definitions
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.systems import services as systems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _person(username: str, organization: Organization, **fields) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name="Minh",
                                    last_name="Nguyễn Văn", **fields)  # fmt: skip
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def world(transactional_db):
    province = Organization.objects.create(code="UBND-NB", name="Ủy ban nhân dân tỉnh Ninh Bình",
                                           kind=Kind.PROVINCE_PC)  # fmt: skip
    unit = Organization.objects.create(code="SO-KHCN", name="Sở Khoa học và Công nghệ",
                                       kind=Kind.SPECIALISED_UNIT, parent=province)  # fmt: skip
    health = Organization.objects.create(code="SO-YT", name="Sở Y tế", kind=Kind.OPERATOR, parent=province)
    coordinator = with_authenticator(_person("dieuphoi", unit, platform_role=User.PlatformRole.COORDINATOR))
    manager = _person("quanly.syt", health)
    system = systems.register_system(actor=manager, name="Cổng dịch vụ công Sở Y tế", owner=province,
                                     operator=health, security_level=3)  # fmt: skip
    seed_definitions(ObligationDefinition)  # a transactional test's flush removed the migration's rows
    # Only the yearly live-fire drill, so the board's colour is that one obligation's.
    ObligationDefinition.objects.exclude(code="LIVE_FIRE_DRILL").update(active=False)
    today = timezone.localdate()
    engine.generate_occurrences(since=datetime.date(today.year - 1, 1, 1), until=today, now=today)
    engine.run_obligations(now=today)
    drill = Occurrence.objects.get(system=system, due_on=datetime.date(today.year - 1, 12, 31))
    # Warm the URLconf and templates in-process (the live server shares them), so the first page of a
    # loaded CI machine does not eat the 5 s step budget.
    warm = Client()
    warm.force_login(manager)
    for path in (
        "/accounts/login/",
        "/obligations/",
        f"/obligations/{drill.pk}/",
        "/obligations/compliance/",
    ):
        warm.get(path)
    return {"coordinator": coordinator, "manager": manager, "drill": drill, "today": today}


def test_recorded_drill_turns_the_yearly_obligation_green(world, new_context, shot):
    drill = world["drill"]
    board = log_in(new_context(), world["coordinator"])
    board.goto("/obligations/compliance/")
    row = board.locator('tr[data-org="SO-YT"]')
    expect(row).to_have_attribute("data-colour", "danger")
    shot(board, "01-board-overdue")

    unit = log_in(new_context(), world["manager"])
    unit.goto(f"/obligations/?month={drill.due_on:%Y-%m}")
    shot(unit, "02-calendar-month")
    unit.locator(f'a.item[href="/obligations/{drill.pk}/"]').click()
    unit.wait_for_url(re.compile(rf"/obligations/{drill.pk}/$"))
    # Done on its due day: under the rolling drill year (DRILL_YEAR_RULE) this year's drill then falls due
    # on 31 December, whatever the day the test runs (an earlier day of last year makes it overdue by now).
    unit.fill("[name=done_on]", f"{drill.due_on:%Y-%m-%d}")
    unit.fill("[name=link]", "https://syt.example.gov.vn/bien-ban-dien-tap-thuc-chien")
    unit.fill("[name=note]", "Biên bản diễn tập thực chiến: tấn công từ chối dịch vụ")
    shot(unit, "03-mark-done")
    unit.locator("#occurrence-actions button.primary").click()
    expect(unit.locator("#occurrence-actions .badge.ok")).to_be_visible()
    shot(unit, "04-done")

    board.reload()
    expect(row).to_have_attribute("data-colour", "ok")
    expect(row).to_contain_text("100%")
    shot(board, "05-board-green")


def test_calendar_is_usable_on_a_phone(world, new_context, shot):
    phone = log_in(new_context(viewport={"width": 375, "height": 740}), world["manager"])
    phone.goto(f"/obligations/?month={world['drill'].due_on:%Y-%m}")
    item = phone.locator(f'a.item[href="/obligations/{world["drill"].pk}/"]')
    expect(item).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the calendar widens the page on a phone"
    shot(phone, "01-phone-month")
    phone.locator("a.btn", has_text="→").click()  # htmx: next month without a page load
    expect(phone.locator(".calnav h2")).not_to_have_text(f"{world['drill'].due_on:%m/%Y}")
    shot(phone, "02-phone-next-month")
