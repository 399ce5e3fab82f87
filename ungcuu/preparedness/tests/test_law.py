"""Scenario pages name incident categories in words, never their codes (issue 13 point 7; DOMAIN.md §c)."""

import re

from django.urls import reverse


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags (attribute values such as option values are data)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_scenario_pages_show_the_vietnamese_category_never_its_code_domain_c(client_for, manager, scenario_a):
    client = client_for(manager)
    client.cookies["django_language"] = "vi"
    urls = [
        reverse("preparedness:scenario_list"),
        reverse("preparedness:scenario_detail", args=[scenario_a.pk]),
    ]
    for url in urls:
        text = visible_text(client.get(url).content.decode())
        assert "Tấn công từ chối dịch vụ" in text and "ATTACK.DOS" not in text, url
