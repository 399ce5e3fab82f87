from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ungcuu.core import taxonomy
from ungcuu.organizations.models import Kind

SHARED_TAXONOMY = Path(settings.BASE_DIR).parent / "shared" / "taxonomy.json"


def test_every_organization_kind_is_a_taxonomy_role():
    missing = [k.value for k in Kind if k.value not in taxonomy.roles()]
    assert missing == []


def test_bundled_taxonomy_is_identical_to_the_shared_one():
    if not SHARED_TAXONOMY.exists():
        pytest.skip(f"{SHARED_TAXONOMY} is not present in this checkout; nothing to compare with")
    assert taxonomy.TAXONOMY_PATH.read_bytes() == SHARED_TAXONOMY.read_bytes()


def test_security_levels_are_one_to_five():
    assert sorted(taxonomy.security_levels()) == [1, 2, 3, 4, 5]


def test_security_level_choices_follow_the_active_language():
    with translation.override("en"):
        assert taxonomy.security_level_choices()[0] == (1, "Level 1")
    with translation.override("vi"):
        assert taxonomy.security_level_choices()[0] == (1, taxonomy.security_levels()[1]["vi"])


def test_label_picks_english_only_when_english_is_active():
    entry = {"code": "X", "vi": "Tiếng Việt", "en": "English"}
    with translation.override("en"):
        assert taxonomy.label(entry) == "English"
    with translation.override("vi"):
        assert taxonomy.label(entry) == "Tiếng Việt"
    with translation.override("en"):
        assert taxonomy.label({"code": "X", "vi": "Chỉ tiếng Việt"}) == "Chỉ tiếng Việt"


def test_role_choices_leave_out_the_reporter():
    codes = [code for code, _ in taxonomy.role_choices()]
    assert "REPORTER" not in codes
    assert "IS_OPERATOR" in codes
