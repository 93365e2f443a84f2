"""``httpx``, imported without httpx's own command line.

httpx's ``__init__`` runs ``try: from ._main import main`` to offer an ``httpx`` command.
Where ``click`` is installed (mkdocs and many other tools bring it in) that imports
click, pygments, ``rich.syntax`` and ``rich.progress``: ~90 ms of every ozonctl command
that talks to Ozon, for a command line neither ozonctl nor its users call through
``httpx.main``. A module without ``main`` standing in for ``httpx._main`` while httpx
loads makes that import fail at once, and httpx falls back to the small ``main`` it
defines for installs without click. The stand-in is removed right after, so an explicit
``import httpx._main`` elsewhere still gets the real module.

Also: httpcore reads an HTTP/1.1 body 64 KB a ``recv`` (``READ_NUM_BYTES``); a page of
1,000 product cards is ~2 MB, ~31 reads, each waiting for the GIL while the other
threads of a pipelined walk work. 1 MB reads take such a page in 2–3 (measured: 5.0 →
3.0 ms a page); small answers are unaffected (``recv`` returns what has arrived).

And: ``Client`` is httpx's client without a cookie jar. The Seller API authenticates
every call by its headers; httpx files each response's cookies into the client's jar
(~0.06 ms a call, a sixth of httpx's time on a loopback call), and sends them back.
ozonctl keeps none: no state rides along between calls.

Likewise ``anyio``: httpcore imports it (``try: import anyio``) for its async
connections only (~2.5 ms); ozonctl's clients are synchronous, so while httpx loads
``import anyio`` fails and httpcore goes without (an async httpx client in an ozonctl
process would say it needs ``httpcore[asyncio]``; where anyio was loaded before, it is
used as usual). Afterwards anyio imports as usual.

Import httpx in ozonctl as ``from ozonctl.client._httpx import httpx``.
"""

from __future__ import annotations

import contextlib
import sys
import types

__all__ = ["Client", "httpx"]

if "httpx" in sys.modules or "httpx._main" in sys.modules:
    import httpx
else:
    _stand_in = types.ModuleType("httpx._main", "Stand-in: httpx's CLI is not loaded.")
    sys.modules["httpx._main"] = _stand_in
    _no_anyio = "anyio" not in sys.modules
    if _no_anyio:
        sys.modules["anyio"] = None  # type: ignore[assignment]  # import anyio: ImportError
    try:
        import httpx

        # httpx loads httpcore when a client is first made: now, while anyio stays out
        with contextlib.suppress(ImportError):
            import httpcore._sync.http11  # noqa: F401
    finally:
        if sys.modules.get("httpx._main") is _stand_in:
            del sys.modules["httpx._main"]
        if _no_anyio and sys.modules.get("anyio", 0) is None:
            del sys.modules["anyio"]
        del _stand_in, _no_anyio

_READ_BYTES = 1 << 20


def _bigger_reads() -> None:
    try:
        from httpcore._sync.http11 import HTTP11Connection
    except ImportError:  # another httpcore layout: keep its default
        return
    if getattr(HTTP11Connection, "READ_NUM_BYTES", 0) < _READ_BYTES:
        HTTP11Connection.READ_NUM_BYTES = _READ_BYTES


_bigger_reads()


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing it is handed."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None

    def set(self, name: str, value: str, domain: str = "", path: str = "/") -> None:
        return None


class Client(httpx.Client):
    """``httpx.Client`` that neither keeps nor sends cookies (see the module's note)."""

    _no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        return None
