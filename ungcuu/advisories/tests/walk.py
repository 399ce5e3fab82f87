"""Org A's advisory objects for the access walk (tests/test_access_walk.py), and its form bodies."""

import datetime

from django.utils import timezone

from ungcuu.advisories import services
from ungcuu.advisories.indicators import add_indicator

# Bodies for the walk's forms and API posts, valid for someone allowed (the walk's control test).
ADVISORY_FORM = {
    "summary": "walk",
    "recommended_actions": "walk",
    "products": "Apache; Tomcat; <9.0.80",
    "deadline": "2099-01-01T17:00",
    "tlp": "AMBER",
}
FORM_BODY_OVERRIDES = {
    "advisories:create": ADVISORY_FORM,
    "advisories:edit": ADVISORY_FORM,
    "advisories:state": {"status": "in_progress"},
    "advisories:indicator_add": {"value": "198.51.100.7", "kind": ""},
    "advisories:incident_indicator_add": {"value": "198.51.100.7", "kind": ""},
}
API_BODY_OVERRIDES = {
    "advisory-list": {
        "summary": "walk",
        "recommended_actions": "walk",
        "deadline": "2099-01-01T10:00:00+07:00",
    },
    "indicator-list": {"value": "198.51.100.7", "kind": ""},
}


def advisory_walk_objects(*, coordinator, system, incident) -> dict:
    """A published TLP:AMBER advisory to org A's system (so org B sees none of it), its target and state
    rows, and an indicator on both the advisory and org A's incident."""
    advisory = services.create_advisory(
        actor=coordinator,
        title="Cảnh báo Alpha: lỗ hổng Tomcat",
        summary="Alpha",
        recommended_actions="Cập nhật",
        deadline=timezone.now() + datetime.timedelta(days=7),
        products=[{"vendor": "Apache", "product": "Tomcat", "versions": "<9.0.80"}],
    )
    services.set_targets(actor=coordinator, advisory=advisory, systems=[system])
    services.publish_advisory(actor=coordinator, advisory=advisory)
    target = advisory.targets.get()
    indicator = add_indicator(actor=coordinator, value="198.51.100.5", advisory=advisory).indicator
    add_indicator(actor=coordinator, value="198.51.100.5", incident=incident)
    return {
        "advisory": advisory,
        "advisory_target": target,
        "system_state": target.states.get(),
        "indicator": indicator,
    }
