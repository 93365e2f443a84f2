"""The transport: one keep-alive connection pool, the rate limiter and the retry loop.

Retry table (reads and writes alike unless said):
- 429, or any error body with Ozon code 8: retried, honouring ``Retry-After`` up to
  ``MAX_RETRY_AFTER`` (a longer ask ends the retries with ``RateLimitError``).
- Connection failures before the request was sent (connect error/timeout, pool timeout):
  retried.
- 5xx, read timeouts and connections dropped after sending: retried for reads only. For a
  write they raise ``WriteOutcomeUnknown``: it may have run, so it is never sent again.
- Every other 4xx: raised at once.
"""

from __future__ import annotations

import email.utils
import json
import random
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from ozonctl import __version__
from ozonctl.client import _constants as C
from ozonctl.client._httpx import Client, httpx
from ozonctl.client.endpoints import RETIRED, Endpoint, for_path
from ozonctl.client.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MethodRetiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    WriteOutcomeUnknown,
)
from ozonctl.client.ratelimit import RateLimiter
from ozonctl.client.urls import check_base_url

LogFn = Callable[[str], None]

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After-Ms``/``Retry-After`` (seconds or HTTP date)."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


_DONE_STREAM = httpx.ByteStream(b"")


def _unbind(resp: httpx.Response) -> None:
    """Break the reference cycle httpx leaves between a read response and its stream
    (``BoundSyncStream`` holds the response to set ``elapsed`` on close), so a response
    — with its body, up to a few MB a page — is freed as soon as it is dropped, not
    at the next collection of cycles. The body is read and the stream closed by then."""
    if resp.is_closed:
        resp.stream = _DONE_STREAM


def backoff_delay(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """``min(0.5·2ⁿ, 8) × (1 − 0.25·random())``."""
    base = min(C.INITIAL_RETRY_DELAY * float(2**attempt), C.MAX_RETRY_DELAY)
    return base * (1 - 0.25 * rand())


def _decode_error(resp: httpx.Response) -> tuple[Any, int | str | None, str, list[Any]]:
    """Body, Ozon code, message and details of an error response, whatever its shape."""
    text = resp.text
    if not text.strip():
        return None, None, "empty response body", []
    try:
        body = json.loads(text)
    except ValueError:
        ctype = resp.headers.get("content-type", "")
        if "html" in ctype or text.lstrip().lower().startswith(("<!doctype", "<html")):
            return text, None, "HTML error page (a proxy in front of Ozon answered)", []
        return text, None, text.strip().splitlines()[0][:200], []
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):  # legacy {"error": {"code": "NOT_FOUND_ERROR", ...}}
            msg = str(err.get("message") or err.get("code") or "error")
            return body, err.get("code"), msg, list(err.get("data") or [])
        code = body.get("code")
        msg = str(body.get("message") or "") or f"HTTP {resp.status_code}"
        details = body.get("details")
        return body, code, msg, details if isinstance(details, list) else []
    return body, None, str(body)[:200], []


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


