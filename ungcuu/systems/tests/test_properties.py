"""Property tests (hypothesis) of the registry's parsers: public IPs, domain names, software lines.

Each answers or raises ValidationError (its documented refusal); normalising is idempotent; the software
text the edit form shows reads back to the same rows. Derandomized: the same examples every run.
"""

from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ungcuu.systems.forms import parse_software
from ungcuu.systems.validators import normalize_domains, normalize_ips

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
TEXT = st.text(max_size=80)
NETWORK = st.one_of(
    st.ip_addresses().map(str),
    st.builds(lambda ip, bits: f"{ip}/{bits}", st.ip_addresses(v=4), st.integers(0, 40)),
    st.builds(lambda ip, bits: f"{ip}/{bits}", st.ip_addresses(v=6), st.integers(0, 140)),
)
DOMAIN = st.from_regex(r"([a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?\.){1,3}[a-zA-Z]{2,6}\.?", fullmatch=True)
VIETNAMESE = st.sampled_from(["sở-y-tế.vn", "Bộ-Công-An.GOV.VN.", "ủbnd.ninhbinh.vn", "xn--.vn", "a..vn"])


def normalized_or_refused(normalize, value):
    try:
        out = normalize(value)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
        return None
    assert normalize(out) == out  # idempotent: the stored list validates as it is
    assert len(set(out)) == len(out)
    return out


@PROPERTY
@given(st.one_of(TEXT, st.lists(st.one_of(NETWORK, TEXT), max_size=5)))
@example(["203.0.113.1/24", "203.0.113.0/24"])  # one network written twice was stored twice (found here)
def test_public_ips_normalise_idempotently_or_refuse(value):
    normalized_or_refused(normalize_ips, value)


@PROPERTY
@given(st.lists(NETWORK, min_size=1, max_size=5))
def test_real_addresses_and_networks_are_accepted(values):
    valid = [v for v in values if "/" not in v or int(v.rsplit("/", 1)[1]) <= (32 if "." in v else 128)]
    assert normalized_or_refused(normalize_ips, valid) is not None


@PROPERTY
@given(st.one_of(TEXT, st.lists(st.one_of(DOMAIN, VIETNAMESE, TEXT), max_size=5)))
@example(["Portal.VN", "portal.vn."])  # likewise one domain in two spellings
def test_domains_normalise_idempotently_or_refuse(value):
    normalized_or_refused(normalize_domains, value)


@PROPERTY
@given(st.lists(DOMAIN, min_size=1, max_size=5))
def test_real_domains_are_accepted_in_lower_case_without_the_root_dot(values):
    out = normalized_or_refused(normalize_domains, values)
    assert out is not None
    assert all(d == d.lower() and not d.endswith(".") for d in out)


PART = st.text(
    st.characters(blacklist_characters=";", blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
)


@PROPERTY
@given(TEXT)
def test_software_lines_parse_or_refuse(text):
    try:
        rows = parse_software(text)
    except ValidationError as exc:
        assert exc.messages
        return
    assert all(row["product"] for row in rows)


@PROPERTY
@given(st.lists(st.tuples(PART, PART.filter(str.strip), PART), max_size=4))
def test_software_lines_round_trip_through_the_edit_form_text(rows):
    # software_as_text writes "vendor; product; version" per line; the edit form reads it back.
    text = "\n".join(f"{vendor}; {product}; {version}" for vendor, product, version in rows)
    expected = [
        {"vendor": v.strip()[:100], "product": p.strip()[:150], "version": s.strip()[:60]} for v, p, s in rows
    ]
    assert parse_software(text) == expected
