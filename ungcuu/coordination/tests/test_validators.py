"""Targets an ISP can act on: IPs, networks, domain names, URLs; everything else is refused."""

import pytest
from django.core.exceptions import ValidationError

from ungcuu.coordination.validators import MAX_TARGETS, normalize_targets, validate_targets


def test_targets_are_normalised_and_deduplicated():
    text = "203.0.113.10\n203.0.113.10\n2001:DB8::1\n198.51.100.7/24\nAlpha.Example.GOV.vn.\nHTTP://Phish.Example.com/a,b?x=1;y=2"
    assert normalize_targets(text) == [
        "203.0.113.10",
        "2001:db8::1",
        "198.51.100.0/24",
        "alpha.example.gov.vn",
        "http://phish.example.com/a,b?x=1;y=2",
    ]


def test_internationalised_domain_names_become_punycode():
    [target] = normalize_targets(["CổngThôngTin.vn"])
    assert target.startswith("xn--") and target == "cổngthôngtin.vn".encode("idna").decode()


@pytest.mark.parametrize(
    "bad", ["999.1.1.1", "localhost", "javascript:alert(1)", "mailto://x", "a b c!", "-bad-.vn"]
)
def test_things_an_isp_cannot_act_on_are_refused(bad):
    with pytest.raises(ValidationError):
        normalize_targets([bad])


def test_too_many_targets_are_refused():
    with pytest.raises(ValidationError):
        normalize_targets([f"10.0.{i // 256}.{i % 256}" for i in range(MAX_TARGETS + 1)])


def test_model_validator_wants_a_list():
    with pytest.raises(ValidationError):
        validate_targets("203.0.113.10")
    validate_targets(["203.0.113.10"])
