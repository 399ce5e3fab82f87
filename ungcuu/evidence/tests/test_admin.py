"""The admin shows evidence and its custody but offers no add, change or delete."""

import pytest
from django.urls import reverse

from ungcuu.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_is_read_only(client_for, evidence):
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:evidence_evidence_change", args=[evidence.pk]))
    assert page.status_code == 200 and evidence.sha256.encode() in page.content
    assert client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:evidence_evidence_delete", args=[evidence.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert evidence.custody.count() == 1
