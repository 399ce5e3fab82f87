"""The per-process copy of intake's configuration: kept under a token, loaded again when it changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ungcuu.core import config_cache
from ungcuu.core.models import ConfigVersion
from ungcuu.incidents.models import RoutingRule

pytestmark = pytest.mark.django_db


class Loads:
    """A loader that counts its calls and returns the call number."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_pinned_block_reads_the_token_once_and_reuses_the_copy_of_an_earlier_block():
    load = Loads()
    with config_cache.pinned():
        assert config_cache.cached("k", load) == 1
    with CaptureQueriesContext(connection) as queries, config_cache.pinned():
        assert config_cache.cached("k", load) == 1
        assert config_cache.cached("k", load) == 1
    assert load.calls == 1 and len(queries) == 1  # the token, nothing else


def test_outside_a_block_nothing_is_kept():
    load = Loads()
    assert [config_cache.cached("k", load), config_cache.cached("k", load)] == [1, 2]


@pytest.mark.parametrize("change", ["save", "delete"])
def test_saving_or_deleting_a_watched_row_makes_every_process_load_again(change):
    load = Loads()
    with config_cache.pinned():
        config_cache.cached("k", load)
    before = config_cache.read_token()
    rule = RoutingRule.objects.first()
    rule.save() if change == "save" else rule.delete()
    assert config_cache.read_token() != before
    with config_cache.pinned():
        assert config_cache.cached("k", load) == 2


def test_a_token_written_by_another_process_is_seen():
    load = Loads()
    with config_cache.pinned():
        config_cache.cached("k", load)
    ConfigVersion.objects.filter(pk=1).update(token="another-process")  # that process's `changed()`
    with config_cache.pinned():
        assert config_cache.cached("k", load) == 2
    with config_cache.pinned():
        assert config_cache.cached("k", load) == 2


def test_without_a_token_row_nothing_outlives_its_block_and_the_next_change_writes_one():
    ConfigVersion.objects.all().delete()
    load = Loads()
    for expected in (1, 2):
        with config_cache.pinned():
            assert config_cache.cached("k", load) == config_cache.cached("k", load) == expected
    config_cache.changed()
    assert config_cache.read_token()
