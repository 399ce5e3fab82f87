from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Page of a queryset from ?page=, clamped to valid pages."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
