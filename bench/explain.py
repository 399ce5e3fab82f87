"""EXPLAIN ANALYZE of the queries behind the heavy pages, as the coordinator sees them (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ungcuu_perf .venv/bin/python bench/explain.py [--full]

Prints each plan's key lines (the top node, scans, sorts, the execution time); --full prints whole plans.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

KEY = ("Limit", "Scan", "Sort", "Execution Time", "SubPlan", "JIT", "Aggregate", "Semi Join", "Anti Join")


def plans() -> dict[str, object]:
    from ungcuu.accounts.models import User
    from ungcuu.core.pagination import COUNT_CAP
    from ungcuu.incidents.filters import IncidentFilterSet
    from ungcuu.incidents.models import Incident
    from ungcuu.incidents.queries import OPEN_STATUSES

    coordinator = User.objects.filter(platform_role="coordinator").order_by("pk").first()
    visible = Incident.objects.visible_to(coordinator)
    listed = visible.for_list().order_by("-reported_at", "-pk")

    def filtered(**params):  # the list's queryset for these parameters, as the page builds it
        rows = IncidentFilterSet(params, queryset=visible).qs
        return rows.for_list().order_by("-reported_at", "-pk")

    open_serious = filtered(status="open", severity="SERIOUS")
    searched = filtered(q="tan cong tu choi")
    dashboard = visible.in_qd05_scope().filter(status__in=OPEN_STATUSES).order_by()
    return {
        "list, first page": listed[:25],
        "list, capped count": visible.order_by().values("pk")[: COUNT_CAP + 1],
        "page 500 (offset 12,475)": listed[12475:12500],
        "page 500, keys first (CappedPaginator.page)": listed.filter(pk__in=listed.values("pk")[12475:12500]),
        "filtered list (open, serious), first page": open_serious[:25],
        "filtered list (open, serious), capped count": open_serious.order_by().values("pk")[: COUNT_CAP + 1],
        "search 'tan cong tu choi'": searched[:25],
        "search 'tan cong tu choi', capped count": searched.order_by().values("pk")[: COUNT_CAP + 1],
        "dashboard, open incidents by severity": dashboard.values("severity"),
        "dashboard, overdue count": dashboard.overdue().values("pk"),
        "dashboard, open and reported late": dashboard.reported_late().values("pk"),
        "dashboard, newest open": dashboard.order_by("-reported_at")[:10],
        "incident page, the gate": visible.filter(pk=Incident.objects.order_by("-pk").values("pk")[:1]),
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ungcuu.settings")
    import django

    django.setup()
    full = "--full" in sys.argv
    for name, queryset in plans().items():
        plan = queryset.explain(analyze=True, buffers=True)
        print(f"--- {name}")
        for line in plan.splitlines():
            if full or any(k in line for k in KEY):
                print("   ", line.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
