"""Client defaults in one place."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://api-seller.ozon.ru"

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
WRITE_TIMEOUT = 30.0
POOL_TIMEOUT = 30.0

MAX_RETRIES = 4
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server asking to wait longer than this ends the retries with a RateLimitError."""

DEFAULT_RPS = 50.0
"""Ozon's documented limit: about 50 requests a second per Client-Id, all methods."""
DEFAULT_BURST = 30
DEFAULT_CONCURRENCY = 8
MAX_PAGES = 100_000
"""Hard cap on pages of one walk (100,000 pages of 1,000 items is far past any shop)."""

MAX_RESPONSE_BYTES = 64 << 20
"""An answer's body is read up to 64 MB (a page of 1,000 product cards is ~2 MB); a
longer one is refused, not read into memory."""
MIN_REDACTED_LENGTH = 6
"""Keys at least this long are taken out of errors and logs (Ozon's are 36 characters;
a shorter string would be found inside ordinary words)."""

TRACE_HEADER = "x-o3-trace-id"
RATELIMIT_REMAINING_HEADER = "ratelimit-remaining"
"""Requests left for the method before a 429 (on every answer since 2026-09-25)."""
SECRET_HEADERS = frozenset({"api-key", "authorization", "cookie", "set-cookie"})
USER_AGENT = "ozonctl/{version} (+https://github.com/ozonctl/ozonctl)"
