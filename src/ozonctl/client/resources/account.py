"""Account-level reads: seller info (the cheap call that checks credentials), warehouses,
and the API key's expiry and roles."""

from __future__ import annotations

from collections.abc import Iterator

from ozonctl.client.models.account import KeyRoles, SellerInfo, Warehouse
from ozonctl.client.resources._base import Resource


class AccountResource(Resource):
    def seller_info(self) -> SellerInfo:
        return SellerInfo.model_validate(self._call("seller.info", {}))

    def roles(self) -> KeyRoles:
        """The key's expiry date and the methods each of its roles allows."""
        return KeyRoles.model_validate(self._call("roles", {}))

    def warehouses(self) -> Iterator[Warehouse]:
        for raw in self._items("warehouse.list", {}, items_path="warehouses"):
            yield Warehouse.model_validate(raw)
