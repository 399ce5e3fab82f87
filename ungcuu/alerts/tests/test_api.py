"""POST /api/v1/alerts/: grouping, partial batches, bad input, limits, idempotency; the groups' API."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine

from ungcuu.alerts.models import AlertBatch, AlertGroup
from ungcuu.alerts.tests.helpers import NOW, alert, post
from ungcuu.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_one_alert_opens_a_group_matched_to_the_registered_system(api_for, responder, system_a):
    response = post(api_for(responder), alert())

    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 1, "rejected": 0, "errors": [], "errors_truncated": False}
    group = AlertGroup.objects.get()
    assert (group.organization, group.system, group.count, group.status) == (
        system_a.operator,
        system_a,
        1,
        "open",
    )
    assert group.observables == [{"type": "ip", "value": "198.51.100.7"}]


def test_repeated_keys_count_into_one_group_with_first_and_last_seen(api_for, responder, org_a):
    early, late = NOW - datetime.timedelta(hours=2), NOW - datetime.timedelta(minutes=1)
    batch = [
        alert(detected_at=late.isoformat(), severity="low", title="latest"),
        alert(detected_at=early.isoformat(), severity="critical", title="earliest"),
        alert(dedup_key="other"),
    ]
    assert post(api_for(responder), batch).status_code == 200
    assert post(api_for(responder), [alert()]).status_code == 200

    group = AlertGroup.objects.get(dedup_key="rule-5710:203.0.113.10")
    assert group.count == 3
    assert (group.first_seen, group.last_seen) == (early, late)
    assert group.severity == 5  # the highest seen
    assert group.title == "latest"  # the latest alert's words
    assert AlertGroup.objects.count() == 2


def test_a_domain_under_a_registered_domain_matches_its_system(api_for, responder, system_a):
    post(
        api_for(responder),
        alert(host="", observables=[{"type": "url", "value": "https://www.alpha.example.gov.vn/x"}]),
    )

    assert AlertGroup.objects.get().system == system_a


def test_a_batch_with_bad_items_keeps_the_good_ones_and_lists_the_bad(api_for, responder, org_a):
    batch = [
        alert(dedup_key="good-1"),
        alert(host="999.1.1.1"),
        {"source": "wazuh"},
        alert(detected_at="1970-01-01T00:00:00Z"),
        alert(detected_at="2999-01-01T00:00:00Z"),
        alert(detected_at="2026-05-31T00:00:00"),  # no time zone
        alert(observables=[{"type": "ip", "value": "10.0.0.300"}, {"type": "hash", "value": "xyz"}]),
        alert(dedup_key="good-2", title="\x00"),
        alert(dedup_key="good-3"),
    ]
    response = post(api_for(responder), batch)

    assert response.status_code == 207, response.content
    answer = response.json()
    assert (answer["accepted"], answer["rejected"]) == (2, 7)
    reasons = {e["index"]: e["errors"] for e in answer["errors"]}
    assert list(reasons) == [1, 2, 3, 4, 5, 6, 7]
    assert "host" in reasons[1]
    assert "dedup_key" in reasons[2]
    assert "detected_at" in reasons[3] and "detected_at" in reasons[4] and "detected_at" in reasons[5]
    assert len(reasons[6]["observables"]) == 2
    assert "title" in reasons[7]
    assert set(AlertGroup.objects.values_list("dedup_key", flat=True)) == {"good-1", "good-3"}


def test_ndjson_with_a_broken_line_keeps_the_other_lines(api_for, responder, org_a):
    lines = [json.dumps(alert(dedup_key="a")), '{"source": "wazuh", broken', json.dumps(alert(dedup_key="b"))]

    response = post(api_for(responder), "\n".join(lines) + "\n", ndjson=True)

    assert response.status_code == 207
    assert [e["index"] for e in response.json()["errors"]] == [1]
    assert AlertGroup.objects.count() == 2


def test_an_all_bad_batch_is_400_and_writes_nothing(api_for, responder, org_a):
    response = post(api_for(responder), [{"nothing": 1}, alert(severity="apocalyptic")])

    assert response.status_code == 400
    assert response.json()["rejected"] == 2
    assert not AlertGroup.objects.exists()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2", b"", b"[]", b"\xff\xfe", b'"just a string"'], ids=repr
)
def test_a_body_that_is_not_alerts_is_400(body, api_for, responder, org_a):
    response = post(api_for(responder), body)

    assert response.status_code == 400
    assert not AlertGroup.objects.exists()


def test_another_content_type_is_415(api_for, responder, org_a):
    response = api_for(responder).post("/api/v1/alerts/", "source=x", content_type="text/plain")

    assert response.status_code == 415


def test_a_batch_over_the_item_limit_is_413_with_a_clear_message(api_for, responder, org_a, settings):
    settings.ALERTS_MAX_ITEMS = 50_000
    one = json.dumps(alert()).encode()
    body = b"[" + b",".join([one] * 100_000) + b"]"

    response = post(api_for(responder), body)

    assert response.status_code == 413
    assert "100000" in response.json()["detail"] and "50000" in response.json()["detail"]
    assert not AlertGroup.objects.exists()


def test_a_body_over_the_byte_limit_is_413_before_it_is_read(api_for, responder, org_a, settings):
    settings.ALERTS_MAX_BYTES = 1000
    response = post(api_for(responder), [alert()] * 20)

    assert response.status_code == 413
    assert "1000" in response.json()["detail"]


def test_a_retry_with_the_same_idempotency_key_is_counted_once(api_for, responder, org_a):
    client = api_for(responder)
    batch = [alert(), alert(), alert(host="bad host!")]

    first = post(client, batch, key="batch-0001")
    again = post(client, batch, key="batch-0001")

    assert first.status_code == again.status_code == 207
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert AlertGroup.objects.get().count == 2
    other = post(client, [alert()], key="batch-0001")
    assert other.status_code == 422  # the API-wide answer to a key reused for another body
    assert AlertGroup.objects.get().count == 2


def test_a_batch_over_django_form_limit_with_an_idempotency_key_is_accepted_once(
    api_for, responder, org_a, settings
):
    """The key's fingerprint is taken from the raw body the view reads, so a batch past Django's 2.5 MB form
    limit (DATA_UPLOAD_MAX_MEMORY_SIZE, which `request.data` enforces) is not refused with an HTML 400 when
    it carries a key (found by bench/alerts.py at 10,000 alerts a batch)."""
    alerts = [alert(dedup_key=f"rule-5710:{i % 7}", message="x" * 200) for i in range(9_000)]
    body = json.dumps(alerts).encode()
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # the case, not a small batch
    client = api_for(responder)

    first = post(client, body, key="big-batch-1")
    again = post(client, body, key="big-batch-1")
    ndjson_body = b"\n".join(json.dumps(a).encode() for a in alerts)
    other = post(client, ndjson_body, ndjson=True, key="big-batch-1")

    assert first.status_code == 200, first.content[:300]
    assert first.json()["accepted"] == 9_000
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert other.status_code == 422  # another body (same alerts, other framing) under the same key
    assert sum(AlertGroup.objects.values_list("count", flat=True)) == 9_000


def test_a_body_over_the_byte_limit_with_a_key_is_413_and_frees_the_key(api_for, responder, org_a, settings):
    settings.ALERTS_MAX_BYTES = 1000
    client = api_for(responder)

    refused = post(client, [alert()] * 20, key="too-big")
    settings.ALERTS_MAX_BYTES = 32 * 1024 * 1024
    accepted = post(client, [alert()], key="too-big")

    assert refused.status_code == 413 and "1000" in refused.json()["detail"]
    assert accepted.status_code == 200  # nothing was claimed for the refused body
    assert AlertGroup.objects.get().count == 1


def test_a_coordinator_names_the_unit_and_must_name_one(api_for, coordinator, org_a):
    client = api_for(coordinator)

    assert post(client, alert()).status_code == 400
    assert post(client, alert(organization=org_a.pk)).status_code == 200
    assert AlertGroup.objects.get().organization == org_a


# --- access ---------------------------------------------------------------------------------------------


def test_a_unit_cannot_send_alerts_for_another_unit(api_for, outsider, org_a):
    response = post(api_for(outsider), alert(organization=org_a.pk))

    assert response.status_code == 400
    assert "organization" in response.json()["errors"][0]["errors"]
    assert not AlertGroup.objects.exists()


def test_the_read_only_viewer_cannot_send_alerts(api_for, viewer):
    response = post(api_for(viewer), alert())

    assert response.status_code == 403
    assert not AlertGroup.objects.exists()


def test_anonymous_and_expired_tokens_are_401(api_for, responder, org_a):
    assert post(api_for(None), alert()).status_code == 401
    client = api_for(responder)
    responder.api_tokens.update(expires_at=NOW - datetime.timedelta(seconds=1))

    assert post(client, alert()).status_code == 401
    assert not AlertGroup.objects.exists()


def test_only_a_token_with_the_report_scope_sends_alerts(api_for, responder):
    """Scoped tokens (issue 16 part 5): sending alerts is reporting, whatever else the token may do."""
    for scopes, expected in (
        (["read"], 403),
        (["coordinate"], 403),
        (["report"], 200),
        (["read", "report"], 200),
    ):
        answer = post(api_for(responder, scopes=scopes), alert(dedup_key=f"scope-{'-'.join(scopes)}"))
        assert answer.status_code == expected, scopes
    assert set(AlertGroup.objects.values_list("dedup_key", flat=True)) == {
        "scope-report",
        "scope-read-report",
    }


def _group(client, org, **fields):
    post(client, alert(organization=org.pk, **fields))
    return AlertGroup.objects.get(organization=org, dedup_key=fields.get("dedup_key", alert()["dedup_key"]))


def test_groups_are_listed_only_to_those_who_may_open_them(
    api_for, coordinator, viewer, outsider, org_a, org_b
):
    coordinator_client = api_for(coordinator)
    group_a = _group(coordinator_client, org_a, title="Alpha alert")
    _group(coordinator_client, org_b, title="Beta alert", dedup_key="beta")

    assert api_for(coordinator).get("/api/v1/alert-groups/").json()["count"] == 2
    seen = api_for(viewer).get("/api/v1/alert-groups/").json()
    assert [g["title"] for g in seen["results"]] == ["Alpha alert"] and seen["count"] == 1
    outsider_list = api_for(outsider).get("/api/v1/alert-groups/")
    assert b"Alpha" not in outsider_list.content and outsider_list.json()["count"] == 1
    assert api_for(outsider).get(f"/api/v1/alert-groups/{group_a.pk}/").status_code == 404
    assert api_for(outsider).get(f"/api/v1/alert-groups/?organization={org_a.pk}").status_code == 400


def test_the_list_filters_and_refuses_unknown_parameters(api_for, coordinator, org_a):
    client = api_for(coordinator)
    _group(client, org_a, severity="low", dedup_key="low")
    _group(client, org_a, severity="critical", dedup_key="crit")

    found = client.get("/api/v1/alert-groups/?severity=high").json()
    assert [g["dedup_key"] for g in found["results"]] == ["crit"]
    assert client.get("/api/v1/alert-groups/?sevrity=high").status_code == 400


def test_promotion_opens_one_incident_through_the_intake_once(api_for, coordinator, org_a, system_a):
    client = api_for(coordinator)
    group = _group(client, org_a)

    first = client.post(f"/api/v1/alert-groups/{group.pk}/promote/")
    again = client.post(f"/api/v1/alert-groups/{group.pk}/promote/")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    incident = Incident.objects.get()
    assert incident.system == system_a and incident.reports.get().channel == "api"
    group.refresh_from_db()
    assert (group.status, group.incident) == ("promoted", incident)
    assert incident.timeline.filter(data__alert_group=group.pk).exists()
    # Later alerts with the same key open a new group: the promoted one keeps its count.
    post(client, alert(organization=org_a.pk))
    assert AlertGroup.objects.filter(status="open").count() == 1


def test_the_unit_manager_promotes_the_viewer_and_outsider_cannot(
    api_for, coordinator, manager, viewer, outsider, org_a
):
    group = _group(api_for(coordinator), org_a)
    url = f"/api/v1/alert-groups/{group.pk}/promote/"

    assert api_for(outsider).post(url).status_code == 404
    assert api_for(viewer).post(url).status_code == 403
    assert not Incident.objects.exists()
    assert api_for(manager).post(url).status_code == 200
    assert Incident.objects.count() == 1


def test_the_automatic_rule_promotes_a_group_over_its_threshold(api_for, responder, org_a, settings):
    settings.ALERTS_AUTO_PROMOTE_COUNT = 3
    client = api_for(responder)
    post(client, [alert(), alert()])
    assert not Incident.objects.exists()

    post(client, [alert()])

    group = AlertGroup.objects.get()
    assert group.status == "promoted" and group.incident is not None
    assert group.promoted_by.username == settings.ALERTS_RULE_ACCOUNT
    assert AlertBatch.objects.count() == 0


def test_a_batch_that_fails_while_writing_leaves_nothing_behind(api_for, responder, org_a, monkeypatch):
    """The groups, their counters and the idempotency record commit together or not at all."""
    from ungcuu.alerts import services, upsert

    def write_then_fail(rows):
        upsert.upsert_groups(rows)
        raise RuntimeError("the server died mid-batch")

    monkeypatch.setattr(services, "upsert_groups", write_then_fail)
    client = api_for(responder)
    client.raise_request_exception = False

    response = post(client, [alert(dedup_key=f"k{n}") for n in range(50)], key="dies")

    assert response.status_code == 500
    assert not AlertGroup.objects.exists() and not AlertBatch.objects.exists()
    monkeypatch.undo()
    assert post(client, [alert(dedup_key=f"k{n}") for n in range(50)], key="dies").status_code == 200
    assert AlertGroup.objects.count() == 50
