"""Advisory pages: writing, targeting and publishing; the units' forms (page and HTMX); the matrix;
indicators on incidents; and every endpoint refused to the outsider (404) and the viewer (403)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from ungcuu.advisories.indicators import add_indicator
from ungcuu.advisories.models import (
    Advisory,
    AdvisoryEvent,
    AdvisoryIndicator,
    AdvisorySystemState,
    AdvisoryTarget,
    IncidentIndicator,
    Indicator,
)
from ungcuu.advisories.services import close_advisory
from ungcuu.incidents.models import TimelineEvent

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
NEW = {
    "title": "Lỗ hổng trong WordPress",
    "summary": "Cho phép chèn mã độc.",
    "cve_ids": "CVE-2023-2745",
    "products": "WordPress; WordPress; >=6.0,<6.2.3",
    "recommended_actions": "Cập nhật WordPress.",
    "deadline": "2099-01-01T17:00",
    "tlp": "AMBER",
    "dispatch_number": "",
    "indicators": "198.51.100.23",
}


def snapshot() -> dict:
    models = (Advisory, AdvisoryTarget, AdvisorySystemState, AdvisoryEvent, Indicator, AdvisoryIndicator)
    rows = {m.__name__: list(m.objects.order_by("pk").values_list()) for m in models}
    rows["IncidentIndicator"] = list(IncidentIndicator.objects.values_list())
    rows["timeline"] = TimelineEvent.objects.count()
    return rows


def test_coordinator_writes_targets_and_publishes_through_the_pages(
    client_for, coordinator, tomcat_a, tomcat_b
):
    client = client_for(coordinator)
    products = "Apache; Tomcat; <9.0.80"
    response = client.post("/advisories/new/", {**NEW, "products": products})
    advisory = Advisory.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/advisories/{advisory.pk}/targets/"

    page = client.get(f"/advisories/{advisory.pk}/targets/").content.decode()
    assert f'name="systems" value="{tomcat_a.pk}" checked' in page
    assert f'value="{tomcat_b.pk}" checked' not in page  # org B's patched Tomcat is not proposed

    assert client.post(f"/advisories/{advisory.pk}/targets/", {"systems": [tomcat_a.pk]}).status_code == 302
    assert client.post(f"/advisories/{advisory.pk}/publish/").status_code == 302
    advisory.refresh_from_db()
    assert advisory.status == Advisory.Status.PUBLISHED
    assert [t.organization for t in advisory.targets.all()] == [tomcat_a.operator]
    detail = client.get(f"/advisories/{advisory.pk}/").content.decode()
    assert 'id="matrix-table"' in detail and tomcat_a.operator.name in detail and "198.51.100.23" in detail


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client_for, coordinator):
    response = client_for(coordinator).post(
        "/advisories/new/",
        {**NEW, "products": "Apache; Tomcat; <<9", "cve_ids": "CVE-23-1", "indicators": "not an indicator"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Line 1" in text and "Not a CVE id" in text and "is not an IP address" in text
    assert not Advisory.objects.exists()


def test_publishing_twice_is_a_conflict(client_for, coordinator, advisory):
    response = client_for(coordinator).post(f"/advisories/{advisory.pk}/publish/")
    assert response.status_code == 409 and "cannot become" in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_removing_an_indicator_from_a_closed_advisory_is_refused(client_for, coordinator, advisory, headers):
    """Issue 12: this refusal redirected (302) where every other wrong-state action answers 409."""
    indicator = add_indicator(actor=coordinator, value="198.51.100.44", advisory=advisory).indicator
    close_advisory(actor=coordinator, advisory=advisory)
    url = f"/advisories/{advisory.pk}/indicators/{indicator.pk}/remove/"
    response = client_for(coordinator).post(url, headers=headers)
    assert response.status_code == 409 and "Not possible while" in response.content.decode()
    assert AdvisoryIndicator.objects.filter(advisory=advisory, indicator=indicator).exists()


def test_unit_acknowledges_and_reports_with_htmx(client_for, manager, advisory, target_a, state_a):
    client = client_for(manager)
    index = client.get("/advisories/").content.decode()
    assert (
        f'id="acknowledge-{target_a.pk}"' in index and f'action="/advisories/states/{state_a.pk}/"' in index
    )

    fragment = client.post(f"/advisories/targets/{target_a.pk}/acknowledge/", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert f'id="acknowledge-{target_a.pk}"' not in fragment.content.decode()

    body = {"status": "remediated", "note": "Đã cập nhật 9.0.81"}
    fragment = client.post(f"/advisories/states/{state_a.pk}/", body, headers=HTMX).content.decode()
    assert 'data-state="remediated"' in fragment and "Đã cập nhật 9.0.81" in fragment
    target_a.refresh_from_db()
    assert target_a.status == AdvisoryTarget.Status.COMPLETED


def test_state_form_without_htmx_goes_back_to_the_page(client_for, manager, advisory, state_a):
    response = client_for(manager).post(
        f"/advisories/states/{state_a.pk}/", {"status": "in_progress", "next": "/advisories/"}
    )
    assert response.status_code == 302 and response["Location"] == "/advisories/"
    response = client_for(manager).post(
        f"/advisories/states/{state_a.pk}/", {"status": "in_progress", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/advisories/{advisory.pk}/"


def test_bad_state_is_refused_with_a_message(client_for, manager, advisory, state_a):
    client = client_for(manager)
    response = client.post(f"/advisories/states/{state_a.pk}/", {"status": "done"}, headers=HTMX)
    assert response.status_code == 400 and "Choose a state" in response.content.decode()
    response = client.post(f"/advisories/states/{state_a.pk}/", {"status": "not_affected"}, headers=HTMX)
    assert response.status_code == 400 and "not affected" in response.content.decode()
    state_a.refresh_from_db()
    assert state_a.status == AdvisorySystemState.State.NOT_STARTED


def test_matrix_shows_each_side_its_rows(
    client_for, coordinator, manager, outsider, advisory, target_a, org_a
):
    coordinator_page = (
        client_for(coordinator).get(f"/advisories/matrix/?advisory={advisory.pk}").content.decode()
    )
    assert f'id="matrix-row-{target_a.pk}"' in coordinator_page and org_a.name in coordinator_page
    # Several advisories: the organisations × advisories grid, one cell per target.
    assert (
        f'id="matrix-cell-{target_a.pk}"' in client_for(manager).get("/advisories/matrix/").content.decode()
    )
    outsider_page = client_for(outsider).get("/advisories/matrix/")
    assert outsider_page.status_code == 200 and b"Alpha" not in outsider_page.content
    fragment = client_for(coordinator).get("/advisories/matrix/?show=sent", headers=HTMX).content.decode()
    assert "<html" not in fragment and f'matrix-cell-{target_a.pk}"' in fragment
    done = client_for(coordinator).get("/advisories/matrix/?show=completed").content.decode()
    assert f"matrix-cell-{target_a.pk}" not in done


def test_incident_indicator_says_where_it_was_seen(client_for, coordinator, manager, advisory, incident_a):
    add_indicator(actor=coordinator, value="evil-example.com", advisory=advisory)
    client = client_for(manager)

    fragment = client.post(
        f"/advisories/incidents/{incident_a.pk}/indicators/add/",
        {"value": "EVIL-EXAMPLE[.]COM"},
        headers=HTMX,
    ).content.decode()

    assert 'id="seen-before"' in fragment and f"advisory {advisory.reference}" in fragment
    page = client.get(f"/advisories/incidents/{incident_a.pk}/indicators/").content.decode()
    assert "evil-example.com" in page and advisory.reference in page

    response = client.post(
        f"/advisories/incidents/{incident_a.pk}/indicators/add/", {"value": "203.0.113.300"}
    )
    assert response.status_code == 400 and "is not an IP address" in response.content.decode()
    response = client.post(
        f"/advisories/incidents/{incident_a.pk}/indicators/add/",
        {"value": "198.51.100.44", "next": "/incidents/"},
    )
    assert response.status_code == 302 and response["Location"] == "/incidents/"


def test_incident_indicator_tag_renders_the_section(manager, incident_a):
    request = RequestFactory().get(f"/incidents/{incident_a.pk}/")
    request.user = manager
    html = Template("{% load advisory_tags %}{% incident_indicators incident %}").render(
        Context({"incident": incident_a, "user": manager, "request": request})
    )
    assert 'id="indicators"' in html and 'id="indicator-form"' in html


def test_indicator_search_finds_within_the_gate(
    client_for, coordinator, manager, outsider, advisory, incident_a
):
    add_indicator(actor=manager, value="198.51.100.77", incident=incident_a)
    page = client_for(manager).get("/advisories/indicators/?q=198.51.100[.]77").content.decode()
    assert "198.51.100.77" in page and incident_a.reference in page
    assert (
        "198.51.100.77" not in client_for(outsider).get("/advisories/indicators/?q=198.51").content.decode()
    )


# --- every endpoint, refused ---------------------------------------------------------------------------


def endpoints(advisory, target, state, incident, indicator):
    a, i = advisory.pk, incident.pk
    return [
        ("post", "/advisories/new/", NEW),
        ("get", f"/advisories/{a}/edit/", None),
        ("post", f"/advisories/{a}/edit/", NEW),
        ("get", f"/advisories/{a}/targets/", None),
        ("post", f"/advisories/{a}/targets/", {}),
        ("post", f"/advisories/{a}/publish/", None),
        ("post", f"/advisories/{a}/close/", None),
        ("get", f"/advisories/{a}/dispatch.docx", None),
        ("post", f"/advisories/targets/{target.pk}/acknowledge/", None),
        ("post", f"/advisories/states/{state.pk}/", {"status": "remediated"}),
        ("post", f"/advisories/{a}/indicators/", {"value": "198.51.100.99"}),
        ("post", f"/advisories/{a}/indicators/{indicator.pk}/remove/", None),
        ("post", f"/advisories/incidents/{i}/indicators/add/", {"value": "198.51.100.99"}),
        ("post", f"/advisories/incidents/{i}/indicators/{indicator.pk}/remove/", None),
    ]


@pytest.fixture
def world(coordinator, manager, advisory, target_a, state_a, incident_a):
    indicator = add_indicator(actor=coordinator, value="198.51.100.5", advisory=advisory).indicator
    add_indicator(actor=manager, value="198.51.100.5", incident=incident_a)
    return endpoints(advisory, target_a, state_a, incident_a, indicator)


def test_viewer_is_refused_every_write_and_nothing_changes(client_for, viewer, world):
    before, client = snapshot(), client_for(viewer)
    for method, url, body in world:
        response = getattr(client, method)(url, body or {})
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert snapshot() == before


def test_outsider_gets_404_everywhere_and_nothing_changes(client_for, outsider, world, advisory, incident_a):
    before, client = snapshot(), client_for(outsider)
    for method, url, body in world:
        expected = 403 if url == "/advisories/new/" else 404
        response = getattr(client, method)(url, body or {})
        assert response.status_code == expected, f"{method} {url}: {response.status_code}"
    for url in (f"/advisories/{advisory.pk}/", f"/advisories/incidents/{incident_a.pk}/indicators/"):
        assert client.get(url).status_code == 404
    for url in ("/advisories/", "/advisories/matrix/", "/advisories/indicators/"):
        response = client.get(url)
        assert response.status_code == 200 and b"Alpha" not in response.content, url
    assert snapshot() == before


def test_viewer_reads_what_its_organization_was_sent(client_for, viewer, world, advisory, incident_a):
    client = client_for(viewer)
    detail = client.get(f"/advisories/{advisory.pk}/").content.decode()
    assert advisory.title in detail and "acknowledge-" not in detail  # nothing to acknowledge for a viewer
    assert 'class="filters state-form"' not in detail  # no state forms for a viewer
    for url in ("/advisories/", "/advisories/matrix/", "/advisories/indicators/?q=198.51.100.5"):
        response = client.get(url)
        assert response.status_code == 200 and b"Alpha" in response.content, url
    assert client.get(f"/advisories/incidents/{incident_a.pk}/indicators/").status_code == 200


def test_drafts_are_the_coordinators_alone(client_for, draft, manager, national, coordinator):
    assert client_for(manager).get(f"/advisories/{draft.pk}/").status_code == 404
    assert client_for(national).get(f"/advisories/{draft.pk}/").status_code == 404
    assert client_for(coordinator).get(f"/advisories/{draft.pk}/").status_code == 200


def test_anonymous_goes_to_login(client_for, advisory):
    response = client_for().get(f"/advisories/{advisory.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_answers_for_the_specialised_units_own_systems(
    client_for, coordinator, specialised_unit, draft
):
    from ungcuu.advisories import services
    from ungcuu.systems import services as system_services

    portal = system_services.register_system(
        actor=coordinator,
        name="Cổng thông tin điện tử tỉnh",
        owner=specialised_unit,
        operator=specialised_unit,
        security_level=3,
        software=[{"vendor": "Apache", "product": "Tomcat", "version": "9.0.70"}],
    )
    services.set_targets(actor=coordinator, advisory=draft, systems=[portal])
    services.publish_advisory(actor=coordinator, advisory=draft)
    target = draft.targets.get()
    index = client_for(coordinator).get("/advisories/").content.decode()
    assert f'id="acknowledge-{target.pk}"' in index


def test_editing_a_draft_leads_back_to_its_targets(client_for, coordinator, draft):
    response = client_for(coordinator).post(f"/advisories/{draft.pk}/edit/", {**NEW, "indicators": ""})
    assert response.status_code == 302 and response["Location"] == f"/advisories/{draft.pk}/targets/"
    draft.refresh_from_db()
    assert draft.title == NEW["title"] and [p.product for p in draft.products.all()] == ["WordPress"]
