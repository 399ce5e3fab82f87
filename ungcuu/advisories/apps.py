from django.apps import AppConfig

from ungcuu.core import schedule


class AdvisoriesConfig(AppConfig):
    name = "ungcuu.advisories"
    label = "advisories"

    def ready(self) -> None:
        schedule.register(
            "advisories: reminders and overdue escalation",
            900,
            "ungcuu.advisories.services.remind_advisories",
        )
