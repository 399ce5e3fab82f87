"""Kept figures as a person sees them (issue 18): the statistics page says when its figures were counted,
keeps them while they are young, and the "Refresh figures" button counts them again now.

Wording is asserted only through the compiled catalogue (`_vi`); everything else is found by id.
"""

import pytest
from playwright.sync_api import expect

from ungcuu.reports.models import FigureSnapshot

from .conftest import log_in
from .test_report_journey import _at, _camera, _report, _vi, first_half, isp, isp_responder  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("first_half")
def test_statistics_show_their_time_and_the_refresh_button_counts_again(
    new_context, settings, manager, health_dept
):
    settings.UNGCUU_FIGURES_MAX_AGE = 300  # the tests count live by default
    shot = _camera("figures")
    page = log_in(new_context(), manager)
    page.goto("/reports/statistics/?year=2026&span=H1")
    expect(page.locator("#stat-total")).to_have_text("3")
    expect(page.locator("#figures-as-of")).to_contain_text(
        _vi("Figures as of %(when)s").split("%")[0].strip()
    )
    assert FigureSnapshot.objects.count() == 1
    # A fourth incident of the half: the kept figures (younger than the max age) still say 3.
    _report(manager, health_dept, _at(6, 1), "ATTACK.MALWARE", "Máy trạm Sở Y tế nhiễm mã độc")
    page.reload()
    expect(page.locator("#stat-total")).to_have_text("3")
    shot(page, "01-kept")
    page.locator("#refresh-figures").click()
    page.wait_for_load_state()
    expect(page.locator("#stat-total")).to_have_text("4")
    expect(page.locator("#figures-as-of")).to_be_visible()
    shot(page, "02-refreshed")
