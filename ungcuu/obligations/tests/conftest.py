"""Obligations fixtures: uploads go to a per-test MEDIA_ROOT; occurrences come from the real services."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import browser, new_context, shot, vietnamese_catalog  # noqa: F401 - browser
from ungcuu.obligations import engine, services


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def scan_a(system_a, today):
    """Org A's open vulnerability-scan occurrence for its level-3 portal, due at the end of this half."""
    engine.run_obligations(now=today)
    return system_a.obligations.get(definition__code="VULN_SCAN_THREAT_HUNT", due_on__gte=today,
                                    due_on__lte=today + datetime.timedelta(days=184))  # fmt: skip


@pytest.fixture
def dossier_b(system_b, today):
    """Org B's open level-dossier occurrence (the outsider's)."""
    return services.notify_level_change(system=system_b, on=today)
