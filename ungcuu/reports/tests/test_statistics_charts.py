"""The statistics page shows its figures at once and asks for the charts not drawn yet in a second request."""

import pytest
from django.urls import reverse

from ungcuu.reports.render import charts

pytestmark = pytest.mark.django_db

H1 = {"year": 2026, "span": "H1"}


@pytest.fixture(autouse=True)
def _quick_charts(monkeypatch):
    # Drawing is the renderers' tests' business: a stand-in PNG per chart kind.
    for name in ("months_chart", "bars_chart", "deadlines_chart"):
        monkeypatch.setattr(charts, name, lambda *inputs, name=name: f"png {name}".encode())


def test_charts_not_drawn_yet_come_in_a_second_request(client_for, coordinator):
    client = client_for(coordinator, language="vi")
    url = reverse("reports:statistics")

    first = client.get(url, H1).content.decode()
    assert 'id="charts-loader"' in first and "Đang vẽ biểu đồ…" in first and 'id="stat-total"' in first
    assert 'hx-get="?year=2026&amp;span=H1&charts=1"' in first
    drawn = client.get(url, {**H1, "charts": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert drawn.count('hx-swap-oob="true"') == 6 and drawn.count("data:image/png;base64,") == 6
    assert 'alt="Sự cố theo loại"' in drawn
    again = client.get(url, H1).content.decode()
    assert "charts-loader" not in again and again.count('<img class="chart"') == 6
