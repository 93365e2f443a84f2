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

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        sent: bool = False,
        hint: str = "check the network and --base-url/OZON_API_URL",
    ) -> None:
        super().__init__(message, path=path)
        self.sent = sent
        """True when the request may have reached the server."""
        self.hint = hint
        """What to do about it."""


class BadCredentialsError(APIError):
    """The Client-Id or API key cannot be sent at all (e.g. a non-ASCII character)."""


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


class RedirectError(APIStatusError):
    """3xx: something between ozonctl and Ozon sent it elsewhere; redirects are not
    followed (the keys would go along) and never read as a good answer."""

    def __init__(self, message: str, *, location: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.location = location


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


class UnexpectedAnswerError(APIError):
    """A successful answer the client's models cannot read (a field missing, of another
    type, out of its documented range): never a traceback, never a figure made up."""

    def __init__(self, *, method: str, path: str, field: str, problem: str) -> None:
        super().__init__(
            f"Ozon answered something ozonctl does not understand: {method} {path}: "
            f"{field} {problem}",
            path=path,
        )
        self.method = method
        self.field = field
        self.problem = problem

    @classmethod
    def from_validation(
        cls, method: str, path: str, exc: Exception, *, where: str = ""
    ) -> UnexpectedAnswerError:
        """From a pydantic ``ValidationError``: its first error's field and problem;
        ``where`` is the place in the answer of what was validated (``items[3]``)."""
        errors = getattr(exc, "errors", None)
        first: dict[str, Any] = errors()[0] if callable(errors) and errors() else {}
        field = where
        for part in first.get("loc", ()):
            if isinstance(part, int):
                field += f"[{part}]"
            elif not part.startswith(("function-", "union[", "nullable[")) and "[" not in part:
                field += f".{part}" if field else str(part)
        if first.get("type") == "missing":
            problem = "is missing"
        else:
            shown = repr(first.get("input"))
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            problem = f"{str(first.get('msg', exc)).lower()} (got {shown})"
        return cls(method=method, path=path, field=field or "the body", problem=problem)
