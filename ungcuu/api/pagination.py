"""API paging for the big lists: the count stops at a cap (issue 18)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from ungcuu.core.pagination import CappedPaginator


class CappedPageNumberPagination(PageNumberPagination):
    """Like the default paging, but `count` stops at `core.pagination.COUNT_CAP` rows, which costs the same
    on every table size; `count_capped` is true when there are more (then `next` still leads on)."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return answer
