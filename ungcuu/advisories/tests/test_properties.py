"""Property tests (hypothesis) of the advisory parsers: indicators (defanged too), CVE ids, version
constraints and the product lines of the form.

Each parser either answers or raises Django's ValidationError (its documented refusal, with a message);
normalising is idempotent; defanging never changes what an indicator is; texts the platform writes read
back to the same values. Derandomized: the same examples every run.
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from ungcuu.advisories.forms import parse_product_lines
from ungcuu.advisories.validators import IndicatorKind, detect_kind, normalize_cve_ids, normalize_indicator
from ungcuu.advisories.versions import Constraint, parse_constraint, parse_version

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
TEXT = st.text(max_size=80)


def refused(call, *args) -> bool:
    try:
        call(*args)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
        return True
    return False


# --- indicators -------------------------------------------------------------------------------------

LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
DOMAIN = st.builds(lambda labels, tld: ".".join([*labels, tld]), st.lists(LABEL, min_size=1, max_size=3),
                   st.from_regex(r"[a-z]{2,6}", fullmatch=True))  # fmt: skip
IPV4 = st.ip_addresses(v=4).map(str)
IPV6 = st.ip_addresses(v=6).map(str)
URL = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https", "ftp"]),
    st.one_of(DOMAIN, IPV4),
    st.from_regex(r"[A-Za-z0-9_/-]{0,20}", fullmatch=True),
)
LOCAL_PART = st.from_regex(r"[A-Za-z0-9._-]{1,12}", fullmatch=True)
EMAIL = st.builds(lambda local, domain: f"{local}@{domain}", LOCAL_PART, DOMAIN)
HASH = st.sampled_from([32, 40, 64]).flatmap(
    lambda n: st.text("0123456789abcdefABCDEF", min_size=n, max_size=n)
)
INDICATOR = st.one_of(DOMAIN, IPV4, IPV6, URL, EMAIL, HASH)
# Fuzz around real indicators: prefixes, suffixes and brackets of the defanging notations.
NOISY = st.builds(lambda a, b, c: a + b + c, st.sampled_from(["", "[", "(", "hxxp://", "<"]), INDICATOR,
                  st.sampled_from(["", ".", "]", "[.]", "/", ">", "@"]))  # fmt: skip


def defang(value: str) -> str:
    """How CERT bulletins print an indicator so nobody clicks it."""
    out = value.replace("http", "hxxp", 1) if value.startswith("http") else value
    out = out.replace("@", "[at]")
    return out.replace(".", "[.]") if ":" not in out.split("//")[-1] else out.replace(".", "(.)")


@PROPERTY
@given(st.one_of(TEXT, NOISY))
def test_any_text_is_an_indicator_or_a_validation_error(value):
    if refused(normalize_indicator, None, value):
        return
    kind, canonical = normalize_indicator(None, value)
    assert kind in IndicatorKind.values
    assert normalize_indicator(kind, canonical) == (kind, canonical)  # normalising is idempotent


@PROPERTY
@given(st.one_of(TEXT, NOISY), st.sampled_from(IndicatorKind.values))
def test_a_chosen_kind_normalises_or_refuses(value, kind):
    if not refused(normalize_indicator, kind, value):
        canonical = normalize_indicator(kind, value)[1]
        assert normalize_indicator(kind, canonical) == (kind, canonical)


@PROPERTY
@given(INDICATOR)
def test_defanged_indicators_normalise_to_the_live_spelling(value):
    assert normalize_indicator(None, defang(value)) == normalize_indicator(None, value)


@PROPERTY
@given(INDICATOR)
def test_real_indicators_are_detected_as_their_kind(value):
    kind = detect_kind(value)
    if "://" in value:
        assert kind == IndicatorKind.URL
    elif "@" in value:
        assert kind == IndicatorKind.EMAIL
    elif _is_ip(value):
        assert kind in {IndicatorKind.IPV4, IndicatorKind.IPV6}


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# --- CVE ids ----------------------------------------------------------------------------------------

CVE_ID = st.builds(lambda y, n: f"cve-{y}-{n:04d}", st.integers(1999, 2100), st.integers(0, 10**7))


@PROPERTY
@given(st.one_of(TEXT, st.lists(st.one_of(CVE_ID, TEXT), max_size=5).map(" ,".join)))
def test_cve_lists_normalise_idempotently_or_refuse(text):
    if not refused(normalize_cve_ids, text):
        ids = normalize_cve_ids(text)
        assert normalize_cve_ids(ids) == ids
        assert all(cve == cve.upper() and cve.startswith("CVE-") for cve in ids)
        assert len(set(ids)) == len(ids)


# --- versions -----------------------------------------------------------------------------------------

VERSION = st.lists(st.integers(0, 10**6), min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
OPERATOR = st.sampled_from(["", "==", "!=", "<", "<=", ">", ">=", "="])
CLAUSE = st.one_of(
    st.builds(lambda op, v: f"{op}{v}", OPERATOR, VERSION),
    st.builds(lambda op, v: f"{op}{v}.*", st.sampled_from(["", "==", "!="]), VERSION),
)
CONSTRAINT = st.lists(st.lists(CLAUSE, min_size=1, max_size=3).map(",".join), min_size=1, max_size=3).map(
    " || ".join
)
VENDOR_VERSION = st.one_of(
    VERSION,
    st.builds(lambda v, p: f"{v}_P{p}", VERSION, st.integers(0, 99)),
    st.builds(lambda v, e: f"{v}{e}", VERSION, st.sampled_from(["c", "g", "i"])),
    st.builds(lambda v, suffix: f"v{v}{suffix}", VERSION, TEXT),
)


@PROPERTY
@given(st.one_of(TEXT, CONSTRAINT), st.one_of(TEXT, VENDOR_VERSION))
def test_any_constraint_parses_or_refuses_and_matching_never_raises(text, installed):
    if refused(parse_constraint, text):
        return
    constraint = parse_constraint(text)
    assert isinstance(constraint, Constraint)
    assert constraint.matches(installed) in {True, False, None}
    assert parse_constraint(constraint.text) == constraint  # the stored text reads back the same


@PROPERTY
@given(CONSTRAINT)
def test_well_formed_constraints_are_understood(text):
    assert not parse_constraint(text).is_everything


@PROPERTY
@given(st.one_of(TEXT, VENDOR_VERSION))
def test_versions_parse_to_a_version_that_round_trips_or_to_none(text):
    version = parse_version(text)
    assert version is None or isinstance(version, Version)
    if version is not None:
        assert parse_version(str(version)) == version


@PROPERTY
@given(VERSION)
def test_an_exact_version_matches_itself_and_its_series(version):
    assert parse_constraint(version).matches(version) is True
    assert parse_constraint(f"{version}.*").matches(version) is True
    assert parse_constraint(f"!={version}").matches(version) is False


# --- the form's product lines -------------------------------------------------------------------------

PART = st.text(
    st.characters(blacklist_characters=";", blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
)


@PROPERTY
@given(TEXT)
def test_product_lines_parse_or_refuse(text):
    if not refused(parse_product_lines, text):
        assert all(row["product"] for row in parse_product_lines(text))


@PROPERTY
@given(st.lists(st.tuples(PART, PART.filter(str.strip), PART), max_size=4))
def test_product_lines_round_trip_through_the_edit_form_text(rows):
    # products_as_text writes "vendor; product; versions" per line; the edit form reads it back.
    text = "\n".join(f"{vendor}; {product}; {versions}" for vendor, product, versions in rows)
    parsed = parse_product_lines(text)
    expected = [
        {"vendor": v.strip(), "product": p.strip(), "versions": s.strip()}
        for v, p, s in rows
        if (v + p + s).strip()
    ]
    assert parsed == expected
