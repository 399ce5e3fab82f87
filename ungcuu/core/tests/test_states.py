"""The one state machine: transition tables, the questions templates ask, the one refusal."""

import pytest

from ungcuu.advisories.models import Advisory
from ungcuu.core.errors import Conflict, InvalidTransition
from ungcuu.core.states import allowed_targets, can_transition

TABLE = {"draft": {"published"}, "published": {"closed"}}


def test_a_state_missing_from_the_table_is_terminal():
    assert allowed_targets(TABLE, "closed") == frozenset()
    assert can_transition(TABLE, "draft", "published") and not can_transition(TABLE, "draft", "closed")


def test_a_model_answers_from_its_table_and_refuses_with_both_states():
    advisory = Advisory(status=Advisory.Status.DRAFT)
    assert advisory.allowed_transitions() == ["published"]
    assert (advisory.is_draft, advisory.is_published, advisory.can_close) == (True, False, False)
    with pytest.raises(InvalidTransition) as refused:
        advisory.check_transition(Advisory.Status.CLOSED)
    assert isinstance(refused.value, Conflict)  # one vocabulary: a transition refusal is a conflict (409)
    labels = (str(Advisory.Status.DRAFT.label), str(Advisory.Status.CLOSED.label))
    assert all(label in str(refused.value) for label in labels)
