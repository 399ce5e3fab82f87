"""Obligations in Vietnamese, with the duties DOMAIN.md §g lists (issue 13 point 11)."""

from django.urls import reverse
from icalendar import Calendar

from ungcuu.obligations.ical import issue_token
from ungcuu.obligations.models import ObligationDefinition

UNSCHEDULED = ["RISK_ASSESSMENT", "POLICE_ISP_INSPECTION", "REGULATION_REVIEW", "PUBLISH_CONTACT_24x7"]


def test_duties_domain_g_lists_without_an_interval_are_seeded_in_vietnamese_at_the_review_period(
    db, settings
):
    seeded = {d.code: d for d in ObligationDefinition.objects.filter(code__in=UNSCHEDULED)}
    assert set(seeded) == set(UNSCHEDULED)
    for code, definition in seeded.items():
        assert definition.title_vi and definition.basis_vi, code
        assert definition.period_months == settings.OBLIGATION_REVIEW_MONTHS[code]
    assert seeded["RISK_ASSESSMENT"].applies_to_kinds  # "departments, district UBND" in words


def test_obligation_pages_show_titles_never_internal_codes_domain_g(client_for, coordinator):
    client = client_for(coordinator)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("obligations:definitions")).content.decode()
    assert "VULN_SCAN_THREAT_HUNT" not in page.replace('edit=VULN_SCAN_THREAT_HUNT"', "")
    assert ObligationDefinition.objects.get(code="VULN_SCAN_THREAT_HUNT").title_vi in page


def test_ical_feed_cites_the_legal_basis_in_vietnamese_domain_g(client_for, manager, scan_a):
    response = client_for().get(reverse("obligations:ical", args=[issue_token(actor=manager)]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    scan = next(e for e in events if str(e["uid"]) == f"occurrence-{scan_a.pk}@ungcuu.obligations")
    assert scan_a.definition.basis_vi in str(scan["description"])
