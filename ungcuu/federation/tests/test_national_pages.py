"""The national instance's own pages: form 05 received per province and period, one province's form 05,
national totals (checked against figures added up by hand), and the national menus."""

from __future__ import annotations

import re

import pytest

from ungcuu.federation.models import NationalStatistics, Peer
from ungcuu.federation.tests.conftest import as_national, form05, row, signed_post, statistics_message

HN_SECRET = "another-secret-of-ha-nam-0123456"
NB = form05(
    "Sở Khoa học và Công nghệ tỉnh Ninh Bình",
    row("ATTACK.MALWARE", "Mã độc", 3, 2, 1, 0, 1, 5_000_000),
    row("ATTACK.DOS", "DoS", 1, 1, 0, 0, 0, 0),
)
HN = form05(
    "Sở Khoa học và Công nghệ tỉnh Hà Nam",
    row("ATTACK.MALWARE", "Mã độc", 2, 1, 0, 1, 1, 2_500_000),
    row("ATTACK.ESPIONAGE", "Gián điệp", 4, 0, 4, 0, 2, 10_000_000),
    row("ATTACK.QUANTUM", "Kiểu tấn công mới", 1, 1, 0, 0, 0, 0),  # a code only Hà Nam knows
)


@pytest.fixture
def received(federation):
    """What two provinces sent up for 2026-R6 (and Ninh Bình for 2025-RY), through the real endpoint."""
    Peer.objects.create(code="HN", name="Hà Nam", base_url="http://hn.test", secret=HN_SECRET)
    Peer.objects.create(code="TB", name="Thái Bình", base_url="http://tb.test", secret=HN_SECRET + "x")
    assert signed_post(statistics_message("NB", "2026-R6", NB)).status_code == 200
    assert (
        signed_post(statistics_message("HN", "2026-R6", HN), code="HN", secret=HN_SECRET).status_code == 200
    )
    assert signed_post(statistics_message("NB", "2025-RY", NB, seq=2)).status_code == 200
    return NationalStatistics.objects.all()


def cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
        for r in rows
    ]


def test_national_totals_are_the_sum_of_the_provinces_rows(received, client_for, national):
    with as_national():
        html = client_for(national, language="vi").get("/federation/totals/2026-R6/").content.decode()
    totals = {line[1]: line[2:] for line in cells(html, "totals-table")[1:]}
    # By hand: malware 3+2 incidents, 2+1 by itself, 1+0 domestic, 0+1 foreign, 1+1 national, 7,500,000 VND.
    assert totals["Tấn công sử dụng mã độc"] == ["5", "3", "1", "1", "2", "7.500.000"]
    assert totals["Từ chối dịch vụ"] == ["1", "1", "0", "0", "0", "0"]
    assert totals["Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu"] == [
        "4",
        "0",
        "4",
        "0",
        "2",
        "10.000.000",
    ]
    assert totals["Kiểu tấn công mới"] == ["1", "1", "0", "0", "0", "0"]
    assert totals["Tổng cộng"] == ["11", "5", "5", "1", "4", "17.500.000"]
    by_province = {line[0]: line[1:] for line in cells(html, "provinces-totals")[1:]}
    assert by_province["NB Ninh Bình"][:6] == ["4", "3", "1", "0", "1", "5.000.000"]
    assert by_province["HN Hà Nam"][:6] == ["7", "2", "4", "1", "3", "12.500.000"]
    assert by_province["TB Thái Bình"] == ["Chưa nhận được"]  # registered, sent nothing: not counted


def test_received_list_and_one_provinces_form05(received, client_for, national):
    with as_national():
        client = client_for(national, language="vi")
        listing = client.get("/federation/form05/?period=2026-R6").content.decode()
        assert "Sở Khoa học và Công nghệ tỉnh Hà Nam" in listing
        assert "/federation/form05/NB/2025-RY/" not in listing  # another period, filtered out
        page = client.get("/federation/form05/HN/2026-R6/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Mẫu số 05" in text and "VÀ CÔNG NGHỆ TỈNH HÀ NAM" in text  # the province's names
        assert "Kiểu tấn công mới" in text and "12.500.000" in text
        download = client.get("/federation/form05/HN/2026-R6/?download=docx")
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="mau05-2026-R6-HN.docx"'
        assert client.get("/federation/form05/HN/2025-RY/").status_code == 404  # Hà Nam sent no such thing
        assert client.get("/federation/totals/2026-H9/").status_code == 404
        assert client.get("/federation/totals/").url == "/federation/totals/2026-R6/"  # the latest received


@pytest.mark.parametrize("persona", ["outsider", "viewer", "coordinator"])
def test_national_pages_are_hidden_from_everyone_else(received, client_for, request, persona):
    user = request.getfixturevalue(persona)
    with as_national():
        for url in ("/federation/form05/", "/federation/form05/NB/2026-R6/", "/federation/totals/2026-R6/"):
            assert client_for(user).get(url).status_code == 404


def test_national_pages_do_not_exist_on_a_province(received, client_for, national, coordinator):
    for user in (national, coordinator):
        assert client_for(user).get("/federation/form05/").status_code == 404
        assert client_for(user).get("/federation/totals/2026-R6/").status_code == 404


@pytest.mark.parametrize(
    "figures, period",
    [
        ({**NB, "rows": [*NB["rows"][:-1], {**NB["rows"][-1], "count": 99}]}, "2026-R6"),  # total ≠ sum
        (
            {
                **NB,
                "rows": [row("ATTACK.DOS", "DoS", -1, 0, 0, 0, 0, 0), row("TOTAL", "", -1, 0, 0, 0, 0, 0)],
            },
            "2026-R6",
        ),
        ({**NB, "rows": [row("ATTACK.DOS", "DoS", 1, 0, 0, 0, 0, 0)]}, "2026-R6"),  # no total row
        ({**NB, "rows": "many"}, "2026-R6"),
        (NB, "2026-R9"),
    ],
)
def test_figures_that_do_not_add_up_are_refused_and_not_stored(federation, figures, period):
    response = signed_post(statistics_message("NB", period, figures))
    assert response.status_code == 400
    assert not NationalStatistics.objects.exists()


def mainnav(html: str) -> str:
    return html.split('<nav class="mainnav">', 1)[1].split("</nav>", 1)[0]


def test_national_instance_shows_the_national_menus(received, client_for, national):
    with as_national():
        nav = mainnav(client_for(national).get("/federation/").content.decode())
    for link in ("/federation/form05/", "/federation/totals/", "/federation/inbox/", "/federation/advisory/"):
        assert f'href="{link}"' in nav
    for link in ("/incidents/", "/systems/", "/obligations/", "/reports/", "/vulnerabilities/"):
        assert f'href="{link}"' not in nav  # the province's registers stay empty here


def test_province_menus_are_unchanged(federation, client_for, coordinator):
    nav = mainnav(client_for(coordinator).get("/").content.decode())
    for link in ("/incidents/", "/systems/", "/obligations/", "/reports/", "/federation/"):
        assert f'href="{link}"' in nav
    assert "/federation/form05/" not in nav and "/federation/totals/" not in nav
