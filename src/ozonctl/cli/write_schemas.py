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
    F("why", "text", "Why it was picked (`promo auto-add remove`, `promo guard`; else null)."),
    F(
        "status",
        "string",
        "`joined`, `left`, `removed`, `failed`, `not_found`, … (a plan: "
        "`would_join`, `would_leave`, …; `promo guard`: `planned`, `skipped`, `no_cost`).",
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
        "promo guard",
    ),
)

STALE_OUTCOME = STALE_PRODUCT.extend(
    "stale product outcome",
    F("result", "string", "`archived`, `failed`, `skipped`, `unknown` (a plan: `planned`)."),
    F("note", "text", "Why, for anything but success; empty otherwise."),
    doc="What `listing delist-stale` did (or would do) to one stale product.",
    commands=("listing delist-stale",),
)

SHIP_OUTCOME = Schema(
    "ship outcome",
    (
        F("posting_number", "string", "The posting (one of those a split became)."),
        F(
            "package",
            "integer",
            "The package's number (a plan of one posting: one item a package); else null.",
        ),
        F(
            "status",
            "string",
            "Ozon's status of the posting after (in a plan: before).",
        ),
        F("substatus", "string", "Ozon's substatus (`ship_failed`, …); empty when none."),
        F(
            "outcome",
            "string",
            "`shipped`, `already_shipped`, `ship_failed`, `cancelled`, `pending`, "
            "`not_shippable`, `failed`, `unknown` (a plan: `would_ship`).",
        ),
        F(
            "products",
            "string",
            "`SKU:QTY,…`: the posting's products (a plan of one posting: the package's).",
        ),
        F(
            "note",
            "text",
            "Why, for anything but success; empty otherwise.",
        ),
    ),
    doc="What `order ship` did (or would do) to one posting.",
    commands=("order ship",),
)

STATUS_CHANGE = Schema(
    "rfbs status change",
    (
        F("posting_number", "string", "The rFBS posting."),
        F("status_before", "string", "`status/substatus` before; null when not found."),
        F(
            "outcome",
            "string",
            "`sent`, `already`, `refused`, `failed`, `unknown` (a plan: `planned`).",
        ),
        F("status_now", "string", "`status/substatus` after (re-read when sent)."),
        F("error", "text", "Why, for anything but success; empty otherwise."),
    ),
    doc="What `order deliver`/`last-mile`/`delivered` did (or would do) to one posting.",
    commands=("order deliver", "order last-mile", "order delivered"),
)

CANCEL_ITEM = Schema(
    "cancelled product",
    (
        F("sku", "id", "Ozon's SKU."),
        F("quantity", "integer", "The units cancelled."),
    ),
    doc="One product of `order cancel --product`.",
)

CANCEL_FIGURES = Schema(
    "cancellation figures",
    (
        F("rating", "string", "Ozon's code of the rating; null when Ozon reports none."),
        F("current_value", "number", "The shop's cancellation rate now, in %."),
        F("past_value", "number", "The rate of the period before, in %."),
        F("ozon_status", "string", "Ozon's judgement (`OK`, `WARNING`, `CRITICAL`)."),
        F("threshold", "number", "The threshold checked, in %."),
        F("threshold_source", "string", "Where it came from (`--threshold`, `config`, …)."),
        F("over_threshold", "boolean", "At or over it (or Ozon calls it critical)."),
    ),
    doc="The shop's cancellation rate, checked before `order cancel`.",
)

CANCEL_OUTCOME = Schema(
    "cancel outcome",
    (
        F("posting_number", "string", "The posting."),
        F("action", "string", "`cancel` (the posting) or `cancel_products`."),
        F("reason_id", "integer", "The cancellation reason's id."),
        F("items", "array", "The products cancelled (empty: the whole posting).", CANCEL_ITEM),
        F("reason", "text", "The reason's title; null when nothing was planned."),
        F("message", "text", "The message sent with it; null when nothing was planned."),
        F(
            "cancellation_rating",
            "object",
            "The shop's figures checked; null when nothing was planned.",
            CANCEL_FIGURES,
        ),
        F(
            "outcome",
            "string",
            "`cancelled`, `already_cancelled`, `unknown` (a plan: `dry_run`).",
        ),
        F("status", "string", "Ozon's status of the posting after (a plan: now)."),
        F("journal_ref", "string", "The attempt's journal ref; null when nothing was sent."),
        F("error", "text", "Why the outcome is unknown; else null."),
    ),
    doc="What `order cancel` did (or would do): the envelope's one item.",
    commands=("order cancel",),
)


def _service_outcome(area: str, verb: str, done: str) -> Schema:
    return Schema(
        f"{area} {verb} outcome",
        (
            F(f"{area}_id", "id", f"The {area}."),
            F(
                "outcome",
                "string",
                f"`{done}`, `already_done` (the journal has it sent), `failed` (also an "
                "unknown outcome: `error` says which; a plan: `dry_run`).",
            ),
            F("journal_ref", "string", "The attempt's journal ref; null when nothing was sent."),
            F("error", "text", "Why, for anything but success; else null."),
        ),
        doc=f"What `{area} {verb} --from-file` did (or would do) to one line's {area}.",
        commands=(f"{area} {verb} --from-file",),
    )


SERVICE_OUTCOMES = {
    "review": _service_outcome("review", "reply", "replied"),
    "question": _service_outcome("question", "answer", "answered"),
}
"""The item schema of each area's ``--from-file`` write (``commands/_service.py``)."""

WRITE_ITEMS: tuple[Schema, ...] = (
    PRODUCT_CHANGE,
    STALE_OUTCOME,
    PROMO_CHANGE,
    REQUEST_OUTCOME,
    SHIP_OUTCOME,
    STATUS_CHANGE,
    CANCEL_OUTCOME,
    CANCEL_ITEM,
    CANCEL_FIGURES,
    *SERVICE_OUTCOMES.values(),
)
