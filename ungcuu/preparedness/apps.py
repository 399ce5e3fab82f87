from django.apps import AppConfig

from ungcuu.core import schedule


class PreparednessConfig(AppConfig):
    name = "ungcuu.preparedness"
    label = "preparedness"

    def ready(self) -> None:
        schedule.register(
            "preparedness: drill follow-ups due and overdue",
            3600,
            "ungcuu.preparedness.followups.check_follow_ups",
        )
