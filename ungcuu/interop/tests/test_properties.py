"""The mail parser takes whatever arrives: it never raises, and what it returns is usable text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ungcuu.interop.mailparse import decode, html_to_text, machine_kind, parse

HEADERS = st.sampled_from(
    [
        b"From: ",
        b"Subject: ",
        b"Message-ID: ",
        b"Content-Type: ",
        b"Date: ",
        b"References: ",
        b"Auto-Submitted: ",
    ]
)
LINES = st.lists(st.tuples(HEADERS, st.binary(max_size=60)), max_size=8)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(head=LINES, body=st.binary(max_size=400))
def test_any_bytes_parse_without_an_exception(head, body):
    raw = b"".join(name + value + b"\r\n" for name, value in head) + b"\r\n" + body

    mail = parse(raw)

    assert mail.message_id.startswith("<") and len(mail.message_id) <= 255
    assert len(mail.subject) <= 300 and "\n" not in mail.subject
    assert mail.sender == "" or "@" in mail.sender
    assert machine_kind(mail) in {"", "bounce", "auto_reply", "loop"}


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    payload=st.binary(max_size=200),
    charset=st.sampled_from([None, "utf-8", "windows-1258", "x-viet-tcvn", "bogus", "latin-1"]),
)
def test_decoding_always_gives_nfc_text(payload, charset):
    text = decode(payload, charset)

    assert unicodedata.is_normalized("NFC", text)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_html_to_text_drops_every_script(markup):
    text = html_to_text(f"<p>{markup}</p><script>steal()</script>")

    assert "steal()" not in text


def test_the_same_bytes_without_a_message_id_get_the_same_key():
    raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody"

    assert parse(raw).message_id == parse(raw).message_id != parse(raw + b"!").message_id
