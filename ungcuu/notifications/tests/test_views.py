"""Inbox, read marks, badge and the delivery table: each user sees and touches only their own rows."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import force_login
from ungcuu.notifications import services
from ungcuu.notifications.delivery import deliver
from ungcuu.notifications.models import Notification
from ungcuu.notifications.tests.conftest import FAILING

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client_for(db):
    def make(user=None) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # Accept-Language is ignored (Vietnamese first)
        if user is not None:
            force_login(client, user)
        return client

    return make


def inapp_for(user, subject="Sự cố mới", **kwargs) -> Notification:
    rows = services.notify(event="report_received", subject=subject, body="Nội dung", users=[user], **kwargs)
    return next(r for r in rows if r.channel == Notification.Channel.INAPP)


def test_inbox_lists_only_my_notifications_unread_first(world, client_for):
    read = inapp_for(world["responder"], subject="Alpha đã đọc")
    services.mark_read(actor=world["responder"], notification=read)
    inapp_for(world["responder"], subject="Alpha chưa đọc")
    inapp_for(world["outsider"], subject="Beta riêng")
    page = client_for(world["responder"]).get(reverse("notifications:inbox")).content.decode()
    assert "Beta" not in page
    assert page.index("Alpha chưa đọc") < page.index("Alpha đã đọc")
    assert "1 unread" in page


def test_coordinator_inbox_holds_only_their_own_notifications(world, client_for):
    inapp_for(world["responder"], subject="Alpha")
    response = client_for(world["coordinator"]).get(reverse("notifications:inbox"))
    assert response.status_code == 200 and "Alpha" not in response.content.decode()


def test_inbox_needs_login(world, client_for):
    response = client_for().get(reverse("notifications:inbox"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "colleague", "coordinator"])
def test_marking_someone_elses_notification_read_is_404_and_changes_nothing(world, client_for, who):
    mine = inapp_for(world["responder"])
    client = client_for(world[who])
    for name in ("notifications:mark_read", "notifications:open"):
        assert client.post(reverse(name, args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_e_mail_rows_are_not_in_anyones_inbox(world, client_for):
    rows = services.notify(event="e", subject="s", body="b", users=[world["responder"]])
    email = next(r for r in rows if r.channel == Notification.Channel.EMAIL)
    response = client_for(world["responder"]).post(reverse("notifications:mark_read", args=[email.pk]))
    assert response.status_code == 404


def test_mark_read_by_htmx_returns_the_item_and_refreshes_the_badge(world, client_for):
    first, _second = inapp_for(world["responder"]), inapp_for(world["responder"])
    response = client_for(world["responder"]).post(
        reverse("notifications:mark_read", args=[first.pk]), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html and 'hx-swap-oob="true"' in html
    assert '">1</span>' in html
    first.refresh_from_db()
    assert first.read_at is not None


def test_mark_read_is_post_only(world, client_for):
    mine = inapp_for(world["responder"])
    assert (
        client_for(world["responder"]).get(reverse("notifications:mark_read", args=[mine.pk])).status_code
        == 405
    )


def test_mark_all_read(world, client_for):
    inapp_for(world["responder"]), inapp_for(world["responder"]), inapp_for(world["colleague"])
    response = client_for(world["responder"]).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert Notification.objects.inbox_for(world["responder"]).unread().count() == 0
    assert Notification.objects.inbox_for(world["colleague"]).unread().count() == 1


def test_open_marks_read_and_follows_only_local_links(world, client_for):
    local = inapp_for(world["responder"], link="/incidents/7/")
    foreign = inapp_for(world["responder"], link="https://evil.example/phish")
    client = client_for(world["responder"])
    assert client.post(reverse("notifications:open", args=[local.pk]))["Location"] == "/incidents/7/"
    assert client.post(reverse("notifications:open", args=[foreign.pk]))["Location"] == reverse(
        "notifications:inbox"
    )
    assert Notification.objects.inbox_for(world["responder"]).unread().count() == 0


def test_badge_counts_my_unread_and_stops_polling_when_logged_out(world, client_for):
    inapp_for(world["responder"]), inapp_for(world["responder"]), inapp_for(world["outsider"])
    html = client_for(world["responder"]).get(reverse("notifications:badge")).content.decode()
    assert 'id="notification-badge"' in html and '">2</span>' in html
    assert client_for().get(reverse("notifications:badge")).status_code == 286


def test_badge_stops_counting_past_its_cap_and_says_so(world, client_for, monkeypatch):
    """The header asks on every page, so it counts at most BADGE_CAP + 1 unread rows (issue 18)."""
    monkeypatch.setattr("ungcuu.notifications.models.BADGE_CAP", 3)
    monkeypatch.setattr("ungcuu.notifications.views.BADGE_CAP", 3)
    for _ in range(3):
        inapp_for(world["responder"])
    client = client_for(world["responder"])
    at_cap = client.get(reverse("notifications:badge")).content.decode()
    inapp_for(world["responder"])
    over = client.get(reverse("notifications:badge")).content.decode()

    assert '">3</span>' in at_cap and "3 unread notifications" in at_cap
    assert '">3+</span>' in over and "More than 3 unread notifications" in over
    inapp_for(world["responder"])
    assert Notification.objects.inbox_for(world["responder"]).badge_count() == 4  # 5 unread: cap + 1


def test_bell_tag_renders_for_the_header(world):
    inapp_for(world["responder"])
    request = RequestFactory().get("/")
    template = Template("{% load notification_tags %}{% notification_bell %}")
    request.user = world["responder"]
    assert '">1</span>' in template.render(Context({"request": request}))
    request.user = AnonymousUser()
    assert template.render(Context({"request": request})).strip() == ""


def test_delivery_state_is_visible_to_coordinators_only(world, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            event="report_received",
            subject="s",
            body="b",
            organizations=[world["unit"]],
            incident=world["incident"],
        )
    rows = world["incident"].notifications
    html = render_to_string(
        "notifications/_delivery.html", {"notifications": rows.visible_to(world["coordinator"])}
    )
    assert "Sở Y tế: daumoi@soyte.example.gov.vn" in html
    assert "Failed (will retry)" in html and "SMTPException" in html
    assert rows.visible_to(world["coordinator"]).count() == 4  # 2 e-mails + 2 members in-app
    assert rows.visible_to(world["outsider"]).count() == 0
    assert set(rows.visible_to(world["responder"]).values_list("channel", "recipient_user")) == {
        ("inapp", world["responder"].pk)
    }


def test_delivery_table_shows_sent_and_dead_rows(world, settings):
    settings.NOTIFICATION_RETRY_BACKOFF = []
    settings.MAILERS = FAILING
    rows = services.notify(
        event="e",
        subject="s",
        body="b",
        addresses=["x@example.com", "y@example.com"],
        incident=world["incident"],
    )
    deliver(rows[0].pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    deliver(rows[1].pk)
    with translation.override("en"):
        html = render_to_string("notifications/_delivery.html", {"notifications": Notification.objects.all()})
    assert "Gave up" in html and "Sent" in html


def test_inactive_user_sees_nothing(world):
    inapp_for(world["responder"])
    User.objects.filter(pk=world["responder"].pk).update(is_active=False)
    world["responder"].refresh_from_db()
    assert Notification.objects.visible_to(world["responder"]).count() == 0


def test_admin_lists_rows_read_only_and_retries_now(
    world, settings, client_for, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    (row,) = services.notify(event="e", subject="s", body="b", addresses=["x@example.com"])
    deliver(row.pk)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    admin = User.objects.create_superuser("root", "root@example.gov.vn", "x")
    client = client_for(admin)
    changelist = reverse("admin:notifications_notification_changelist")
    assert client.get(changelist).status_code == 200
    change = client.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert change.status_code == 200 and 'name="subject"' not in change.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "retry_now", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == Notification.State.SENT and row.attempts == 2
