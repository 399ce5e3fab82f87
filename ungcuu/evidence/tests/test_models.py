"""The chain of custody is append-only, and a state-secret row cannot exist even behind the service."""

import pytest
from django.db import IntegrityError, transaction

from ungcuu.evidence.models import CustodyEntry, Evidence

pytestmark = pytest.mark.django_db


def test_custody_entries_cannot_be_edited_or_deleted(evidence):
    entry = evidence.custody.get()
    entry.note = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        CustodyEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(PermissionError):
        CustodyEntry.objects.all().delete()
    assert CustodyEntry.objects.get(pk=entry.pk).note == evidence.sha256


def test_evidence_with_custody_cannot_be_deleted(evidence):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).delete()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_database_refuses_a_state_secret_row(evidence):
    evidence.classification = Evidence.Classification.SECRET_STATE
    with pytest.raises(IntegrityError), transaction.atomic():
        evidence.save()


def test_templates_ask_the_row_not_the_choice_literal():
    assert Evidence(classification=Evidence.Classification.CONFIDENTIAL).is_confidential
    assert not Evidence(classification=Evidence.Classification.INTERNAL).is_confidential
    assert CustodyEntry(action=CustodyEntry.Action.UPLOADED).is_upload
    assert not CustodyEntry(action=CustodyEntry.Action.NOTE).is_upload
