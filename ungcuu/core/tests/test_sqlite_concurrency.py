"""The SQLite options of settings make a second writer wait for the lock instead of failing at once.

In SQLite's default DEFERRED mode a transaction that has read and then wants to write while another
writer commits is refused with "database is locked" without waiting (its snapshot is stale): that was the
HTTP 500 of concurrent intake. Two real connections to a file database, whatever the suite's database is.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.django_db  # lets pytest-django open these two connections too


def writer(handler, alias, wrote: threading.Event, go: threading.Event, hold: float, results: dict):
    connection = handler[alias]
    try:
        go.wait(5)
        connection.ensure_connection()
        connection._start_transaction_under_autocommit()  # what atomic() does on SQLite: BEGIN <mode>
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM reports")  # every intake reads before it writes
            cursor.execute("INSERT INTO reports (title) VALUES (%s)", [alias])
            wrote.set()
            time.sleep(hold)
        connection.commit()
        results[alias] = "ok"
    except OperationalError as exc:
        results[alias] = str(exc)
    finally:
        connection.close()


def test_a_second_writer_waits_for_the_first_instead_of_being_refused(tmp_path):
    path = tmp_path / "db.sqlite3"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": settings.SQLITE_OPTIONS}
    handler = ConnectionHandler({"default": database, "second": {**database}})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, title TEXT)")
    handler["default"].close()
    first_wrote, start, results = threading.Event(), threading.Event(), {}
    threads = [
        threading.Thread(target=writer, args=(handler, "default", first_wrote, start, 0.5, results)),
        threading.Thread(target=writer, args=(handler, "second", threading.Event(), first_wrote, 0, results)),
    ]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(30)

    assert results == {"default": "ok", "second": "ok"}
