"""The transport: one keep-alive connection pool, the rate limiter, one send step, and the
loop that asks the retry policy (``_retry.decide``) what to do after each attempt.

What is sent and read:
- the body of an answer is read up to ``MAX_RESPONSE_BYTES``; a longer one, a body that
  is not JSON or is nested past the parser's depth is refused with one message;
- ``Ratelimit-Remaining`` of every answer goes to the limiter, ``Retry-After`` of a 429
  to the retry policy;
- the API key, and a password in the base URL, are taken out of every error message and
  log line (Ozon may echo the key back in an error);
- redirects are not followed (the keys would go along to wherever they point) and a 3xx
  is an error, never a good answer;
- proxy variables (``HTTP_PROXY``, ``ALL_PROXY``, …) are ignored for a loopback base URL
  (the sandbox): the key would otherwise go to the proxy in clear text. An https base
  URL may go through a proxy; the request then travels in a TLS tunnel (``CONNECT``)
  that the proxy cannot read.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ozonctl import __version__
from ozonctl.client import _constants as C
from ozonctl.client._httpx import Client, httpx
from ozonctl.client._retry import (
    DROPPED,
    NOT_SENT,
    REFUSED,
    TIMED_OUT,
    TOO_LARGE,
    Decision,
    Event,
    decide,
    parse_retry_after,
)
from ozonctl.client.endpoints import RETIRED, Endpoint, for_path
from ozonctl.client.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadCredentialsError,
    BadRequestError,
    ConflictError,
    MethodRetiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    ServerError,
    WriteOutcomeUnknown,
)
from ozonctl.client.ratelimit import RateLimiter
from ozonctl.client.urls import check_base_url, is_loopback_url, redact_url

LogFn = Callable[[str], None]

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
}


class Answer(NamedTuple):
    """An HTTP answer whose body was read (at most ``MAX_RESPONSE_BYTES``)."""

    status: int
    headers: httpx.Headers
    content: bytes


class Failure(NamedTuple):
    """No answer: one of the transport events of ``_retry`` and the exception behind it."""

    event: Event
    exc: Exception


class TooLarge(Exception):
    """An answer's body passed ``MAX_RESPONSE_BYTES``."""


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
        self.shown_url = redact_url(self.base_url)
        """The base URL as errors and logs show it (without a password)."""
        _check_credentials(client_id, api_key)
        self.client_id = client_id
        self._api_key = api_key
        self._secrets = _secrets(api_key, self.base_url)
        self.concurrency = max(1, concurrency)
        self.max_retries = max_retries
        self._log = log
        self._sleep = sleep if sleep is not None else _sleep
        self.loopback = is_loopback_url(self.base_url)
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
            trust_env=not self.loopback,  # no proxy may see a key sent in clear text
        )
        self._urls: dict[str, httpx.URL] = {}
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self.server_date: str | None = None
        """The ``Date`` header of the last response (``ozonctl doctor`` checks the clock)."""
        self.before_write: Callable[[str], None] | None = None
        """Called with the path before every write is sent (and before a bulk write's
        first batch); raising stops it unsent (the CLI checks the key's roles there)."""
        self.write_refused: Callable[[str], None] | None = None
        """Called with the path when Ozon answers a write 403 (the CLI forgets the key's
        cached roles there: they changed at Ozon, so the next run asks again)."""

    # -- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- logging ------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        """``text`` without the API key or the base URL's password (errors and logs)."""
        for secret, stand_in in self._secrets:
            if secret in text:
                text = text.replace(secret, stand_in)
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
        """Send one call, retrying as ``_retry.decide`` says; return the decoded JSON body
        ({} when empty).

        ``parse`` turns a successful body's bytes into the result instead of ``json.loads``
        (e.g. a pydantic ``TypeAdapter.validate_json``, which parses and validates in one
        pass); errors are decoded as usual."""
        if write and self.before_write is not None:
            self.before_write(path)
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        attempt = 0
        while True:
            outcome = self._send(method, path, content, attempt)
            if isinstance(outcome, Failure):
                decision = decide(
                    outcome.event, write=write, attempt=attempt, max_retries=self.max_retries
                )
                if decision.action == "raise":
                    raise self._failure_error(path, outcome, decision) from outcome.exc
            else:
                status = outcome.status
                error = None if status < 300 else self._decode_error(outcome)
                code = None if error is None else error[1]
                limited = status == 429 or code == 8
                retry_after = parse_retry_after(outcome.headers) if status >= 429 else None
                step = None
                if limited:
                    self._count("rate_limited")
                    step = self.limiter.throttled(path)
                decision = decide(
                    status,
                    write=write,
                    attempt=attempt,
                    max_retries=self.max_retries,
                    code=code,
                    retry_after=retry_after,
                    step=step,
                )
                if decision.action == "return":
                    return self._decode_ok(outcome, path, write, parse)
                if decision.action == "raise":
                    assert error is not None
                    if write and status == 403 and self.write_refused is not None:
                        self.write_refused(path)
                    raise self._status_error(path, outcome, error, decision, attempt, retry_after)
                if limited:
                    self.limiter.backoff(retry_after or 0.0)  # every caller holds back
            self._count("retries")
            self._sleep(decision.wait)
            attempt += 1

    def _send(
        self, method: str, path: str, content: bytes | None, attempt: int
    ) -> Answer | Failure:
        """One attempt: wait for the limiter, send, read the answer (or say why none came)."""
        self.limiter.acquire(path)
        started = time.monotonic()
        self._count("requests")
        try:
            request = self._http.build_request(method, self._url(path), content=content)
            resp = self._http.send(request, stream=True)
            try:
                answer = Answer(resp.status_code, resp.headers, _read(resp))
            finally:
                resp.close()
                resp.stream = _DONE_STREAM  # frees the response without the cycle collector
        except _NOT_SENT as exc:
            event: Event = NOT_SENT
            if isinstance(exc, httpx.ConnectError) and self.loopback:
                event = REFUSED
            self._debug(f"{method} {path} attempt {attempt + 1}: not sent ({exc!r})")
            return Failure(event, exc)
        except (httpx.TransportError, TooLarge) as exc:
            event = TIMED_OUT if isinstance(exc, httpx.TimeoutException) else DROPPED
            if isinstance(exc, TooLarge):
                event = TOO_LARGE
            self._debug(f"{method} {path} attempt {attempt + 1}: {event} ({exc!r})")
            return Failure(event, exc)
        self.limiter.answered(path, _remaining(answer.headers))
        self.server_date = answer.headers.get("date")
        trace = answer.headers.get(C.TRACE_HEADER)
        self._debug(
            f"{method} {path} -> {answer.status} in {(time.monotonic() - started) * 1000:.0f} ms"
            + (f" trace={trace}" if trace else "")
            + (f" attempt={attempt + 1}" if attempt else "")
        )
        return answer

    # -- answers and errors -------------------------------------------------------------
    def _decode_ok(
        self, answer: Answer, path: str, write: bool, parse: Callable[[bytes], Any] | None
    ) -> Any:
        content = answer.content
        try:
            if parse is not None:
                return parse(content or b"{}")
            return json.loads(content) if content else {}
        except (ValueError, RecursionError) as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else "not JSON"
            if write:
                raise WriteOutcomeUnknown(
                    f"{path}: Ozon answered HTTP {answer.status} with a body that is {why}; "
                    "the write may or may not have been applied",
                    path=path,
                ) from None
            raise APIError(
                f"{path}: Ozon answered HTTP {answer.status} with a body that is {why}", path=path
            ) from None

    def _decode_error(self, answer: Answer) -> tuple[Any, int | str | None, str, list[Any]]:
        """Body, Ozon code, message and details of an error answer, whatever its shape,
        with the key taken out (Ozon may echo it)."""
        text = self.redact(answer.content.decode("utf-8", "replace"))
        if not text.strip():
            return None, None, "empty response body", []
        try:
            body = json.loads(text)
        except (ValueError, RecursionError):
            ctype = answer.headers.get("content-type", "")
            if "html" in ctype or text.lstrip().lower().startswith(("<!doctype", "<html")):
                return text, None, "HTML error page (a proxy in front of Ozon answered)", []
            return text, None, text.strip().splitlines()[0][:200], []
        if isinstance(body, dict):
            err = body.get("error")
            if isinstance(err, dict):  # legacy {"error": {"code": "NOT_FOUND_ERROR", ...}}
                msg = str(err.get("message") or err.get("code") or "error")
                return body, err.get("code"), msg, list(err.get("data") or [])
            code = body.get("code")
            msg = str(body.get("message") or "") or f"HTTP {answer.status}"
            details = body.get("details")
            return body, code, msg, details if isinstance(details, list) else []
        return body, None, str(body)[:200], []

    def _status_error(
        self,
        path: str,
        answer: Answer,
        error: tuple[Any, int | str | None, str, list[Any]],
        decision: Decision,
        attempt: int,
        retry_after: float | None,
    ) -> APIError:
        payload, code, message, details = error
        status = answer.status
        about: dict[str, Any] = {
            "path": path,
            "status": status,
            "code": code,
            "details": details,
            "trace_id": answer.headers.get(C.TRACE_HEADER),
            "body": payload,
        }
        if decision.may_have_run:
            return WriteOutcomeUnknown(
                f"{path}: Ozon answered HTTP {status} ({message}) to a write; it may or may "
                "not have been applied",
                path=path,
                cause=ServerError(message, **about),
            )
        if status < 400:
            location = self.redact(answer.headers.get("location", ""))
            return RedirectError(
                f"Ozon answered HTTP {status}, a redirect"
                + (f" to {location}" if location else "")
                + f"; ozonctl follows no redirects — check the base URL {self.shown_url}",
                location=location or None,
                **about,
            )
        if status == 429 or code == 8:
            if retry_after is not None and retry_after > C.MAX_RETRY_AFTER:
                return RateLimitError(
                    f"rate limited; Ozon asks to wait {retry_after:.0f} s",
                    retry_after=retry_after,
                    **about,
                )
            return RateLimitError(
                f"rate limited after {attempt + 1} attempts: {message}",
                retry_after=retry_after,
                **about,
            )
        if status >= 500:
            return ServerError(message, **about)
        if status == 410 or (status == 404 and path in RETIRED):
            successor = RETIRED.get(path)
            return MethodRetiredError(
                f"Ozon has switched this method off ({message})"
                + (f"; its successor is {successor}" if successor else ""),
                successor=successor,
                **about,
            )
        return _STATUS_CLASSES.get(status, APIStatusError)(message, **about)

    def _failure_error(self, path: str, failure: Failure, decision: Decision) -> APIError:
        why = self.redact(_short(failure.exc))
        if decision.may_have_run:
            what = {
                TIMED_OUT: "timed out",
                TOO_LARGE: f"its answer was larger than {C.MAX_RESPONSE_BYTES >> 20} MB",
            }.get(str(failure.event), "the connection dropped")
            return WriteOutcomeUnknown(
                f"{path}: the request was sent but {what} before an answer could be read; "
                "it may or may not have been applied",
                path=path,
                cause=failure.exc,
            )
        if failure.event == REFUSED:
            return APIConnectionError(
                f"cannot connect to {self.shown_url}: {why}",
                path=path,
                sent=False,
                hint="nothing listens there; start the sandbox with `ozonctl sandbox serve`, "
                "or check --base-url/OZON_API_URL",
            )
        if failure.event == NOT_SENT:
            return APIConnectionError(
                f"cannot connect to {self.shown_url}: {why}", path=path, sent=False
            )
        if failure.event == TOO_LARGE:
            return APIError(
                f"{path}: Ozon's answer is larger than {C.MAX_RESPONSE_BYTES >> 20} MB; not read",
                path=path,
            )
        cls = APITimeoutError if failure.event == TIMED_OUT else APIConnectionError
        return cls(f"{path}: {why}", path=path, sent=True)

    def _url(self, path: str) -> httpx.URL:
        """``path`` joined to the base URL as httpx joins them, once per path (httpx
        would parse both again on every call)."""
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = self._http.build_request("GET", path).url
        return url

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


