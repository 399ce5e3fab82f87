"""Freezing figures as JSON at submission and thawing them back into the same dataclasses.

A submitted report renders through the same templates as a live one, so the JSON must come back as the
dataclasses the builders return (nested dataclasses, lists of them, dates); both directions live here.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def freeze(figures: Any) -> dict[str, Any]:
    """A builder's dataclass as plain JSON (dates as ISO strings)."""
    return json.loads(json.dumps(dataclasses.asdict(figures), cls=DjangoJSONEncoder))


def thaw[T](cls: type[T], data: dict[str, Any]) -> T:
    """The dataclass `cls` back from `freeze`'s JSON; missing keys take the field's default."""
    hints = typing.get_type_hints(cls)
    values = {
        field.name: _value(hints[field.name], data[field.name])
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        if field.name in data
    }
    return cls(**values)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value(inner[0], value)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_value(item, v) for v in value]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return thaw(hint, value)
    if hint is datetime.datetime:
        return datetime.datetime.fromisoformat(value)
    if hint is datetime.date:
        return datetime.date.fromisoformat(value)
    return value
