"""Small value helpers: money, time, deterministic hashing, opaque page tokens.

Money is kept as ``Decimal`` (or, in the compact product columns, as integer kopecks)
and rendered the way Ozon renders it: strings with two decimals in most places,
``{"amount": "...", "currency": "RUB"}`` objects in the 2026 promo methods, and JSON
numbers where the spec says ``number``.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

CURRENCY = "RUB"
CENT = Decimal("0.01")
_MASK64 = (1 << 64) - 1


def kop_to_dec(kop: int) -> Decimal:
    """Integer kopecks to a two-decimal ``Decimal``."""
    return (Decimal(kop) / 100).quantize(CENT)


def dec_to_kop(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def q2(value: Decimal) -> Decimal:
    """Round to the kopeck, half up (how Ozon rounds fees)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal | int) -> str:
    """A price as Ozon writes it in strings: ``"1234.50"``."""
    if isinstance(value, int):
        value = kop_to_dec(value)
    return str(q2(value))


def money_obj(value: Decimal | int) -> dict[str, str]:
    """The ``Money`` object of the 2026 promo and finance methods."""
    return {"amount": money_str(value), "currency": CURRENCY}


def money_num(value: Decimal | int) -> float:
    """A price as a JSON number (exact for two-decimal values below 1e13)."""
    if isinstance(value, int):
        value = kop_to_dec(value)
    return float(q2(value))


def parse_money(raw: object) -> Decimal | None:
    """A price sent by a client (string or number); None when it is not one."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, dict):
        raw = raw.get("amount")
    if not isinstance(raw, str | int | float):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return q2(value) if value.is_finite() else None


# --- time ------------------------------------------------------------------------------


def iso(moment: datetime | float | None) -> str:
    """RFC 3339 in UTC with a ``Z``, as Ozon returns date-times (a float is Unix time)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.timestamp()
    return _iso(int(moment))


@lru_cache(maxsize=65_536)
def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def day_str(day: date) -> str:
    return day.isoformat()


def parse_day(raw: object) -> date | None:
    """``YYYY-MM-DD`` or a full date-time; the date part in UTC."""
    moment = parse_moment(raw)
    return moment.date() if moment is not None else None


def parse_moment(raw: object) -> datetime | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def days(n: float) -> timedelta:
    return timedelta(days=n)


# --- deterministic hashing ----------------------------------------------------------------


def mix(*parts: int) -> int:
    """A 64-bit splitmix hash of integers: cheap per-item determinism without state."""
    h = 0x9E3779B97F4A7C15
    for part in parts:
        h = (h ^ (part & _MASK64)) & _MASK64
        h = (h + 0x9E3779B97F4A7C15) & _MASK64
        h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
        h ^= h >> 31
    return h


def hash32(seed: int, i: int, salt: int) -> int:
    """A cheap 32-bit hash for per-product traits looked up on every render."""
    x = (i * 0x9E3779B1 + seed * 0x85EBCA77 + salt * 0xC2B2AE3D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    return x ^ (x >> 12)


# --- page tokens -------------------------------------------------------------------------


def encode_token(position: int) -> str:
    """An opaque ``last_id``/``cursor`` string, the way Ozon's look (base64 of JSON)."""
    return base64.b64encode(json.dumps([position]).encode()).decode()


def decode_token(token: str) -> int | None:
    """The position inside a token; None when the token is not one of ours."""
    try:
        value: Any = json.loads(base64.b64decode(token.encode(), validate=True))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], int):
        return int(value[0]) if value[0] >= 0 else None
    return None
