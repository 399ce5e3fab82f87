"""The one error vocabulary of the domain: what a service raises when a change is not possible now.

Services raise these; they are mapped once for pages (`ungcuu.core.actions`: the page again with the
message and status 409) and once for the API (`ungcuu.api.base.exception_handler`: 409 with `detail`).
"""

from __future__ import annotations


class Conflict(Exception):
    """The object's current state does not allow this change (answered 409 by pages and the API)."""


class InvalidTransition(Conflict):
    """A state change that the object's transition table does not allow (STYLE rule 4)."""
