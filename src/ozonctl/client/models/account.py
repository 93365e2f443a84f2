"""Seller info and warehouses."""

from __future__ import annotations

from ozonctl.client.models.common import Int64, Lenient


class Company(Lenient):
    name: str = ""
    legal_name: str = ""
    inn: str = ""
    currency: str = ""


class SellerInfo(Lenient):
    company: Company = Company()


class Warehouse(Lenient):
    warehouse_id: Int64
    name: str = ""
    status: str = ""
    is_rfbs: bool = False
