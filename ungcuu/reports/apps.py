from django.apps import AppConfig

from ungcuu.core import schedule


class ReportsConfig(AppConfig):
    name = "ungcuu.reports"
    label = "reports"

    def ready(self) -> None:
        # Refreshes before a snapshot turns stale (half its max age), so the pages read in the last day
        # (the province's current year, typically) are usually served fresh; a bounded few per run.
        schedule.register(
            "reports: refresh the figure snapshots read in the last day",
            300,
            "ungcuu.reports.jobs.refresh_read_snapshots",
        )
