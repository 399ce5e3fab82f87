"""Issue 16 part 5: the inbox through the API, each person's own rows only (someone else's: 404)."""

import pytest

from ungcuu.notifications import services
from ungcuu.notifications.models import Notification

URL = "/api/v1/notifications/"


def inapp_for(user, subject="Sự cố mới") -> Notification:
    rows = services.notify(event="report_received", subject=subject, body="Nội dung", users=[user])
    return next(r for r in rows if r.channel == Notification.Channel.INAPP)


def test_inbox_lists_only_my_rows_unread_first_and_marks_them_read(world, api_for):
    read = inapp_for(world["responder"], subject="Đã đọc")
    services.mark_read(actor=world["responder"], notification=read)
    unread = inapp_for(world["responder"], subject="Chưa đọc")
    inapp_for(world["outsider"], subject="Của người khác")
    client = api_for(world["responder"], scopes=["read"])
    rows = client.get(URL).json()["results"]
    assert [r["subject"] for r in rows] == ["Chưa đọc", "Đã đọc"]
    marked = client.post(f"{URL}{unread.pk}/read/")
    assert marked.status_code == 200 and marked.json()["is_read"] is True
    inapp_for(world["responder"], subject="Mới nữa")
    assert client.post(f"{URL}read-all/").json() == {"marked": 1}
    assert Notification.objects.inbox_for(world["responder"]).unread().count() == 0


@pytest.mark.parametrize("who", ["outsider", "colleague", "coordinator"])
def test_someone_elses_notification_is_404_and_unchanged(world, api_for, who):
    mine = inapp_for(world["responder"])
    client = api_for(world[who])
    assert client.get(f"{URL}{mine.pk}/").status_code == 404
    assert client.post(f"{URL}{mine.pk}/read/").status_code == 404
    client.post(f"{URL}read-all/")
    mine.refresh_from_db()
    assert mine.read_at is None


def test_inbox_needs_a_token(world, api_for):
    assert api_for().get(URL).status_code == 401
