"""The items of the bulk-write envelope ``{ref, dry_run, counts, items}``, one schema
per kind of item (the entities' schemas are :mod:`ozonctl.cli.schemas`). ``--dry-run``
items are the same schema as the run's: the outcome says ``planned``/``would_…``."""

from __future__ import annotations

from ozonctl.cli.schema import Field as F
from ozonctl.cli.schema import Schema
from ozonctl.cli.schemas import PROMO_PRODUCT, STALE_PRODUCT

PRODUCT_CHANGE = Schema(
    "product change",
    (
        F("offer_id", "string", "The seller's article (offer id)."),
        F("product_id", "id", "Ozon's product id."),
        F("sku", "id", "Ozon's SKU; null while the product has none."),
        F("name", "text", "The product's name (plans of archive/unarchive/delete; else null)."),
        F(
            "result",
            "string",
            "`archived`, `updated`, `failed`, `unknown`, … (a plan: "
            "`planned`, `archive`, `refused`, …).",
        ),
        F("note", "text", "Why, for anything but success; empty otherwise."),
        F("warehouse_id", "id", "The warehouse (stock writes; else null)."),
        F("stock", "integer", "The stock set (stock writes; else null)."),
        F("current", "money", "The price before (price writes; else null)."),
        F("price", "money", "The price set (price writes; else null)."),
        F("old_price", "money", "The crossed-out price set; null when unchanged."),
        F("min_price", "money", "The minimum price set; null when unchanged."),
    ),
    doc="What a listing write did (or would do) to one product.",
    commands=(
        "listing archive",
        "listing unarchive",
        "listing delete",
        "listing restore",
        "listing stock set/import",
        "listing price set/import",
    ),
)

REQUEST_OUTCOME = Schema(
    "discount request outcome",
    (
        F("id", "id", "The request's id."),
        F("sku", "id", "Ozon's SKU; null when the request was not found."),
        F(
            "status",
            "string",
            "`approved`, `declined`, `failed`, `skipped`, `not_found`, "
            "`would_approve`, `would_decline`.",
        ),
        F("price", "money", "The price approved (or the price asked, declined)."),
        F("reason", "text", "Why, for anything but success; empty otherwise."),
    ),
    doc="What `promo requests approve`/`decline` did to one request.",
    commands=("promo requests approve", "promo requests decline"),
)

PROMO_CHANGE = PROMO_PRODUCT.extend(
    "promotion change",
    F("action_id", "id", "The promotion (`promo auto-add`; else null)."),
    F("where", "string", "`in` the promotion or on its `auto-add` list (`promo auto-add`)."),
    F("auto_add_date", "datetime", "When Ozon would add it (`promo auto-add`; else null)."),
    F("why", "text", "Why it was picked (`promo auto-add remove`; else null)."),
    F(
        "status",
        "string",
        "`joined`, `left`, `removed`, `failed`, `not_found`, … (a plan: "
        "`would_join`, `would_leave`, …).",
    ),
    F("reason", "text", "Why, for anything but success (a plan: the discount); else empty."),
    doc="What a promotion write did (or would do) to one product: the promotion product's "
    "keys (null where the write does not know them) and the outcome.",
    commands=(
        "promo join",
        "promo leave",
        "promo rejoin",
        "promo auto-add remove",
        "promo auto-add undo",
    ),
)

STALE_OUTCOME = STALE_PRODUCT.extend(
    "stale product outcome",
    F("result", "string", "`archived`, `failed`, `skipped`, `unknown` (a plan: `planned`)."),
    F("note", "text", "Why, for anything but success; empty otherwise."),
    doc="What `listing delist-stale` did (or would do) to one stale product.",
    commands=("listing delist-stale",),
)

WRITE_ITEMS: tuple[Schema, ...] = (PRODUCT_CHANGE, STALE_OUTCOME, PROMO_CHANGE, REQUEST_OUTCOME)
