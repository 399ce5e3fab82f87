"""The statistics page's figures as one CSV file: each table under its title, separated by a blank line."""

from __future__ import annotations

import csv
import io

from ungcuu.reports.render.tables import Table


def render_csv(tables: list[Table]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    # A byte-order mark so that spreadsheet programs read the Vietnamese as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
