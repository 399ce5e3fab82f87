"""The compliance board through the API (issue 16 part 5): the page's own rows, overdue list and files,
for the organizations the caller sees."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ungcuu.obligations import engine
from ungcuu.obligations.api import ComplianceSerializer
from ungcuu.obligations.compliance import Board
from ungcuu.obligations.models import ObligationDefinition, Occurrence

URL = "/api/v1/obligations/compliance/"
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def year(db, system_a, system_b):
    """A year of the per-system duties, as the scheduler would have made it; org A met one on time and
    one late, the rest of the past ones are overdue."""
    ObligationDefinition.objects.filter(applies_to_systems=False).update(active=False)
    today = timezone.localdate()
    engine.generate_occurrences(since=today - datetime.timedelta(days=364), until=today, now=today)
    engine.mark_overdue(today)
    past = list(
        Occurrence.objects.filter(organization=system_a.operator, due_on__lte=today).order_by("due_on")
    )
    Occurrence.objects.filter(pk=past[0].pk).update(status="done", done_on=past[0].due_on)
    Occurrence.objects.filter(pk=past[1].pk).update(
        status="done", done_on=past[1].due_on + datetime.timedelta(5)
    )
    return past


def _page(client_for, user) -> dict:
    page = client_for(user).get(reverse("obligations:compliance"))
    shown = Board(page.context["today"], page.context["rows"], page.context["overdue_items"])
    return ComplianceSerializer(shown).data


def test_the_board_is_the_pages_for_each_caller(api_for, client_for, coordinator, viewer, outsider, year):
    for user in (coordinator, viewer, outsider):
        answer = api_for(user).get(URL)
        assert answer.status_code == 200 and answer.json() == _page(client_for, user), user

    board = api_for(coordinator).get(URL).json()
    assert board["today"] == "2026-09-15"
    assert {r["organization_code"] for r in board["rows"]} == {"SO-ALPHA", "SO-BETA"}
    alpha = next(r for r in board["rows"] if r["organization_code"] == "SO-ALPHA")
    assert (alpha["total"], alpha["on_time"], alpha["late"]) == (len(year), 1, 1)
    assert alpha["overdue"] == len(year) - 2 and alpha["colour"] == "danger"
    assert {o["organization_name"] for o in board["overdue"]} >= {"Sở Thử nghiệm Alpha"}
    # A read-only member sees its unit's row and overdue duties only; the outsider nothing of org A's.
    mine = api_for(viewer).get(URL)
    assert [r["organization_code"] for r in mine.json()["rows"]] == ["SO-ALPHA"]
    theirs = api_for(outsider).get(URL)
    assert [r["organization_code"] for r in theirs.json()["rows"]] == ["SO-BETA"]
    assert b"Alpha" not in theirs.content and b"SO-ALPHA" not in theirs.content


def test_the_boards_files_are_the_pages_exports(api_for, client_for, viewer, outsider, year):
    page_csv = client_for(viewer).get(reverse("obligations:compliance"), {"export": "csv"})
    api_csv = api_for(viewer).get(URL, {"download": "csv"})
    assert api_csv.status_code == 200 and api_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert api_csv["Content-Disposition"] == 'attachment; filename="compliance-2026-09-15.csv"'
    assert api_csv.content == page_csv.content and b"SO-ALPHA" in api_csv.content

    def cells(response):
        return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    api_xlsx = api_for(viewer).get(URL, {"download": "xlsx"})
    assert api_xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in api_xlsx["Content-Disposition"]
    page_xlsx = client_for(viewer).get(reverse("obligations:compliance"), {"export": "xlsx"})
    assert cells(api_xlsx) == cells(page_xlsx) and cells(api_xlsx)[2][0] == "SO-ALPHA"
    assert b"SO-ALPHA" not in api_for(outsider).get(URL, {"download": "csv"}).content


def test_the_board_refuses_what_it_does_not_take(api_for, coordinator, year):
    client = api_for(coordinator)
    unknown = client.get(URL, {"export": "csv"})  # the page's name: not the API's
    assert unknown.status_code == 400 and "export" in unknown.json()
    assert "download" in client.get(URL, {"download": "pdf"}).json()
    assert client.get(URL, {"organization": 1}).status_code == 400
    assert client.post(URL, {}, format="json").status_code == 405


def test_the_board_needs_the_read_scope(api_for, viewer, year):
    assert api_for(viewer, scopes=["report"]).get(URL).status_code == 403
    assert api_for(viewer, scopes=["read"]).get(URL).status_code == 200
    assert api_for(None).get(URL).status_code in (401, 403)
