"""Paging of list pages: numbered pages over a counted queryset, and for the big tables (incidents) a count
that stops at a cap and a keyset continuation past it (issue 18)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property

PAGE_SIZE = 25
# Rows a list counts exactly before it says "more than": a capped count reads at most this many index
# entries, whatever the table's size; 20,000 rows are 800 pages of 25.
COUNT_CAP = 20_000
# A search's answer counts less far: a common word matches a tenth of a million incidents, and its capped
# count read 20,001 trigram matches (230-620 ms at 1 M, fifth session) to say "more than 20000" where
# nobody pages past the first screens of a search; past 1,000 the pages continue by cursor as the list does.
SEARCH_COUNT_CAP = 1_000


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Page of a queryset from ?page=, clamped to valid pages."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class CappedPaginator(Paginator):
    """Counts up to `cap` rows (`COUNT(*)` over a `LIMIT cap + 1` subquery), so the page count costs the
    same on a thousand rows and on ten million; `capped` says there are more."""

    def __init__(self, object_list, per_page, cap: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _capped_count(self) -> int:
        # Only the key is counted: the list's annotations (lateness: an EXISTS per row) and joins for its
        # columns cost nothing to the count but were computed for all 20,001 rows (issue 18).
        rows = self.object_list.order_by()  # type: ignore[attr-defined]  # a QuerySet
        if rows._fields is None and not rows.query.distinct:  # model rows: their pk is their identity
            rows = rows.values("pk")
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        return self._capped_count > self.cap

    def page(self, number):
        """Past the first page, the page's keys first: `pk IN (SELECT pk … LIMIT n OFFSET m)`.

        The skipped rows are read as keys only; before, each was read with the shown columns' join and
        annotations (the lateness EXISTS), 12,500 of them for page 500 (issue 18, fifth session). Same rows,
        same order: the list's ordering ends with the key, so the offset picks the same rows in both forms."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom and isinstance(rows, QuerySet) and rows._fields is None:  # type: ignore[attr-defined]  # model rows
            rows = rows.filter(pk__in=rows.values("pk")[bottom:top])
        else:
            rows = rows[bottom:top]
        return Page(rows, number, self)


@dataclass
class KeysetPage:
    """Rows after a cursor on a (time, id) ordering, descending: what the pager shows past the counted pages.

    No offset is read, so the millionth row costs what the first does (an index range scan)."""

    object_list: list[Any]
    next_cursor: str = ""
    paginator: Any = field(default=None)
    number: None = None
    keyset = True

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return True

    def has_previous(self) -> bool:
        return False

    def has_next(self) -> bool:
        return bool(self.next_cursor)


def cursor_of(row, time_field: str) -> str:
    return f"{getattr(row, time_field).isoformat()}_{row.pk}"


def _parse_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    when, _, pk = (value or "").rpartition("_")
    moment = parse_datetime(when) if when else None
    return (moment, int(pk)) if moment is not None and pk.isdigit() else None


def paginate_keyset(
    request, queryset: QuerySet, time_field: str, per_page: int | None = None, cap: int | None = None
) -> Page | KeysetPage:
    """Numbered pages up to the capped count, ordered by `-time_field, -pk`; ?after=<cursor> continues past
    them without an offset. The last counted page of a capped list carries the cursor of its last row."""
    per_page = per_page or PAGE_SIZE
    ordered = queryset.order_by(f"-{time_field}", "-pk")
    after = _parse_cursor(request.GET.get("after", ""))
    if after is not None:
        moment, pk = after
        older = Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "pk__lt": pk})
        rows = list(ordered.filter(older)[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        return KeysetPage(rows, cursor_of(rows[-1], time_field) if more and rows else "")
    paginator = CappedPaginator(ordered, per_page, cap=cap)
    page = paginator.get_page(request.GET.get("page"))
    # The pager reads the same two attributes from a counted page as from a KeysetPage.
    page.keyset = False  # type: ignore[attr-defined]
    page.next_cursor = ""  # type: ignore[attr-defined]
    if paginator.capped and not page.has_next() and page.object_list:
        page.next_cursor = cursor_of(list(page.object_list)[-1], time_field)  # type: ignore[attr-defined]
    return page
