"""Issue 16 part 5: the chain of custody through the API (read by whoever sees the evidence, written by
its holders), as on the evidence page."""

import pytest
from django.urls import reverse

from ungcuu.evidence.models import CustodyEntry

pytestmark = pytest.mark.django_db


def test_holder_records_a_hand_over_and_everyone_who_sees_it_reads_the_chain(
    api_for, evidence, coordinator, viewer
):
    url = reverse("evidence-custody", args=[evidence.pk])
    body = {"action": "transferred", "note": "Giao bản sao cho Công an tỉnh"}
    response = api_for(coordinator, scopes=["report"]).post(url, body, format="json")
    assert response.status_code == 201, response.content
    chain = api_for(viewer).get(url)
    assert chain.status_code == 200
    assert [row["action"] for row in chain.json()] == ["uploaded", "transferred"]


def test_custody_refusals_write_nothing(api_for, evidence, coordinator, viewer, outsider, national):
    url = reverse("evidence-custody", args=[evidence.pk])
    before = CustodyEntry.objects.count()
    body = {"action": "note", "note": "x"}
    assert api_for(viewer).post(url, body, format="json").status_code == 403
    assert api_for(outsider).post(url, body, format="json").status_code == 404
    assert api_for(outsider).get(url).status_code == 404
    assert (
        api_for(coordinator).post(url, {"action": "downloaded", "note": "x"}, format="json").status_code
        == 400
    )
    assert api_for(coordinator).post(url, {"action": "note", "note": "  "}, format="json").status_code == 400
    assert api_for(coordinator, scopes=["read"]).post(url, body, format="json").status_code == 403
    if api_for(national).get(url).status_code == 200:  # national sees it, but holds nothing
        assert api_for(national).post(url, body, format="json").status_code == 403
    assert CustodyEntry.objects.count() == before
