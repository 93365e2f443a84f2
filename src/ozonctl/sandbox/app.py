"""Request processing, independent of sockets: faults, routing, auth, limits, checks, log.

The order is Ozon's as far as a client can tell: a fault (a proxy in front) first, then
the path (404, or 410 for a retired method), then the keys (401 missing, 403 wrong), the
rate limit (429), the body (400), and the handler. Paths under ``/__sandbox/`` are the
test and benchmark introspection API and need no keys.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from ozonctl.client.endpoints import BY_PATH, RETIRED, Endpoint

from . import spec
from .errors import (
    INTERNAL,
    INVALID_ARGUMENT,
    NOT_FOUND,
    OBSOLETE_MESSAGE,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    UNAUTHENTICATED,
    UNAVAILABLE,
    UNIMPLEMENTED,
    ApiError,
    error_body,
)
from .faults import FAULT_HEADER, Fault, FaultPlan, parse_fault
from .handlers import HANDLERS, LABEL_FILES, Ctx, RawResponse, label_file
from .handlers.base import Route
from .handlers.postings import render_fbs
from .limits import RateLimiter
from .shop import Shop
from .values import iso

DEFAULT_CLIENT_ID = "sandbox"
DEFAULT_API_KEY = "sandbox-key"
PREFIX = "/__sandbox/"
LOG_LIMIT = 100_000
LOGGED_BODY_LIMIT = 64 * 1024
JSON = "application/json"
HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class Headers(Protocol):
    """Request headers, looked up case-insensitively (``http.client`` messages, dicts)."""

    def get(self, name: str, /) -> str | None: ...


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = JSON
    reset: bool = False
    """Close the connection without answering."""
    headers: tuple[tuple[str, str], ...] = ()
    """More headers (``Ratelimit-Remaining``, ``Retry-After``)."""


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    connections: int = 0
    rate_limited: int = 0
    faults: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests_total": sum(self.requests.values()),
            "requests_by_path": dict(self.requests),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "connections_accepted": self.connections,
            "rate_limited": self.rate_limited,
            "faults_injected": self.faults,
        }


def _json(status: int, payload: object) -> Answer:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Answer(status, data)


def _error(status: int, code: int, message: str) -> Answer:
    return _json(status, error_body(code, message))


def _limited(message: str, retry_after: int | None) -> Answer:
    """Ozon's 429: code 8, and ``Retry-After`` in seconds."""
    answer = _error(429, RESOURCE_EXHAUSTED, message)
    if retry_after is not None:
        answer.headers = (("Retry-After", str(retry_after)),)
    return answer


