"""Property tests (hypothesis) of a coordination request's targets: IPs, networks, domains and URLs.

An ISP must be able to act on every target as written: the parser answers canonical targets or raises
ValidationError, and its answer validates as it is (the model stores it). Derandomized.
"""

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from ungcuu.coordination.validators import MAX_TARGETS, normalize_targets

PROPERTY = settings(max_examples=200, deadline=None, derandomize=True, database=None)
DOMAIN = st.from_regex(r"([a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\.){1,3}[a-z]{2,6}", fullmatch=True)
TARGET = st.one_of(
    st.ip_addresses().map(str),
    st.builds(lambda ip, bits: f"{ip}/{bits}", st.ip_addresses(v=4), st.integers(0, 32)),
    DOMAIN,
    st.builds(
        lambda s, d, p: f"{s}://{d.upper()}/{p}",
        st.sampled_from(["http", "HTTPS", "ftp"]),
        DOMAIN,
        st.from_regex(r"[A-Za-z0-9_/?=&-]{0,20}", fullmatch=True),
    ),  # fmt: skip
)


@PROPERTY
@given(st.one_of(st.text(max_size=120), st.lists(st.one_of(TARGET, st.text(max_size=30)), max_size=6)))
def test_targets_normalise_idempotently_or_refuse(value):
    try:
        targets = normalize_targets(value)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
        return
    assert normalize_targets(targets) == targets
    assert len(targets) <= MAX_TARGETS and len(set(targets)) == len(targets)


@PROPERTY
@given(st.lists(TARGET, min_size=1, max_size=6))
def test_real_targets_are_accepted_and_one_per_line_text_reads_the_same(values):
    targets = normalize_targets(values)
    assert normalize_targets("\n".join(values)) == targets
