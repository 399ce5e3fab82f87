"""The iCalendar feed: parses with the icalendar library, one all-day VEVENT per occurrence, stable UIDs."""

import datetime

from django.urls import reverse
from icalendar import Calendar

from ungcuu.obligations import engine
from ungcuu.obligations.ical import issue_token


def _feed(client, user):
    response = client.get(reverse("obligations:ical", args=[issue_token(actor=user)]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_feed_parses_and_lists_the_users_occurrences_as_all_day_events(
    client_for, manager, scan_a, dossier_b, today
):
    calendar = _feed(client_for(), manager)
    events = calendar.walk("VEVENT")
    mine = scan_a.organization.obligations.filter(due_on__lte=today + datetime.timedelta(400))
    assert len(events) == mine.count() > 0
    for event in events:
        start = event.decoded("dtstart")
        assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)
        assert event.decoded("dtend") - start == datetime.timedelta(days=1)
        assert str(event["uid"]).endswith("@ungcuu.obligations")
        assert "Beta" not in str(event["summary"])
    scan = next(e for e in events if str(e["uid"]) == f"occurrence-{scan_a.pk}@ungcuu.obligations")
    assert scan.decoded("dtstart") == scan_a.due_on
    assert str(scan["url"]).startswith("http://testserver/obligations/")
    assert calendar["version"] == "2.0" and calendar["prodid"]


def test_uids_are_stable_across_runs_and_regeneration_of_occurrences(client_for, manager, scan_a, today):
    first = [str(e["uid"]) for e in _feed(client_for(), manager).walk("VEVENT")]
    engine.run_obligations(now=today)  # the scheduler runs again: nothing new, same UIDs
    second = [str(e["uid"]) for e in _feed(client_for(), manager).walk("VEVENT")]
    assert first == second and len(set(first)) == len(first)


def test_feed_round_trips_through_the_parser(client_for, manager, scan_a):
    """What a calendar program does: parse, then serialise again without losing an event."""
    calendar = _feed(client_for(), manager)
    again = Calendar.from_ical(calendar.to_ical())
    assert len(again.walk("VEVENT")) == len(calendar.walk("VEVENT"))


def test_bad_or_inactive_token_is_404(client_for, manager, scan_a):
    assert client_for().get(reverse("obligations:ical", args=["not-a-token"])).status_code == 404
    token = issue_token(actor=manager)
    manager.is_active = False
    manager.save()
    assert client_for().get(reverse("obligations:ical", args=[token])).status_code == 404


def test_coordinator_feed_includes_every_unit(client_for, coordinator, scan_a, dossier_b):
    uids = {str(e["uid"]) for e in _feed(client_for(), coordinator).walk("VEVENT")}
    assert f"occurrence-{scan_a.pk}@ungcuu.obligations" in uids
    assert f"occurrence-{dossier_b.pk}@ungcuu.obligations" in uids
