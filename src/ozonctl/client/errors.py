"""The client's exception tree.

``APIError`` → ``APIStatusError`` (status, Ozon code, message, details, trace id) with a
subclass per status class, and ``APIConnectionError`` → ``APITimeoutError``.
``WriteOutcomeUnknown`` marks a write whose request may have run (a timeout or 5xx after
it was sent): it is never retried, and the user is told to check the outcome.
"""

from __future__ import annotations

from typing import Any


class APIError(Exception):
    """Anything that went wrong talking to the Seller API."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class APIConnectionError(APIError):
    """The request could not be completed at the network level."""

    def __init__(self, message: str, *, path: str = "", sent: bool = False) -> None:
        super().__init__(message, path=path)
        self.sent = sent
        """True when the request may have reached the server."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class APIStatusError(APIError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        status: int,
        code: int | str | None = None,
        details: list[Any] | None = None,
        trace_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, path=path)
        self.status = status
        self.code = code
        self.details = details or []
        self.trace_id = trace_id
        self.body = body

    def __str__(self) -> str:
        parts = [f"HTTP {self.status}"]
        if self.code is not None:
            parts.append(f"code {self.code}")
        text = f"{self.path}: {self.message} ({', '.join(parts)})"
        if self.trace_id:
            text += f" [trace {self.trace_id}]"
        return text


class BadRequestError(APIStatusError):
    """400: Ozon refused the request body."""


class AuthenticationError(APIStatusError):
    """401: missing or invalid Client-Id / Api-Key."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks a role, is deactivated or IP-restricted."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class MethodRetiredError(APIStatusError):
    """410 (or 404 on a path Ozon retired): the method is switched off."""

    def __init__(self, message: str, *, successor: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.successor = successor


class RateLimitError(APIStatusError):
    """429 (or body code 8) after the retries, or a Retry-After above the cap."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx, including proxies' HTML and empty bodies."""


class WriteOutcomeUnknown(APIError):
    """A write was sent and then timed out or got a 5xx: it may or may not have run."""

    def __init__(self, message: str, *, path: str, cause: Exception | None = None) -> None:
        super().__init__(message, path=path)
        self.cause = cause


class PaginationError(APIError):
    """A page walk saw a repeated key or passed the page cap."""