class SandboxApp:
    def __init__(
        self,
        shop: Shop,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        api_key: str = DEFAULT_API_KEY,
        rps: float | None = None,
        latency_ms: float = 0,
        faults: FaultPlan | None = None,
        validate: bool = True,
    ) -> None:
        self.shop = shop
        self.client_id = client_id
        self.api_key = api_key
        self.latency_s = max(0.0, latency_ms) / 1000
        self.limiter = RateLimiter(rps)
        self.faults = faults or FaultPlan()
        self.validate = validate
        self.stats = Stats()
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)
        self._seq = 0
        self._lock = threading.Lock()
        self._validators: dict[str, spec.Validator | None] = {}
        self.spec_dir = spec.find_spec_dir() if validate else None
        self.validating = bool(self.spec_dir and spec.validation_available())

    # --- entry point ---------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Headers, raw: bytes, base_url: str
    ) -> Answer:
        path = urlsplit(target).path
        if path.startswith(PREFIX):
            return self._introspect(method, path, urlsplit(target).query, raw, base_url)
        client_id = headers.get("Client-Id") or ""
        fault_note = ""
        received = time.time()
        try:
            fault = self._fault(path, headers.get(FAULT_HEADER))
            if fault is not None:
                fault_note = fault.label
                answer = self._apply_fault(fault)
                if answer is not None:
                    self._record(method, path, raw, client_id, answer.status, fault_note, received)
                    return answer
            answer = self._api(method, path, headers, raw, base_url)
            if fault is not None and fault.kind == "after502":
                answer = Answer(502, HTML_502, "text/html")
        except ApiError as err:
            answer = _error(err.status, err.code, err.message)
        self._record(method, path, raw, client_id, answer.status, fault_note, received)
        return answer

    def _fault(self, path: str, header: str | None) -> Fault | None:
        if header:
            try:
                return parse_fault(header)
            except ValueError as err:
                raise ApiError(400, INVALID_ARGUMENT, f"{FAULT_HEADER}: {err}") from None
        return self.faults.take(path)

    def _apply_fault(self, fault: Fault) -> Answer | None:
        with self._lock:
            self.stats.faults += 1
        if fault.kind == "slow":
            time.sleep(fault.delay_ms / 1000)
            return None
        if fault.kind == "after502":
            return None
        return {
            "html502": lambda: Answer(502, HTML_502, "text/html"),
            "empty503": lambda: Answer(503, b"", "text/plain"),
            "503": lambda: _error(503, UNAVAILABLE, "Service Unavailable"),
            "500": lambda: _error(500, INTERNAL, "Internal error"),
            "410": lambda: _error(410, UNIMPLEMENTED, OBSOLETE_MESSAGE),
            "429": lambda: _limited(
                "You have reached request rate limit per second", retry_after=1
            ),
            "302": lambda: Answer(
                302, b"", "text/html", headers=(("Location", "http://127.0.0.1:9/login"),)
            ),
            "reset": lambda: Answer(0, b"", reset=True),
        }[fault.kind]()

    # --- the Seller API ----------------------------------------------------------------------

    def _api(self, method: str, path: str, headers: Headers, raw: bytes, base_url: str) -> Answer:
        route = HANDLERS.get(path)
        if route is None:
            if path in RETIRED:
                return _error(410, UNIMPLEMENTED, OBSOLETE_MESSAGE)
            return _error(404, NOT_FOUND, "Not Found")
        endpoint = BY_PATH.get(path)
        expected = endpoint.method if endpoint else route.method
        if method != expected:
            return _error(405, UNIMPLEMENTED, "method is not allowed")
        client_id = self._authenticate(headers)
        self.shop.key.admit(path)
        verdict = self.limiter.allow(client_id, path, endpoint.per_minute if endpoint else None)
        if verdict.refused is not None:
            with self._lock:
                self.stats.rate_limited += 1
            return _limited(verdict.refused, verdict.retry_after)
        with self.shop.lock:
            over = self.shop.analytics.admit(self.shop, path)
        if over is not None:
            return _limited(*over)
        started = time.monotonic()
        try:
            answer = self._answer(method, path, endpoint, route, raw, base_url, client_id)
        except ApiError as err:
            answer = _error(err.status, err.code, err.message)
        finally:
            self._round_trip(started)
        if verdict.remaining is not None:
            answer.headers += (("Ratelimit-Remaining", str(verdict.remaining)),)
        return answer

    def _round_trip(self, started: float) -> None:
        """Hold the answer until ``latency`` has passed since the request came in: Ozon's
        round trip includes its own work, so the sandbox's work on this machine is not
        added on top of it (an answer that took longer leaves when ready)."""
        left = self.latency_s - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)

    def _answer(
        self,
        method: str,
        path: str,
        endpoint: Endpoint | None,
        route: Route,
        raw: bytes,
        base_url: str,
        client_id: str,
    ) -> Answer:
        body = self._body(method, raw)
        self._check(path, endpoint, route.required, body, method)
        ctx = Ctx(self.shop, endpoint, base_url, client_id)
        try:
            with self.shop.lock:
                result = route.handler(ctx, body)
                if endpoint is None or endpoint.is_write:
                    self.shop.bump()
        except ApiError:
            raise
        except Exception:  # noqa: BLE001 - a bug in a handler is Ozon's 500, not a dead thread
            traceback.print_exc(file=sys.stderr)
            return _error(500, INTERNAL, "Internal error")
        if isinstance(result, RawResponse):
            return Answer(result.status, result.body, result.content_type)
        return _json(200, result)

    def _authenticate(self, headers: Headers) -> str:
        client_id = headers.get("Client-Id") or ""
        api_key = headers.get("Api-Key") or ""
        bearer = headers.get("Authorization") or ""
        if bearer.lower().startswith("bearer ") and not api_key:
            api_key = bearer[7:].strip()
            client_id = client_id or self.client_id
        if not client_id or not api_key:
            raise ApiError(401, UNAUTHENTICATED, "Client-Id and Api-Key headers are required")
        if client_id != self.client_id or api_key != self.api_key:
            raise ApiError(
                403, PERMISSION_DENIED, "Invalid Api-Key, please check the key and try again"
            )
        return client_id

    @staticmethod
    def _body(method: str, raw: bytes) -> dict[str, Any]:
        if method == "GET" or not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise ApiError(400, INVALID_ARGUMENT, f"invalid JSON in request body: {err}") from None
        if not isinstance(body, dict):
            raise ApiError(400, INVALID_ARGUMENT, "request body must be a JSON object")
        return body

    def _check(
        self,
        path: str,
        endpoint: Endpoint | None,
        required: tuple[str, ...],
        body: dict[str, Any],
        method: str,
    ) -> None:
        """Item limits, then the OpenAPI schema, then the fields the handler needs."""
        if endpoint is not None and endpoint.max_items is not None:
            if endpoint.items_field:
                items = _dig(body, endpoint.items_field)
                if isinstance(items, list) and len(items) > endpoint.max_items:
                    raise ApiError(
                        400,
                        INVALID_ARGUMENT,
                        f"{endpoint.items_field}: too many items, {len(items)} > "
                        f"{endpoint.max_items}",
                    )
            size = body.get("page_size" if endpoint.paging == "page" else "limit")
            if endpoint.paging != "none" and isinstance(size, int) and size > endpoint.max_items:
                raise ApiError(
                    400, INVALID_ARGUMENT, f"limit must be at most {endpoint.max_items}, got {size}"
                )
        validator = self._validator(path, method)
        if validator is not None:
            problems = validator(body)
            if problems:
                raise ApiError(400, INVALID_ARGUMENT, "invalid request: " + "; ".join(problems))
        for name in required:
            if body.get(name) is None:
                raise ApiError(400, INVALID_ARGUMENT, f"{name} is required")

    def _validator(self, path: str, method: str) -> spec.Validator | None:
        if not self.validating:
            return None
        if path not in self._validators:
            found = spec.request_validator(path, method.lower(), self.spec_dir)
            self._validators[path] = found
        return self._validators[path]

    # --- log -----------------------------------------------------------------------------------

    def _record(
        self,
        method: str,
        path: str,
        raw: bytes,
        client_id: str,
        status: int,
        fault: str,
        received: float,
    ) -> None:
        """Log one request: ``received`` when it was read, ``time`` when its answer was
        ready (after the round trip's wait), so a trace tells the server's time from
        the client's."""
        with self._lock:
            self._seq += 1
            self.stats.requests[path] += 1
            self.stats.statuses[status] += 1
            self.log.append(
                {
                    "seq": self._seq,
                    "received": received,
                    "time": time.time(),
                    "method": method,
                    "path": path,
                    "client_id": client_id,
                    "status": status,
                    "fault": fault,
                    "raw": raw[:LOGGED_BODY_LIMIT],
                }
            )

    def requests(self, path: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            entries = [
                e for e in self.log if e["seq"] > since and (path is None or e["path"] == path)
            ]
        return [_public(e) for e in entries]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.stats = Stats()

    # --- /__sandbox/ ---------------------------------------------------------------------------

    def _introspect(self, method: str, path: str, query: str, raw: bytes, base_url: str) -> Answer:
        args = {k: v[-1] for k, v in parse_qs(query).items()}
        name = path[len(PREFIX) :].rstrip("/")
        try:
            if name == "requests" and method == "GET":
                limit = int(args.get("limit", "0") or 0)
                found = self.requests(args.get("path"), int(args.get("since", "0") or 0))
                return _json(200, {"requests": found[-limit:] if limit else found})
            if name == "reset-log" and method == "POST":
                self.reset_log()
                return _json(200, {"ok": True})
            if name == "stats" and method == "GET":
                with self._lock:
                    return _json(200, self.stats.as_dict())
            if name == "health":
                return _json(200, {"ok": True, "pid": os.getpid()})
            if name == "faults":
                return self._faults(method, raw)
            if name == "key":
                with self.shop.lock:
                    if method == "POST":
                        self.shop.key.configure(json.loads(raw or b"{}"))
                    return _json(200, self.shop.key.as_dict())
            if name == "clock":
                return self._clock(method, raw)
            if name == "rename" and method == "POST":  # a seller changes an offer id
                payload = json.loads(raw or b"{}")
                with self.shop.lock:
                    i = self.shop.catalog.by_product_id(int(payload["product_id"]))
                    if i is None:
                        raise KeyError(payload["product_id"])
                    self.shop.catalog.renamed[i] = str(payload["offer_id"])
                    self.shop.catalog.updated[i] = self.shop.now  # the card changed
                return _json(200, {"ok": True})
            if name == "subscription":
                return self._subscription(method, raw)
            if name == "analytics":
                with self.shop.lock:
                    if method == "POST":
                        self.shop.analytics.advance += float(json.loads(raw or b"{}")["advance"])
                    return _json(200, self.shop.analytics.as_dict(self.shop))
            if name == "orders" and method == "POST":  # new buyers' orders to ship
                with self.shop.lock:
                    count = int(json.loads(raw or b"{}").get("count", 1))
                    return _json(200, {"posting_numbers": self.shop.orders.place_new(count)})
            if path.startswith(LABEL_FILES) and method == "GET":
                return self._label(path)
            if name == "state" or name.startswith("state/"):
                with self.shop.lock:
                    return self._state(name.split("/")[1:], base_url)
        except (ValueError, KeyError, TypeError) as err:
            return _error(400, INVALID_ARGUMENT, f"bad introspection request: {err}")
        return _error(404, NOT_FOUND, f"no such sandbox path: {method} {path}")

    def _faults(self, method: str, raw: bytes) -> Answer:
        from .faults import parse_rule

        if method == "POST":
            payload = json.loads(raw or b"{}")
            if payload.get("clear"):
                self.faults.clear()
            if payload.get("rule"):
                self.faults.add(parse_rule(str(payload["rule"])))
        return _json(200, {"faults": self.faults.rules()})

    def _clock(self, method: str, raw: bytes) -> Answer:
        """The shop's day. POST ``{"today": "YYYY-MM-DD"}`` or ``{"days": N}`` moves it
        forward; the auto-add lists whose date has come then add their products."""
        from datetime import date, timedelta

        shop = self.shop
        with shop.lock:
            if method != "POST":
                return _json(200, {"today": shop.today.isoformat(), "now": iso(shop.now)})
            payload = json.loads(raw or b"{}")
            if "today" in payload:
                day = date.fromisoformat(str(payload["today"]))
            else:
                day = shop.today + timedelta(days=int(payload.get("days", 1)))
            return _json(200, shop.move_to(day))

    def _subscription(self, method: str, raw: bytes) -> Answer:
        """The shop's subscription tier (``reviews.TIERS``): POST ``{"tier": "none"}``
        makes every review method answer 403, as Ozon does without one; below Premium Plus
        ``/v1/analytics/data`` allows 50 requests a day and the free metrics only, and
        ``/v1/seller/info`` names the tier;
        questions and chat writes answer only Premium Plus and Premium Pro
        (``buyers.PLUS_TIERS``)."""
        from .buyers import PLUS_TIERS
        from .reviews import TIERS

        reviews = self.shop.reviews
        if method == "POST":
            tier = str(json.loads(raw or b"{}").get("tier", ""))
            if tier not in TIERS:
                raise ValueError(f"tier must be one of {', '.join(TIERS)}, got {tier!r}")
            with self.shop.lock:
                reviews.subscription = tier
        plus = reviews.subscription in PLUS_TIERS
        return _json(
            200,
            {
                "tier": reviews.subscription,
                "reviews": reviews.allowed,
                "questions": plus,
                "chats": plus,
            },
        )

    def _label(self, path: str) -> Answer:
        stem = path[len(LABEL_FILES) :].removesuffix(".pdf")
        task = self.shop.orders.labels.get(int(stem)) if stem.isdigit() else None
        if task is None:
            return _error(404, NOT_FOUND, "no such label file")
        raw = label_file(task)
        return Answer(raw.status, raw.body, raw.content_type)

    def _state(self, parts: list[str], base_url: str) -> Answer:
        shop, cat = self.shop, self.shop.catalog
        if not parts:
            return _json(200, shop.summary())
        kind, key = parts[0], "/".join(parts[1:])
        if kind == "product":
            i = cat.by_offer_id(key) if not key.isdigit() else cat.by_product_id(int(key))
            if i is None and key.isdigit():
                i = cat.by_sku(int(key))
            if i is not None:
                return _json(200, shop.product_state(i))
        elif kind == "posting" and key in shop.orders.by_number:
            p = shop.orders.by_number[key]
            extras = {"analytics_data": True, "financial_data": True}
            data = render_fbs(shop, p, extras, full=True) if p.scheme == "fbs" else {}
            data.update(scheme=p.scheme, status=p.status, substatus=p.substatus)
            return _json(200, data)
        elif kind == "action" and key.isdigit() and int(key) in shop.promos.actions:
            promo = shop.promos.actions[int(key)]
            ids = [cat.product_id(i) for i in promo.participants()]
            return _json(
                200,
                {"id": promo.id, "kind": promo.kind, "participants": len(ids), "product_ids": ids},
            )
        elif kind == "fbo-only":
            return _json(200, shop.fbo_only_state())
        elif kind == "config":
            return _json(
                200,
                {
                    "base_url": base_url,
                    "client_id": self.client_id,
                    "validating": self.validating,
                    "seed": shop.seed,
                    "products": shop.size,
                    "today": shop.today.isoformat(),
                },
            )
        return _error(404, NOT_FOUND, f"nothing at state/{'/'.join(parts)}")


def _dig(body: dict[str, Any], dotted: str) -> Any:
    node: Any = body
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _public(entry: dict[str, Any]) -> dict[str, Any]:
    raw: bytes = entry["raw"]
    try:
        body: Any = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        body = raw.decode("utf-8", "replace")
    public = {k: v for k, v in entry.items() if k != "raw"}
    public["body"] = body
    return public
