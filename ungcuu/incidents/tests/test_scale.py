"""What keeps the incident pages the same speed at a million incidents (issue 18), checked for behaviour:
containment stamped when it happens, a capped count with a keyset continuation, charts drawn once."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from ungcuu.core import pagination
from ungcuu.incidents import presenters, services
from ungcuu.incidents.models import Incident, Status
from ungcuu.reports import statistics
from ungcuu.reports.render import charts

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _report(province, title: str):
    data = services.ReportInput(
        channel="form",
        title=title,
        description="Trang chủ hiển thị nội dung lạ",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="UBND phường Hoa Lư",
        organization=province["unit"],
        system=province["portal"],
    )
    return services.submit_report(actor=province["manager"], data=data).incident


def test_the_first_move_at_or_past_containment_is_stamped_and_kept(province):
    coord = province["coord"]
    with time_machine.travel(START, tick=False):
        incident = _report(province, "Thay đổi giao diện")
        services.acknowledge(actor=coord, incident=incident)
        incident = services.classify(
            actor=coord, incident=incident, category="ATTACK.DEFACEMENT", harms=[], exceeds_capacity=False
        )
        incident = services.change_status(actor=coord, incident=incident, to=Status.FIRST_ACTIONS)
    assert incident.contained_at is None
    with time_machine.travel(START + datetime.timedelta(hours=30), tick=False):
        incident = services.change_status(actor=coord, incident=incident, to=Status.ERADICATED)
    with time_machine.travel(START + datetime.timedelta(hours=50), tick=False):
        incident = services.change_status(actor=coord, incident=incident, to=Status.RESTORED)

    incident.refresh_from_db()
    assert incident.contained_at == START + datetime.timedelta(hours=30)  # the first one, not the last


def test_a_capped_list_says_more_than_and_continues_by_keyset(province, client_for, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(presenters, "PAGE_SIZES", (2, 50))  # the list's rows-per-page choice (issue 15)
    for n in range(7):
        with time_machine.travel(START + datetime.timedelta(hours=n), tick=False):
            _report(province, f"Sự cố số {n}")
    client = client_for(province["coord"])

    first = client.get("/incidents/?page=2")  # 3 counted rows, 2 a page: the last counted page
    assert first.status_code == 200
    html = first.content.decode()
    assert "Sự cố số 4" in html and "Sự cố số 3" not in html
    cursor = first.context["page"].next_cursor
    assert cursor  # the capped list goes on past its count

    older = client.get("/incidents/", {"after": cursor})
    titles = [i.title for i in older.context["page"]]
    assert titles == ["Sự cố số 3", "Sự cố số 2"]
    last = client.get("/incidents/", {"after": older.context["page"].next_cursor})
    assert [i.title for i in last.context["page"]] == ["Sự cố số 1", "Sự cố số 0"]
    assert not last.context["page"].has_next()


def test_a_search_counts_to_its_own_smaller_cap_and_continues_by_keyset(province, client_for, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 100)
    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    monkeypatch.setattr(presenters, "PAGE_SIZES", (2, 50))
    for n in range(5):
        with time_machine.travel(START + datetime.timedelta(hours=n), tick=False):
            _report(province, f"Lừa đảo số {n}")
    _report(province, "Mã độc tống tiền")  # not matched by the search
    client = client_for(province["coord"])

    listed = client.get("/incidents/")  # no search: the list's own cap, an exact count
    assert (listed.context["page"].paginator.count, listed.context["page"].paginator.capped) == (6, False)
    found = client.get("/incidents/", {"q": "lua dao", "page": 2})  # without diacritics
    page = found.context["page"]
    assert (page.paginator.count, page.paginator.capped) == (3, True)
    assert "More than 3 incidents" in found.content.decode()
    older = client.get("/incidents/", {"q": "lua dao", "after": page.next_cursor})
    assert [i.title for i in older.context["page"]] == ["Lừa đảo số 1", "Lừa đảo số 0"]


def test_a_capped_list_never_counts_past_the_cap(province, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    for n in range(4):
        _report(province, f"Sự cố {n}")
    paginator = pagination.CappedPaginator(Incident.objects.order_by("-pk"), 25)
    assert (paginator.count, paginator.capped) == (2, True)


def test_charts_are_drawn_once_for_the_same_figures(province, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    drawn = []
    real = charts.bars_chart
    monkeypatch.setattr(charts, "bars_chart", lambda *a, **k: drawn.append(a[1]) or real(*a, **k))
    from ungcuu.core.periods import Period
    from ungcuu.reports.access import Scope

    stats = statistics.build_statistics(
        scope=Scope.province(), period=Period.year(2026), user=province["coord"]
    )
    first = statistics.statistics_charts(stats)
    count = len(drawn)
    second = statistics.statistics_charts(stats)

    assert count > 0 and len(drawn) == count  # the second page view drew nothing
    assert first == second


def test_a_deep_page_gives_the_rows_of_the_plain_offset(province, national):
    """A page past the first reads its keys first (`pk IN (… LIMIT OFFSET)`, issue 18, fifth session): the
    same rows in the same order as slicing the list, for each person, ties on `reported_at` and
    confidential incidents included."""
    for n in range(9):
        with time_machine.travel(START + datetime.timedelta(hours=n // 3), tick=False):  # three per moment
            incident = _report(province, f"Sự cố số {n}")
        Incident.objects.filter(pk=incident.pk).update(confidential=n % 4 == 0)
    people = ("coord", "manager", "responder", "viewer", "outsider")
    for person in [province[p] for p in people] + [national]:
        listed = Incident.objects.visible_to(person).with_reported_late().for_list()
        listed = listed.order_by("-reported_at", "-pk")
        paginator = pagination.CappedPaginator(listed, 2)
        for number in paginator.page_range:
            page = paginator.page(number)
            bottom = (number - 1) * 2
            expected = list(listed[bottom : bottom + 2])
            assert [(i.pk, i.is_reported_late) for i in page] == [
                (i.pk, i.is_reported_late) for i in expected
            ]
        assert sum(len(paginator.page(n)) for n in paginator.page_range) == listed.count()
