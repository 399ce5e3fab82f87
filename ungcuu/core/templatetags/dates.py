"""Dates as the platform writes them everywhere: dd/mm/yyyy, and dd/mm for a yearly date."""

from django import template

register = template.Library()


@register.filter
def day_month(value: str) -> str:
    """A stored month-day ("06-20", ISO order) as people read it: "20/06"."""
    month, _, day = str(value or "").partition("-")
    return f"{day}/{month}" if day else str(value or "")


@register.filter
def day_months(values) -> str:
    """A list of stored month-days as "20/06, 15/12"."""
    return ", ".join(day_month(v) for v in values or [])
