"""Base URL checks (no heavy imports: settings use them)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class UnsafeBaseURLError(ValueError):
    """A base URL that would send keys in clear text, or is not a URL at all."""


def is_loopback_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """True for a URL whose host is this machine (the sandbox)."""
    return is_loopback_host(urlsplit(url).hostname or "")


def redact_url(url: str) -> str:
    """``url`` with the password of its userinfo, if any, as ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return parts._replace(netloc=f"{name}:***@{host}").geturl()


def check_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash, or raise if it is not safe to send keys to."""
    try:
        parts = urlsplit(url)
        shown = redact_url(url)
    except ValueError:
        raise UnsafeBaseURLError(f"base URL {url!r} is not a URL") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeBaseURLError(
            f"base URL {shown!r} is not an http(s) URL; use e.g. https://api-seller.ozon.ru"
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise UnsafeBaseURLError(
            f"base URL {shown!r} is plain http on a non-loopback host; keys never travel in "
            "clear text — use https:// (http:// only for 127.0.0.1/localhost)"
        )
    return url.rstrip("/")
