"""Background work of the alerts app (thin wrappers over services; safe to run twice)."""

from django.tasks import task

from ungcuu.alerts import services


@task
def promote_by_rule(group_ids: list[int]) -> None:
    """Promote the groups a batch brought over the automatic rule (a promoted group is left as it is)."""
    services.promote_by_rule(group_ids=group_ids)
