"""Self-hosted anti-spam challenge for the public report page: no outside service, no JavaScript.

A signed token carries a small sum and its issue time; the answer must match, the form must not be
submitted faster than a person can type, the token expires, and each token is accepted once.

Fair to people (issue 15): the minimum fill time counts once, from the first time the page was shown.
A form re-shown with an error (a mistyped phone, a wrong answer, "too fast") gets a token that keeps the
first showing's time and the same question, so a person who corrects one field and sends again at once
is not refused as a robot, and a right answer stays filled in. A robot gains nothing from this: the
carried time only ever makes the form older, and it still expires an hour after the first showing.
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
    carried: bool = False  # renewed from the person's earlier token: same question, same first showing

    def accepts(self, answer) -> bool:
        """Whether `answer` is right for this question (to keep a right answer on a re-shown form)."""
        data = _read(self.token)
        return data is not None and str(answer).strip() == str(data["a"] + data["b"])


def _issue(a: int, b: int, first_shown: float, carried: bool) -> Challenge:
    token = signing.dumps({"a": a, "b": b, "t": first_shown, "n": secrets.token_hex(8)}, salt=SALT)
    return Challenge(
        question=_("How much is %(a)s + %(b)s?") % {"a": a, "b": b}, token=token, carried=carried
    )


def _read(token: str) -> dict | None:
    try:
        return signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None


def new_challenge(rng: random.Random | None = None) -> Challenge:
    rng = rng or random.SystemRandom()
    return _issue(rng.randint(2, 9), rng.randint(2, 9), time.time(), carried=False)


def renew(token: str, *, now: float | None = None) -> Challenge:
    """The token for a re-shown form: the same question and first-showing time when `token` is genuine
    and not expired, otherwise a new challenge. A fresh nonce either way (each token is accepted once)."""
    data = _read(token)
    if data is None or (now or time.time()) - data["t"] > MAX_AGE_SECONDS:
        return new_challenge()
    return _issue(data["a"], data["b"], data["t"], carried=True)


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
    age = (now or time.time()) - data["t"]
    if age > MAX_AGE_SECONDS:  # the first showing's time is carried over re-showings: it bounds them
        return _("The form expired; please answer the new question.")
    if age < MIN_AGE_SECONDS:
        return _("The form was sent too fast; please check it and send again.")
    if not cache.add(f"challenge-used:{data['n']}", 1, timeout=MAX_AGE_SECONDS):
        return _("This form was already sent; please answer the new question.")
    return None
