import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ungcuu.systems.validators import normalize_domains, normalize_ips, split_items


def test_split_items_accepts_text_or_lists_and_drops_duplicates():
    assert split_items("a, b;c\n d  a") == ["a", "b", "c", "d"]
    assert split_items(["a", " a ", "", "b"]) == ["a", "b"]
    assert split_items(None) == []


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("203.0.113.10", ["203.0.113.10"]),
        ("203.0.113.5/28", ["203.0.113.0/28"]),
        ("2001:DB8::1", ["2001:db8::1"]),
        ("203.0.113.10\n198.51.100.7, 203.0.113.10", ["203.0.113.10", "198.51.100.7"]),
        ("", []),
    ],
)
def test_ips_are_normalized(given, normalized):
    assert normalize_ips(given) == normalized


@pytest.mark.parametrize("bad", ["999.1.1.1", "1.2.3", "203.0.113.0/33", "example.vn", "1.1.1.1/x"])
def test_malformed_ips_are_rejected_by_name(bad):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        normalize_ips(["203.0.113.10", bad])
    assert bad in exc.value.messages[0]
    assert "203.0.113.10" not in exc.value.messages[0]


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("congthongtin.example.gov.vn", ["congthongtin.example.gov.vn"]),
        ("WWW.Example.VN.", ["www.example.vn"]),
        ("một-cửa.vn", ["xn--mt-ca-4b2bxf.vn"]),
        ("xn--80ak6aa92e.com", ["xn--80ak6aa92e.com"]),
        ("a-b.c-d.example.vn", ["a-b.c-d.example.vn"]),
    ],
)
def test_domains_are_normalized(given, normalized):
    assert normalize_domains(given) == normalized


@pytest.mark.parametrize(
    "bad",
    ["bad_domain..vn", "bad_domain.vn", "-dash.vn", "dash-.vn", "localhost", "example.123", "a" * 64 + ".vn"],
)
def test_malformed_domains_are_rejected_by_name(bad):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        normalize_domains(["ok.example.vn", bad])
    assert bad in exc.value.messages[0]
    assert "ok.example.vn" not in exc.value.messages[0]
