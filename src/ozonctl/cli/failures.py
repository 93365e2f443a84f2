"""One line for every failure: what was wrong and what to do, and its exit code."""

from __future__ import annotations

from ozonctl.errors import OzonctlError
from ozonctl.exitcodes import ExitCode


def describe(exc: BaseException) -> tuple[str, ExitCode]:
    if isinstance(exc, OzonctlError):
        return exc.one_line(), exc.exit_code
    mod = type(exc).__module__
    if mod.startswith("ozonctl.client"):
        return _describe_api(exc)
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file", ExitCode.ERROR
    if isinstance(exc, PermissionError):
        return f"{exc.filename}: permission denied", ExitCode.ERROR
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", ExitCode.ERROR
    return last_resort(exc)


def last_resort(exc: BaseException) -> tuple[str, ExitCode]:
    """An error nothing above expected (a bug): its kind and text on one line, and how
    to see where it happened."""
    text = " ".join(str(exc).split())
    return (
        f"internal error: {type(exc).__name__}: {text} — run the command again with --debug "
        "for the traceback, and report it",
        ExitCode.ERROR,
    )


def _trace(exc: BaseException) -> str:
    trace = getattr(exc, "trace_id", None)
    return f" [trace id {trace}]" if trace else ""


def _describe_api(exc: BaseException) -> tuple[str, ExitCode]:
    from ozonctl.client import errors as E

    if isinstance(exc, E.AuthenticationError | E.PermissionDeniedError):
        from ozonctl.keys import NEW_KEY, refusal_reason

        reason = refusal_reason(exc.message)
        if reason is not None:
            said = "has expired" if reason == "expired" else "was revoked"
            return (
                f"Ozon refused the API key: it {said} "
                f"(HTTP {exc.status}: {exc.message}){_trace(exc)} — {NEW_KEY}",
                ExitCode.AUTH,
            )
    if isinstance(exc, E.AuthenticationError):
        return (
            f"Ozon refused the credentials (HTTP 401: {exc.message}){_trace(exc)} — check "
            "them with `ozonctl auth status` (keys expire after 3 months) or log in again "
            "with `ozonctl auth login`",
            ExitCode.AUTH,
        )
    if isinstance(exc, E.BadCredentialsError):
        return (
            f"{exc.message} — log in again with `ozonctl auth login` (type or paste the key "
            "as Ozon shows it)",
            ExitCode.AUTH,
        )
    if isinstance(exc, E.RedirectError):
        return f"{exc.path}: {exc.message}{_trace(exc)}", ExitCode.ERROR
    if isinstance(exc, E.PermissionDeniedError):
        return (
            f"Ozon denied access to {exc.path} (HTTP 403: {exc.message}){_trace(exc)} — the "
            "API key may lack a role for this method, be deactivated or IP-restricted",
            ExitCode.AUTH,
        )
    if isinstance(exc, E.MethodRetiredError):
        return (
            f"{exc.path}: {exc.message}{_trace(exc)} — update ozonctl; Ozon retires methods "
            "on fixed dates",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.RateLimitError):
        return (
            f"{exc.path}: {exc.message}{_trace(exc)} — wait and run again, or lower `rps` "
            "with `ozonctl config set rps N`",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.WriteOutcomeUnknown):
        return (
            f"{exc.message} — ozonctl did not send it again; check the result before retrying",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.APITimeoutError):
        return (
            f"{exc.message} (timed out) — try again, or raise `timeout` in config",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.APIConnectionError):
        return f"{exc.message} — {exc.hint}", ExitCode.ERROR
    if isinstance(exc, E.ServerError):
        return (
            f"{exc.path}: Ozon answered HTTP {exc.status}: {exc.message}{_trace(exc)} — "
            "Ozon may be down; try again later",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.APIStatusError):
        code = f" code {exc.code}" if exc.code is not None else ""
        return (
            f"{exc.path}: Ozon refused the request (HTTP {exc.status}{code}): "
            f"{exc.message}{_trace(exc)}",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.UnexpectedAnswerError):
        return (
            "Ozon answered something ozonctl does not understand: "
            f"{exc.method} {exc.path}: {exc.field} {exc.problem} — update ozonctl, or "
            "report it with the output of --debug",
            ExitCode.ERROR,
        )
    if isinstance(exc, E.APIError):
        return str(exc.message), ExitCode.ERROR
    return f"{type(exc).__name__}: {exc}", ExitCode.ERROR
