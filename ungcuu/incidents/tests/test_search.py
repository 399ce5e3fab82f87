"""The incident search on each database (issue 18): PostgreSQL's LIKE on the trigram-indexed column, SQLite's
FTS5 trigram table (incidents.fts); both must find exactly the incidents the folded LIKE finds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ungcuu.core.text import fold
from ungcuu.incidents import fts, services
from ungcuu.incidents.models import Incident

pytestmark = pytest.mark.django_db

TITLES = [
    "Tấn công từ chối dịch vụ vào Cổng thông tin",
    "Mã độc mã hóa dữ liệu trên máy chủ",
    "Thay đổi giao diện trái phép trang tin",
    'Lừa đảo giả mạo "Sở Tài chính" 100% trúng thưởng',
    "Dò quét cổng dịch vụ_SSH",
]
QUERIES = [
    "tan cong",  # without diacritics
    "Tấn công",
    "TẤN CÔNG",
    "cong",  # in several titles
    "dich vu",
    "ma hoa du lieu tren",
    "máy chủ",
    "đảo",  # đ is folded by hand
    "so tai chinh",
    '"so tai',  # a quote inside the query
    "100%",  # LIKE's wildcards are plain characters here
    "vu_ssh",
    "nb-",  # the reference
    "ng",  # too short for a trigram: the plain LIKE
    "zzz không có",  # nothing
]


def _report(province, title: str) -> Incident:
    data = services.ReportInput(
        channel="form",
        title=title,
        description="Phát hiện lúc 08:30; đã cô lập",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="UBND phường Hoa Lư",
        organization=province["unit"],
        system=province["portal"],
    )
    return services.submit_report(actor=province["manager"], data=data).incident


def _found(query: str) -> set[int]:
    return set(Incident.objects.search(query).values_list("pk", flat=True))


def _like(query: str) -> set[int]:
    return set(Incident.objects.filter(search_text__contains=fold(query)).values_list("pk", flat=True))


def test_search_finds_what_the_folded_like_finds_through_each_databases_index(province, settings):
    settings.INCIDENT_REFERENCE_PREFIX = "NB"
    incidents = [_report(province, title) for title in TITLES]

    for query in QUERIES:
        assert _found(query) == _like(query), query
    assert _found("tan cong") == {incidents[0].pk}
    assert _found("cong") == {incidents[0].pk, incidents[4].pk}
    assert _found("đảo") == _found("dao") == {incidents[3].pk}
    assert _found(incidents[2].reference) == {incidents[2].pk}
    assert len(_found("nb-")) == len(TITLES)
    with CaptureQueriesContext(connection) as queries:
        _found("tan cong")
    sql = " ".join(q["sql"] for q in queries)
    assert (fts.TABLE in sql) == (connection.vendor == "sqlite"), sql
    assert ("LIKE" in queries[-1]["sql"]) == (connection.vendor != "sqlite"), sql


def test_a_common_term_keeps_the_like_on_sqlite_with_the_same_rows(province, monkeypatch):
    """Past fts.RARE matches the LIKE walking the list's order is faster than the index (incidents.fts)."""
    incidents = [_report(province, title) for title in TITLES[:3]]
    monkeypatch.setattr(fts, "RARE", 2)

    assert _found("phat hien") == {i.pk for i in incidents} == _like("phat hien")
    assert _found("tan cong") == {incidents[0].pk}  # still rare: the index
    with CaptureQueriesContext(connection) as queries:
        _found("phat hien")
    assert "LIKE" in queries[-1]["sql"]


def test_search_follows_edits_deletes_and_bulk_inserts(province):
    incident = _report(province, "Tấn công từ chối dịch vụ")
    incident.title = "Lộ lọt thông tin đăng nhập"
    incident.save()
    assert _found("tu choi") == set()
    assert _found("lo lot") == {incident.pk}

    bulk = Incident.objects.bulk_create(
        [
            Incident(
                reference="G-1",
                title="x",
                description="y",
                detected_at=timezone.now(),
                search_text="g-1 tra cuu",
            )
        ]
    )[0]
    assert _found("tra cuu") == {bulk.pk} == _like("tra cuu")
    Incident.objects.filter(pk=bulk.pk).delete()
    assert _found("tra cuu") == set()


def test_a_rebuilt_incident_table_gets_its_search_triggers_back(province):
    """SQLite rebuilds a table to alter it, which drops its triggers; `migrate` puts them back (apps.py)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {fts.TABLE}_insert")
    assert fts.repair(connection) == (connection.vendor == "sqlite")
    assert fts.repair(connection) is False  # nothing left to do

    incident = _report(province, "Phát hiện tài khoản lạ")
    assert _found("tai khoan la") == {incident.pk}
