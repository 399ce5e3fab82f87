"""Periodic work of this app, for ungcuu/core/schedule.py (idempotent; takes no arguments)."""

from ungcuu.vulnerabilities.services import expire_risk_acceptances


def expire_due_risk_acceptances() -> int:
    """Accepted risks past their date return to open; running it twice changes nothing more."""
    return expire_risk_acceptances()