_DONE_STREAM = httpx.ByteStream(b"")


def _read(resp: httpx.Response) -> bytes:
    """The body, decoded as the server encoded it, refused past ``MAX_RESPONSE_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > C.MAX_RESPONSE_BYTES:
            raise TooLarge(f"answer larger than {C.MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _remaining(headers: httpx.Headers) -> int | None:
    value = headers.get(C.RATELIMIT_REMAINING_HEADER)
    return int(value) if value is not None and value.strip().isdigit() else None


def _check_credentials(client_id: str, api_key: str) -> None:
    """Refuse credentials no HTTP header can carry (a non-ASCII or control character:
    usually a copy-paste slip) before anything is built or sent; never shows them."""
    for name, value in (("Client-Id", client_id), ("API key", api_key)):
        if not value.isascii() or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
            raise BadCredentialsError(
                f"the {name} has characters an HTTP header cannot carry (non-ASCII or "
                "control characters, often a copy-paste slip)"
            )


def _secrets(api_key: str, base_url: str) -> tuple[tuple[str, str], ...]:
    """What ``redact`` replaces, and with what: the key (when long enough to find
    reliably; real keys are 36 characters) and the base URL's password."""
    from urllib.parse import urlsplit

    found = [(api_key, "***")] if len(api_key) >= C.MIN_REDACTED_LENGTH else []
    password = urlsplit(base_url).password
    if password:
        found.append((f":{password}@", ":***@"))
    return tuple(found)


def _tls_verify(base_url: str) -> ssl.SSLContext | bool:
    """httpx's ``verify`` for a client of ``base_url``.

    https: ``True``, httpx's full verification with the CA bundle. http (loopback only,
    see ``check_base_url``): loading the CA bundle would be start-up work for no TLS
    connection, so the context is one that verifies certificates and host names like any
    other but trusts no authority: should a TLS connection happen all the same, it fails
    instead of going unverified."""
    if base_url.lower().startswith("https:"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname on


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _default_per_minute() -> dict[str, int]:
    from ozonctl.client.endpoints import ENDPOINTS

    return {e.path: e.per_minute for e in ENDPOINTS.values() if e.per_minute}
