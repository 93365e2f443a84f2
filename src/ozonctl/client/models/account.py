"""Seller info, warehouses, and the API key's expiry and roles."""

from __future__ import annotations

from ozonctl.client.models.common import Int64, Lenient, Moment


class Company(Lenient):
    name: str = ""
    legal_name: str = ""
    inn: str = ""
    currency: str = ""


class Subscription(Lenient):
    """``type``: ``UNSPECIFIED`` (none), ``PREMIUM``, ``PREMIUM_LITE``, ``PREMIUM_PLUS``,
    ``PREMIUM_PRO`` or ``UNKNOWN``."""

    is_premium: bool = False
    type: str = ""


class SellerInfo(Lenient):
    company: Company = Company()
    subscription: Subscription = Subscription()


class Warehouse(Lenient):
    warehouse_id: Int64
    name: str = ""
    status: str = ""
    is_rfbs: bool = False


class KeyRole(Lenient):
    """One role of the API key and the methods (paths) it allows."""

    name: str | None = None
    methods: list[str] | None = None


class KeyRoles(Lenient):
    """``/v1/roles``: when the key expires (keys last 3 months since 2026-09) and its
    roles. Both may be missing (the 2026-10 document marks them nullable)."""

    expires_at: Moment = None
    roles: list[KeyRole] | None = None
