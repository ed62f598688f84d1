"""Per-client rate limiting: a token bucket for each client, pure (the clock is passed in).

A client is its remote address (behind a proxy, uvicorn's --proxy-headers makes it the
forwarded one); it holds `burst` tokens, regains `rate` a second and spends one a request.
Buckets of clients that have been quiet long enough to be full again are forgotten, so the
table stays as small as the set of recently active clients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(self, rate_per_s: float, burst: int, *, max_clients: int = 100_000) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst >= 1")
        self.rate = rate_per_s
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str, now: float) -> float:
        """Spend one token of `client`'s at time `now` (seconds, monotonic): 0.0 when allowed,
        else the seconds until a token is there again (the Retry-After)."""
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.max_clients:
                self._forget_full(now)
            bucket = self._buckets[client] = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that are full by now (a fresh bucket is the same); if every client
        is still active, the oldest half (a flood of addresses must not grow the table)."""
        refill = self.burst / self.rate
        self._buckets = {c: b for c, b in self._buckets.items() if now - b.at < refill}
        if len(self._buckets) >= self.max_clients:
            oldest = sorted(self._buckets.items(), key=lambda cb: cb[1].at)
            self._buckets = dict(oldest[len(oldest) // 2:])

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after_header(seconds: float) -> str:
    """Retry-After is whole seconds: rounded up, at least 1."""
    return str(max(1, math.ceil(seconds)))
