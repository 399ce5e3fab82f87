"""One counter mechanism numbers incidents and advisories: per sequence, per prefix, per local year."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ungcuu.core.models import ReferenceCounter
from ungcuu.core.references import next_reference

NEW_YEAR = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)  # 1 January 2027 00:30 in Hà Nội


@pytest.mark.django_db
def test_sequences_count_separately_and_restart_in_the_local_new_year():
    before = NEW_YEAR - datetime.timedelta(hours=1)

    taken = [
        next_reference("incident", "NB", digits=6, now=before),
        next_reference("incident", "NB", digits=6, now=before),
        next_reference("advisory", "NB", digits=4, now=before),
        next_reference("incident", "NB", digits=6, now=NEW_YEAR),
    ]

    assert timezone.localtime(NEW_YEAR).year == 2027
    assert taken == ["NB-2026-000001", "NB-2026-000002", "NB-2026-0001", "NB-2027-000001"]
    assert ReferenceCounter.objects.count() == 3


@pytest.fixture
def latest_schema():
    """Whatever the test does to the schema, the next tests find every migration applied again (the
    apps have migrations after the ones this test moves between)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


PREVIOUS = [("incidents", "0004_idempotency_key_per_user"), ("advisories", "0001_initial")]
MOVED = [
    ("incidents", "0005_reference_counter_moves_to_core"),
    ("advisories", "0002_reference_counter_moves_to_core"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps what migrations seeded
def test_the_per_app_counters_move_to_the_shared_one_and_numbering_continues(latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS)
    old = executor.loader.project_state(PREVIOUS).apps
    old.get_model("incidents", "ReferenceCounter").objects.create(prefix="NB", year=2026, last=41)
    old.get_model("advisories", "AdvisoryCounter").objects.create(prefix="CB", year=2026, last=7)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(MOVED)

    moved = set(ReferenceCounter.objects.values_list("sequence", "prefix", "year", "last"))
    assert moved == {("incident", "NB", 2026, 41), ("advisory", "CB", 2026, 7)}
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    with transaction.atomic():  # the caller's transaction holds the counter row
        assert next_reference("incident", "NB", digits=6, now=now) == "NB-2026-000042"
        assert next_reference("advisory", "CB", digits=4, now=now) == "CB-2026-0008"
