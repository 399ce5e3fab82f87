from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from ungcuu.incidents import fts, sqlite_indexes


class IncidentsConfig(AppConfig):
    name = "ungcuu.incidents"
    label = "incidents"

    def ready(self):
        # Infrastructure, not domain logic: SQLite's table rebuilds drop the search index's triggers and the
        # indexes Django does not know (incidents.sqlite_indexes).
        post_migrate.connect(_repair_search_index, sender=self)


def _repair_search_index(sender, using, **kwargs):
    fts.repair(connections[using])
    sqlite_indexes.ensure(connections[using])
