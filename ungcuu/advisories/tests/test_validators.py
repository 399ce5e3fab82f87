"""Indicator normalisation (one spelling per indicator) and CVE ids."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from ungcuu.advisories.validators import IndicatorKind, normalize_cve_ids, normalize_indicator

K = IndicatorKind


@pytest.mark.parametrize(
    ("value", "kind", "canonical"),
    [
        (" 198.51.100.7 ", K.IPV4, "198.51.100.7"),
        ("198.51.100[.]7", K.IPV4, "198.51.100.7"),
        ("2001:DB8:0:0:0:0:0:1", K.IPV6, "2001:db8::1"),
        ("[2001:db8::1]", K.IPV6, "2001:db8::1"),
        ("Evil.Example.COM.", K.DOMAIN, "evil.example.com"),
        ("evil[.]example[.]com", K.DOMAIN, "evil.example.com"),
        ("sởytế.vn", K.DOMAIN, "xn--syt-9jz5g.vn"),
        ("HXXPS://Evil.Example.com:443/Login.PHP?a=B#top", K.URL, "https://evil.example.com/Login.PHP?a=B"),
        ("http://evil.example.com", K.URL, "http://evil.example.com/"),
        ("http://EVIL.example.com.:8080/x", K.URL, "http://evil.example.com:8080/x"),
        ("http://[2001:DB8::1]/a", K.URL, "http://[2001:db8::1]/a"),
        ("http://198.51.100.7:80/a", K.URL, "http://198.51.100.7/a"),
        ("D41D8CD98F00B204E9800998ECF8427E", K.MD5, "d41d8cd98f00b204e9800998ecf8427e"),
        ("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", K.SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", K.SHA256,
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("Admin@Evil.Example.COM", K.EMAIL, "admin@evil.example.com"),
        ("admin[@]evil[.]example.com", K.EMAIL, "admin@evil.example.com"),
    ],
)  # fmt: skip
def test_indicators_are_detected_and_normalized(value, kind, canonical):
    assert normalize_indicator(None, value) == (kind, canonical)


def test_the_same_indicator_in_other_spellings_is_one_value():
    spellings = ["EVIL.example.com", "evil.example.com.", "evil[.]example[.]com", " evil.example.com "]
    assert {normalize_indicator(None, s) for s in spellings} == {(K.DOMAIN, "evil.example.com")}


@pytest.mark.parametrize(
    ("kind", "value", "says"),
    [
        (None, "", "Enter an indicator"),
        (None, "not an indicator", "is not an IP address"),
        (None, "1.2.3", "is not an IP address"),
        (K.IPV4, "203.0.113.300", "not a valid IPv4"),
        (K.IPV4, "2001:db8::1", "not a valid IPv4"),
        (K.DOMAIN, "-bad-.example.com", "not a valid domain"),
        (K.DOMAIN, "localhost", "not a valid domain"),
        (K.URL, "evil.example.com/path", "not a URL"),
        (K.MD5, "xyz", "hash of 32"),
        (K.SHA256, "d41d8cd98f00b204e9800998ecf8427e", "hash of 64"),
        (K.EMAIL, "no-at-sign", "not a valid e-mail"),
        ("cidr", "10.0.0.0/8", "Unknown kind"),
    ],
)
def test_bad_indicators_get_a_clear_message(kind, value, says, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as caught:
        normalize_indicator(kind, value)
    assert says in " ".join(caught.value.messages)


def test_cve_ids_are_normalized_and_deduplicated():
    assert normalize_cve_ids("cve-2023-44487, CVE-2023-44487\nCVE-2021-44228") == [
        "CVE-2023-44487",
        "CVE-2021-44228",
    ]
    assert normalize_cve_ids(["CVE-2024-123456"]) == ["CVE-2024-123456"]


@pytest.mark.parametrize("bad", ["CVE-23-1234", "CVE-2023-123", "2023-44487", "CVE-1900-1234"])
def test_bad_cve_ids_are_refused(bad):
    with pytest.raises(ValidationError):
        normalize_cve_ids([bad])


def test_a_vietnamese_domain_typed_composed_or_decomposed_is_one_value():
    composed, decomposed = "sởytế.vn", unicodedata.normalize("NFD", "SỞYTẾ.vn")
    assert normalize_indicator(None, composed) == normalize_indicator(None, decomposed)
