"""Every table that calls itself append-only is an `AppendOnlyModel`, so the guard is the same everywhere."""

import pytest
from django.apps import apps

from ungcuu.core.models import AppendOnlyModel, AppendOnlyQuerySet

pytestmark = pytest.mark.django_db

DESCRIBED_APPEND_ONLY = [
    model for model in apps.get_models() if "append-only" in (model.__doc__ or "").lower()
]


def test_the_histories_are_found():
    labels = {model._meta.label for model in DESCRIBED_APPEND_ONLY}
    assert {
        "incidents.TimelineEvent",
        "systems.SystemEvent",
        "organizations.StaffChange",
        "obligations.OccurrenceEvent",
        "vulnerabilities.FindingEvent",
    } <= labels


@pytest.mark.parametrize("model", DESCRIBED_APPEND_ONLY, ids=lambda model: model._meta.label)
def test_a_history_described_as_append_only_refuses_edits(model):
    assert issubclass(model, AppendOnlyModel)
    assert isinstance(model._default_manager.all(), AppendOnlyQuerySet)  # related managers derive from it
    with pytest.raises(PermissionError):
        model._default_manager.all().update(pk=0)
    with pytest.raises(PermissionError):
        model._default_manager.all().delete()