class BaseClient:
    """Sends requests for one Client-Id. Thread-safe: bulk helpers share one instance."""

    def __init__(
        self,
        *,
        client_id: str,
        api_key: str,
        base_url: str = C.DEFAULT_BASE_URL,
        rps: float | None = C.DEFAULT_RPS,
        burst: int = C.DEFAULT_BURST,
        concurrency: int = C.DEFAULT_CONCURRENCY,
        per_minute: Mapping[str, int] | None = None,
        max_retries: int = C.MAX_RETRIES,
        timeout: httpx.Timeout | None = None,
        transport: httpx.BaseTransport | None = None,
        log: LogFn | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.client_id = client_id
        self._api_key = api_key
        self.concurrency = max(1, concurrency)
        self.max_retries = max_retries
        self._log = log
        self._sleep = sleep if sleep is not None else _sleep
        limits = dict(per_minute) if per_minute is not None else _default_per_minute()
        self.limiter = RateLimiter(client_id, rps, burst=burst, per_minute=limits)
        self._http = Client(
            base_url=self.base_url,
            headers={
                "Client-Id": client_id,
                "Api-Key": api_key,
                "Content-Type": "application/json",
                "User-Agent": C.USER_AGENT.format(version=__version__),
            },
            timeout=timeout
            or httpx.Timeout(
                C.READ_TIMEOUT,
                connect=C.CONNECT_TIMEOUT,
                write=C.WRITE_TIMEOUT,
                pool=C.POOL_TIMEOUT,
            ),
            limits=httpx.Limits(
                max_connections=self.concurrency, max_keepalive_connections=self.concurrency
            ),
            transport=transport,
            verify=_tls_verify(self.base_url),
            follow_redirects=False,
        )
        self._urls: dict[str, httpx.URL] = {}
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self.server_date: str | None = None
        """The ``Date`` header of the last response (``ozonctl doctor`` checks the clock)."""

    # -- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- logging ------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        """Remove the API key from any text (a last line of defence for logs)."""
        if self._api_key and self._api_key in text:
            text = text.replace(self._api_key, "***")
        return text

    def _debug(self, text: str) -> None:
        if self._log is not None:
            self._log(self.redact(text))

    def _count(self, name: str) -> None:
        with self._stats_lock:
            self.stats[name] += 1

    # -- requests -----------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        write: bool,
        parse: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Send one call with retries; return the decoded JSON body ({} when empty).

        ``parse`` turns a successful body's bytes into the result instead of ``json.loads``
        (e.g. a pydantic ``TypeAdapter.validate_json``, which parses and validates in one
        pass); errors are decoded as usual."""
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        attempt = 0
        while True:
            self.limiter.acquire(path)
            started = time.monotonic()
            self._count("requests")
            try:
                resp = self._http.request(method, self._url(path), content=content)
            except _NOT_SENT as exc:
                self._debug(f"{method} {path} attempt {attempt + 1}: not sent ({exc!r})")
                if attempt < self.max_retries:
                    self._retry_wait(attempt, None)
                    attempt += 1
                    continue
                raise APIConnectionError(
                    f"cannot connect to {self.base_url}: {_short(exc)}", path=path, sent=False
                ) from exc
            except httpx.TransportError as exc:
                timed_out = isinstance(exc, httpx.TimeoutException)
                self._debug(
                    f"{method} {path} attempt {attempt + 1}: "
                    f"{'timed out' if timed_out else 'connection dropped'} ({exc!r})"
                )
                if write:
                    raise WriteOutcomeUnknown(
                        f"{path}: the request was sent but "
                        f"{'timed out' if timed_out else 'the connection dropped'} before an "
                        "answer; it may or may not have been applied",
                        path=path,
                        cause=exc,
                    ) from exc
                if attempt < self.max_retries:
                    self._retry_wait(attempt, None)
                    attempt += 1
                    continue
                cls = APITimeoutError if timed_out else APIConnectionError
                raise cls(f"{path}: {_short(exc)}", path=path, sent=True) from exc

            self.limiter.answered(path)
            _unbind(resp)
            elapsed = (time.monotonic() - started) * 1000
            self.server_date = resp.headers.get("date")
            trace = resp.headers.get(C.TRACE_HEADER)
            self._debug(
                f"{method} {path} -> {resp.status_code} in {elapsed:.0f} ms"
                + (f" trace={trace}" if trace else "")
                + (f" attempt={attempt + 1}" if attempt else "")
            )
            if resp.status_code < 400:
                return _decode_ok(resp, path, parse)

            payload, code, message, details = _decode_error(resp)
            status = resp.status_code
            about: dict[str, Any] = {
                "path": path,
                "status": status,
                "code": code,
                "details": details,
                "trace_id": trace,
                "body": payload,
            }
            if status == 429 or code == 8:
                self._count("rate_limited")
                retry_after = parse_retry_after(resp.headers)
                if retry_after is not None and retry_after > C.MAX_RETRY_AFTER:
                    raise RateLimitError(
                        f"rate limited; Ozon asks to wait {retry_after:.0f} s",
                        retry_after=retry_after,
                        **about,
                    )
                if attempt < self.max_retries:
                    self.limiter.backoff(retry_after or 0.0)
                    step = self.limiter.throttled(path)
                    if retry_after is None and step is not None:
                        # a per-minute limit: 8, 16, 32, 64 tokens' time (80/min: 6 s,
                        # 12 s, 24 s, 48 s), together longer than Ozon's minute window
                        retry_after = min(step * 8 * 2**attempt, C.MAX_RETRY_AFTER)
                    self._retry_wait(attempt, retry_after)
                    attempt += 1
                    continue
                raise RateLimitError(
                    f"rate limited after {attempt + 1} attempts: {message}",
                    retry_after=retry_after,
                    **about,
                )
            if status >= 500:
                if not write and attempt < self.max_retries:
                    self._retry_wait(attempt, parse_retry_after(resp.headers))
                    attempt += 1
                    continue
                if write:
                    raise WriteOutcomeUnknown(
                        f"{path}: Ozon answered HTTP {status} ({message}) to a write; it may "
                        "or may not have been applied",
                        path=path,
                        cause=ServerError(message, **about),
                    )
                raise ServerError(message, **about)
            if status == 410 or (status == 404 and path in RETIRED):
                successor = RETIRED.get(path)
                raise MethodRetiredError(
                    f"Ozon has switched this method off ({message})"
                    + (f"; its successor is {successor}" if successor else ""),
                    successor=successor,
                    **about,
                )
            status_cls = _STATUS_CLASSES.get(status, APIStatusError)
            raise status_cls(message, **about)

    def _url(self, path: str) -> httpx.URL:
        """``path`` joined to the base URL as httpx joins them, once per path (httpx
        parses both again on every call: ~0.05 ms)."""
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = self._http.build_request("GET", path).url
        return url

    def _retry_wait(self, attempt: int, retry_after: float | None) -> None:
        self._count("retries")
        delay = retry_after if retry_after is not None else backoff_delay(attempt)
        self._sleep(min(delay, C.MAX_RETRY_AFTER))

    def call(
        self,
        endpoint: Endpoint,
        body: Any = None,
        *,
        parse: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Call a row of the endpoint table; writes follow the write retry rules.
        ``parse``: see :meth:`request`."""
        if body is not None and hasattr(body, "model_dump"):
            body = body.model_dump(mode="json", by_alias=True, exclude_none=True)
        if endpoint.method == "GET":
            return self.request("GET", endpoint.path, None, write=endpoint.is_write, parse=parse)
        return self.request(
            "POST",
            endpoint.path,
            {} if body is None else body,
            write=endpoint.is_write,
            parse=parse,
        )

    def raw(self, method: str, path: str, body: Any = None) -> Any:
        """Any path (``ozonctl api``): the table says if it is a write; unknown ⇒ write."""
        ep = for_path(path)
        write = ep.is_write if ep is not None else method.upper() != "GET"
        return self.request(method.upper(), path, body, write=write)


def _tls_verify(base_url: str) -> ssl.SSLContext | bool:
    """httpx's ``verify`` for a client of ``base_url``.

    https: ``True``, httpx's full verification with the CA bundle. http (loopback only,
    see ``check_base_url``): loading the CA bundle costs 30-80 ms of start-up for no TLS
    connection, so the context is one that verifies certificates and host names like any
    other but trusts no authority: should a TLS connection happen all the same (e.g. an
    https proxy from the environment), it fails instead of going unverified."""
    if base_url.lower().startswith("https:"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname on


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _decode_ok(resp: httpx.Response, path: str, parse: Callable[[bytes], Any] | None) -> Any:
    content = resp.content
    try:
        if parse is not None:
            return parse(content or b"{}")
        return json.loads(content) if content else {}
    except ValueError as exc:
        raise APIError(
            f"{path}: Ozon answered HTTP {resp.status_code} with a body that is not JSON",
            path=path,
        ) from exc


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _default_per_minute() -> dict[str, int]:
    from ozonctl.client.endpoints import ENDPOINTS

    return {e.path: e.per_minute for e in ENDPOINTS.values() if e.per_minute}
