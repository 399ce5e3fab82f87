"""Reports pages: documents (forms 01-05, unit, province, bulletin), periodic reports, statistics."""

from ungcuu.reports.views.builds import build_download, build_prepare, build_status
from ungcuu.reports.views.documents import (
    bulletin,
    form01,
    form02,
    form03,
    form04,
    form05,
    index,
    province_report,
    statistics,
    unit_report,
)
from ungcuu.reports.views.periodic import (
    consolidation,
    damage,
    periodic_accept,
    periodic_create,
    periodic_detail,
    periodic_edit,
    periodic_list,
    periodic_return,
    periodic_submit,
)

__all__ = [
    "build_download",
    "build_prepare",
    "build_status",
    "bulletin",
    "consolidation",
    "damage",
    "form01",
    "form02",
    "form03",
    "form04",
    "form05",
    "index",
    "periodic_accept",
    "periodic_create",
    "periodic_detail",
    "periodic_edit",
    "periodic_list",
    "periodic_return",
    "periodic_submit",
    "province_report",
    "statistics",
    "unit_report",
]
