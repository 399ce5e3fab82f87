"""Version constraints: exact versions, ranges, alternatives, vendor spellings, refusals."""

import pytest
from django.core.exceptions import ValidationError

from ungcuu.advisories.versions import parse_constraint, parse_version


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        ("9.0.65", "9.0.65", True),
        ("9.0.65", "9.0.66", False),
        ("<9.0.80", "9.0.65", True),
        ("<9.0.80", "9.0.80", False),
        ("<9.0.80", "9.0.100", False),  # numeric, not string, ordering
        (">=6.0,<6.2.3", "6.2", True),
        (">=6.0,<6.2.3", "6.2.3", False),
        (">=6.0,<6.2.3", "5.9", False),
        (">=9.0.0,<9.0.81 || >=10.1.0,<10.1.14", "10.1.5", True),
        (">=9.0.0,<9.0.81 || >=10.1.0,<10.1.14", "10.0.5", False),
        ("==9.0.*", "9.0.65", True),
        ("==9.0.*", "9.1.0", False),
        ("10.0", "10", True),
        ("<8.8.15_P41", "8.8.15 Patch 30", True),  # vendor patch levels as post-releases
        ("<8.8.15_P41", "8.8.15.p41", False),
        ("", "anything at all", True),
        ("*", "", True),
    ],
)
def test_constraint_matches(constraint, version, expected):
    assert parse_constraint(constraint).matches(version) is expected


def test_unknown_installed_version_is_unknown_not_a_guess():
    assert parse_constraint("<9.0.80").matches("") is None
    assert parse_constraint("<9.0.80").matches("latest") is None


@pytest.mark.parametrize("bad", ["<<9", ">=6.0,", "abc", "~9.0", ">9.*", "9.0.80 || "])
def test_unreadable_constraint_is_refused_with_its_text(bad):
    with pytest.raises(ValidationError) as caught:
        parse_constraint(bad)
    assert caught.value.messages


def test_vendor_spellings_parse():
    assert str(parse_version("19c")) == "19"
    assert str(parse_version("8.8.15_P41")) == "8.8.15.post41"
    assert parse_version("") is None
