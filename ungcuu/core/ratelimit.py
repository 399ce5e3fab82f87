"""A fixed-window rate limit over Django's cache, for the public (no-account) doors.

Why not django-ratelimit: it refuses the embedded caches `make run` uses (LocMem) as a system-check
error and has had no release since 2023; the rule we need is a dozen lines. With the Redis cache
(`CACHE_REDIS_URL`) `incr` is atomic across processes. Callers key by `ungcuu.core.clientip.client_ip`.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; True while the caller is within `limit` hits in the current window."""
    window = int(time.time() // window_seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: start again
        cache.add(cache_key, 1, timeout=window_seconds + 5)
        return True
    return count <= limit
