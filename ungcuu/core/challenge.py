"""Self-hosted anti-spam challenge for the public report page: no outside service, no JavaScript.

A signed token carries a small sum and its issue time; the answer must match, the form must not be
submitted faster than a person can type, the token expires, and each token is accepted once.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

SALT = "ungcuu.public-report.challenge"
MAX_AGE_SECONDS = 3600
MIN_AGE_SECONDS = 3


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def new_challenge(rng: random.Random | None = None) -> Challenge:
    rng = rng or random.SystemRandom()
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    token = signing.dumps({"a": a, "b": b, "t": time.time(), "n": secrets.token_hex(8)}, salt=SALT)
    return Challenge(question=_("How much is %(a)s + %(b)s?") % {"a": a, "b": b}, token=token)


def check_answer(token: str, answer: int | None, *, now: float | None = None) -> str | None:
    """None when the answer is acceptable, otherwise the reason to show the person."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return _("The form expired; please answer the new question.")
    except signing.BadSignature:
        return _("The anti-spam check failed; please answer the new question.")
    if answer != data["a"] + data["b"]:
        return _("The answer to the anti-spam question is wrong.")
    if (now or time.time()) - data["t"] < MIN_AGE_SECONDS:
        return _("The form was sent too fast; please check it and send again.")
    if not cache.add(f"challenge-used:{data['n']}", 1, timeout=MAX_AGE_SECONDS):
        return _("This form was already sent; please answer the new question.")
    return None
