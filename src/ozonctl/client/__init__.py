"""The typed Seller API client.

``OzonClient`` (in ``ozonctl.client.client``) is the one public class: the transport, rate
limiter and retry loop from ``_base``, with typed resources per area (``client.products``,
``client.promos``, ``client.postings``, ``client.finance``) loaded on first use.
Importing this package is cheap; ``OzonClient`` imports httpx when first touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient

__all__ = ["OzonClient"]


def __getattr__(name: str) -> Any:
    if name == "OzonClient":
        from ozonctl.client.client import OzonClient

        return OzonClient
    raise AttributeError(name)
