"""Pages: calendar, occurrence, mark done, waive; each with the outsider (404) and the viewer (403)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungcuu.obligations.models import CalendarToken, Occurrence, OccurrenceEvent

Status = Occurrence.Status


def _state(occurrence):
    occurrence.refresh_from_db()
    return occurrence.status, occurrence.done_on, occurrence.waived_reason


def test_calendar_shows_own_occurrences_and_not_other_units(client_for, viewer, scan_a, dossier_b):
    month = scan_a.due_on.strftime("%Y-%m")
    page = client_for(viewer).get(reverse("obligations:index"), {"month": month})
    assert page.status_code == 200
    assert "Cổng thông tin điện tử Alpha" in page.content.decode()
    assert "Beta" not in page.content.decode()


def test_calendar_list_view_and_htmx_month_navigation(client_for, manager, scan_a):
    month = scan_a.due_on.strftime("%Y-%m")
    listing = client_for(manager).get(reverse("obligations:index"), {"month": month, "view": "list"})
    assert "Vulnerability scanning" in listing.content.decode()
    fragment = client_for(manager).get(
        reverse("obligations:index"), {"month": month}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b'class="cal"' in fragment.content


def test_calendar_filters_by_organization(client_for, coordinator, scan_a, dossier_b):
    month = scan_a.due_on.strftime("%Y-%m")
    url = reverse("obligations:index")
    page = client_for(coordinator).get(url, {"month": month, "organization": scan_a.organization_id})
    body = page.content.decode()
    assert "Cổng thông tin điện tử Alpha" in body and "Hệ thống một cửa Beta" not in body


def test_bad_calendar_parameters_fall_back_to_this_month(client_for, manager):
    page = client_for(manager).get(reverse("obligations:index"), {"month": "2026-13", "view": "x"})
    assert page.status_code == 200


def test_occurrence_detail_for_member_404_for_outsider(client_for, viewer, outsider, scan_a):
    url = reverse("obligations:occurrence", args=[scan_a.pk])
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url).status_code == 404


def test_manager_marks_done_with_a_file(client_for, manager, scan_a, today):
    upload = SimpleUploadedFile("bao-cao-ra-quet.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    response = client_for(manager).post(
        reverse("obligations:done", args=[scan_a.pk]), {"file": upload, "note": "Nessus"}
    )
    assert response.status_code == 302
    scan_a.refresh_from_db()
    assert scan_a.status == Status.DONE and scan_a.done_on == today and scan_a.evidence_kind == "file"
    download = client_for(manager).get(reverse("obligations:file", args=[scan_a.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 scan"


def test_manager_marks_done_with_a_link_over_htmx(client_for, manager, scan_a):
    response = client_for(manager).post(
        reverse("obligations:done", args=[scan_a.pk]),
        {"link": "https://vanban.example.gov.vn/123"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("obligations:occurrence", args=[scan_a.pk])
    scan_a.refresh_from_db()
    assert scan_a.evidence_kind == "link" and scan_a.evidence_link.endswith("/123")


def test_marking_done_needs_some_proof_and_a_date_that_is_not_future(client_for, manager, scan_a, today):
    url = reverse("obligations:done", args=[scan_a.pk])
    empty = client_for(manager).post(url, {})
    assert empty.status_code == 400 and "Say what proves it" in empty.content.decode()
    future = (today + datetime.timedelta(days=3)).isoformat()
    later = client_for(manager).post(url, {"note": "x", "done_on": future})
    assert later.status_code == 400 and "future" in later.content.decode()
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    refused = client_for(manager).post(url, {"file": bad})
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    assert _state(scan_a)[0] == Status.DUE


def test_viewer_and_responder_may_not_mark_done(client_for, viewer, responder, scan_a):
    url = reverse("obligations:done", args=[scan_a.pk])
    before = _state(scan_a)
    for user in (viewer, responder):
        assert client_for(user).post(url, {"note": "done"}).status_code == 403
        assert client_for(user).get(url).status_code == 405
    assert _state(scan_a) == before and not OccurrenceEvent.objects.filter(occurrence=scan_a).exists()


def test_outsider_gets_404_marking_done(client_for, outsider, scan_a):
    before = _state(scan_a)
    assert (
        client_for(outsider).post(reverse("obligations:done", args=[scan_a.pk]), {"note": "x"}).status_code
        == 404
    )
    assert _state(scan_a) == before


def test_done_twice_is_a_conflict(client_for, manager, scan_a):
    url = reverse("obligations:done", args=[scan_a.pk])
    assert client_for(manager).post(url, {"note": "first"}).status_code == 302
    assert client_for(manager).post(url, {"note": "second"}).status_code == 409
    scan_a.refresh_from_db()
    assert scan_a.evidence_note == "first"


def test_coordinator_waives_with_a_reason(client_for, coordinator, scan_a):
    url = reverse("obligations:waive", args=[scan_a.pk])
    assert client_for(coordinator).post(url, {"reason": ""}).status_code == 400
    assert client_for(coordinator).post(url, {"reason": "Hệ thống ngừng hoạt động"}).status_code == 302
    scan_a.refresh_from_db()
    assert scan_a.status == Status.WAIVED and scan_a.waived_by == coordinator


@pytest.mark.parametrize("persona", ["viewer", "manager"])
def test_only_the_coordinator_waives(client_for, request, persona, scan_a):
    before = _state(scan_a)
    user = request.getfixturevalue(persona)
    assert (
        client_for(user).post(reverse("obligations:waive", args=[scan_a.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert _state(scan_a) == before


def test_outsider_gets_404_waiving(client_for, outsider, scan_a):
    before = _state(scan_a)
    assert (
        client_for(outsider).post(reverse("obligations:waive", args=[scan_a.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert _state(scan_a) == before


def test_evidence_file_is_404_for_the_outsider_and_when_there_is_none(client_for, viewer, outsider, scan_a):
    url = reverse("obligations:file", args=[scan_a.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 404  # nothing uploaded yet


def _made_link(response) -> str:
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    return response.context["feed_url"].removeprefix("http://testserver")


def test_feed_link_is_shown_once_and_regenerates(client_for, manager):
    client = client_for(manager)
    client.get(reverse("obligations:index"))
    assert not CalendarToken.objects.filter(user=manager).exists()  # a GET makes no secret
    old = _made_link(client.post(reverse("obligations:ical_regenerate")))
    secret = old.rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in client.get(reverse("obligations:index")).content.decode()  # never shown again
    assert not CalendarToken.objects.filter(digest=secret).exists()  # only its digest is stored
    new = _made_link(client.post(reverse("obligations:ical_regenerate")))
    assert new != old
    assert client_for().get(old).status_code == 404
    assert client_for().get(new).status_code == 200


def test_feed_link_can_be_revoked(client_for, manager):
    client = client_for(manager)
    link = _made_link(client.post(reverse("obligations:ical_regenerate")))
    assert client.post(reverse("obligations:ical_revoke")).status_code == 302
    assert client_for().get(link).status_code == 404
    assert not CalendarToken.objects.filter(user=manager).exists()


def test_revoking_touches_only_the_callers_link(client_for, manager, outsider):
    theirs = _made_link(client_for(outsider).post(reverse("obligations:ical_regenerate")))
    client_for(manager).post(reverse("obligations:ical_revoke"))
    assert client_for().get(theirs).status_code == 200


def test_anonymous_is_sent_to_login(client_for, scan_a):
    for name, args in [("obligations:index", []), ("obligations:occurrence", [scan_a.pk]),
                       ("obligations:compliance", []), ("obligations:definitions", [])]:  # fmt: skip
        response = client_for().get(reverse(name, args=args))
        assert response.status_code == 302 and "/login" in response["Location"]
