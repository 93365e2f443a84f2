"""Account-level reads: seller info (the cheap call that checks credentials), warehouses."""

from __future__ import annotations

from collections.abc import Iterator

from ozonctl.client.models.account import SellerInfo, Warehouse
from ozonctl.client.resources._base import Resource


class AccountResource(Resource):
    def seller_info(self) -> SellerInfo:
        return SellerInfo.model_validate(self._call("seller.info", {}))

    def warehouses(self) -> Iterator[Warehouse]:
        for raw in self._items("warehouse.list", {}, items_path="warehouses"):
            yield Warehouse.model_validate(raw)
