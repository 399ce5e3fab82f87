"""The calendar groups a day's occurrences by duty; a group's colour is its most pressing status."""

import datetime
from types import SimpleNamespace

from ungcuu.obligations.models import Occurrence
from ungcuu.obligations.presenters import Day

S = Occurrence.Status


def _o(definition, status):
    return SimpleNamespace(definition_id=definition.pk, definition=definition, status=status)


def test_a_day_groups_by_duty_with_counts_most_pressing_first():
    drill, report = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    items = [_o(drill, S.DONE), _o(report, S.DUE), _o(drill, S.OVERDUE), _o(drill, S.DONE)]
    day = Day(datetime.date(2026, 12, 31), True, False, items)
    first, second = day.groups
    assert first.definition is drill and first.count == 3 and first.status == S.OVERDUE
    assert [(status, n) for status, _label, n in first.counts] == [("overdue", 1), ("done", 2)]
    assert second.count == 1 and second.status == S.DUE
