"""A coordinator filters the incident list, saves the filter under a name and finds it again the next
day from the list; another person never sees it (issue 15), desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from ungcuu.accounts.models import SavedFilter
from ungcuu.incidents.models import Incident

from .conftest import log_in
from .test_incident_journey import (  # noqa: F401 (fixtures)
    _camera,
    _vi,
    commune,
    commune_manager,
    portal,
    reported,
)

# ruff: noqa: F811 (the imported fixtures are parameters of the tests)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "Chờ xác nhận — cổng phường"


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_coordinator_saves_a_filter_and_opens_it_again(
    new_context, coordinator, commune_manager, reported, viewport
):
    shot = _camera(f"saved-filter-{viewport['width']}")
    desk = log_in(new_context(viewport=viewport), coordinator)
    desk.goto("/incidents/")
    filters = desk.locator("#incident-filters")
    filters.locator("[name=status]").select_option("logged")
    desk.wait_for_url(re.compile(r"status=logged"))
    expect(desk.locator("#results")).to_contain_text(reported.reference)
    saved = desk.locator("#saved-filters")
    saved.locator("summary").click()
    saved.locator("[name=name]").fill(NAME)
    shot(desk, "01-naming")
    saved.locator("#save-filter-form button").click()
    desk.wait_for_url(re.compile(r"/incidents/\?status=logged"))
    expect(desk.locator(".msg-success")).to_contain_text(NAME)
    link = desk.locator("#saved-filters a.badge", has_text=NAME)
    expect(link).to_be_visible()
    shot(desk, "02-saved")
    assert SavedFilter.objects.get(user=coordinator).query == "status=logged&per_page=25"  # rows too

    # The next day: the plain list, then one click on the saved filter.
    Incident.objects.filter(pk=reported.pk).update(status="acknowledged")
    desk.goto("/incidents/")
    desk.locator("#saved-filters a.badge", has_text=NAME).click()
    desk.wait_for_url(re.compile(r"status=logged"))
    expect(desk.locator("#incident-filters [name=status]")).to_have_value("logged")
    expect(desk.locator("#results")).not_to_contain_text(reported.reference)  # re-applied, not a snapshot
    shot(desk, "03-reopened")

    unit = log_in(new_context(viewport=viewport), commune_manager)
    unit.goto("/incidents/")
    expect(unit.locator("#saved-filters")).not_to_contain_text(NAME)  # filters are their owner's

    desk.locator("#saved-filters button.link").click()  # delete
    expect(desk.locator("#saved-filters a.badge")).to_have_count(0)
    assert not SavedFilter.objects.exists()
