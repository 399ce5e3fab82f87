"""The statistics page's figures as one CSV file: each table under its title, separated by a blank line."""

from __future__ import annotations

from collections.abc import Iterator

from ungcuu.core import exports
from ungcuu.reports.render.tables import Table


def render_csv(tables: list[Table]) -> bytes:
    return exports.csv_bytes(_rows(tables))


def _rows(tables: list[Table]) -> Iterator[list]:
    for index, table in enumerate(tables):
        if index:
            yield []
        yield [table.title]
        yield table.columns
        yield from table.rows
