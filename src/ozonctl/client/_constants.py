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

TRACE_HEADER = "x-o3-trace-id"
SECRET_HEADERS = frozenset({"api-key", "authorization", "cookie", "set-cookie"})
USER_AGENT = "ozonctl/{version} (+https://github.com/ozonctl/ozonctl)"
