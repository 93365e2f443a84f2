"""``httpx`` as ozonctl uses it: ``Client`` is httpx's client without a cookie jar.

The Seller API authenticates every call by its headers; httpx would file each response's
cookies into the client's jar and send them back. ozonctl keeps none: no state rides
along between calls. This module changes nothing outside its own class: importing it
leaves httpx, httpcore and every other library of the process as they were.

Import httpx in ozonctl as ``from ozonctl.client._httpx import httpx``.
"""

from __future__ import annotations

import httpx

__all__ = ["Client", "httpx"]


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
