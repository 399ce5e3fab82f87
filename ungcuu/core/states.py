"""The one state-machine helper: a transition table says which moves are legal (STYLE rule 4).

A model lists its table in `TRANSITIONS` (state → the states it may become), names the field in
`STATE_FIELD` and the refusal in `TRANSITION_ERROR`, and inherits `can_transition_to`,
`allowed_transitions` and `check_transition` from `TransitionsMixin`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, ClassVar

from ungcuu.core.errors import InvalidTransition

TransitionTable = Mapping[str, Collection[str]]


def allowed_targets(table: TransitionTable, current: str) -> frozenset[str]:
    """The states `current` may become; a state missing from the table is terminal."""
    return frozenset(table.get(current, ()))


def can_transition(table: TransitionTable, current: str, target: str) -> bool:
    return target in allowed_targets(table, current)


class TransitionsMixin:
    """`can_transition_to` / `allowed_transitions` / `check_transition` for a model with a table."""

    TRANSITIONS: TransitionTable  # not a ClassVar: models annotate their table as a plain attribute
    STATE_FIELD: ClassVar[str] = "status"
    TRANSITION_ERROR: ClassVar[Any]  # a lazy message with %(from)s and %(to)s, set by each model

    def can_transition_to(self, target: str) -> bool:
        return can_transition(self.TRANSITIONS, getattr(self, self.STATE_FIELD), target)

    def allowed_transitions(self) -> list[str]:
        field = self._meta.get_field(self.STATE_FIELD)  # type: ignore[attr-defined]
        return [value for value, _label in field.choices if self.can_transition_to(value)]

    def check_transition(self, target: str) -> None:
        """Raise `InvalidTransition`, naming both states, unless the move is in the table."""
        if not self.can_transition_to(target):
            field = self._meta.get_field(self.STATE_FIELD)  # type: ignore[attr-defined]
            labels = dict(field.choices)
            raise InvalidTransition(
                str(self.TRANSITION_ERROR)
                % {"from": labels.get(getattr(self, self.STATE_FIELD)), "to": labels.get(target, target)}
            )


class StateIs:
    """A read-only property for templates: `is_draft = StateIs(Status.DRAFT)` → `advisory.is_draft`.

    Templates ask the model a question instead of comparing status strings.
    """

    def __init__(self, *states: str) -> None:
        self.states = frozenset(states)

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj, getattr(obj, "STATE_FIELD", "status")) in self.states


class CanBecome:
    """A read-only property for templates: `can_close = CanBecome(Status.CLOSED)` → `advisory.can_close`."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return obj.can_transition_to(self.target)
