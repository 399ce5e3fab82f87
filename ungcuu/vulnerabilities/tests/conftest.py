"""Messages are asserted in English: service-level tests run with English active, as the clients do."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
