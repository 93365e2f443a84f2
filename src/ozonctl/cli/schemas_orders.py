"""The JSON schemas of the order commands of issue 22 (buyers' cancellation requests,
rFBS returns, penalties and the rating's history, warehouses, return giveouts).
``cli/schemas.py`` lists them in ``ENTITIES`` with the others (one module would pass the
size limit)."""

from __future__ import annotations

from ozonctl.cli.schema import Field, Schema

F = Field

WAREHOUSE = Schema(
    "warehouse",
    (
        F("warehouse_id", "id", "The warehouse's id (what Ozon's methods take)."),
        F("name", "text", "Its name (what `--warehouse` takes, or a unique start of it)."),
        F("scheme", "string", "`FBS` (Ozon delivers) or `rFBS` (the seller delivers)."),
        F("status", "string", "Ozon's status: `created`, `disabled`, `blocked`, …"),
    ),
    doc="One of the shop's FBS/rFBS warehouses.",
    commands=("order warehouses",),
)

GIVEOUT_ARTICLE = Schema(
    "giveout article",
    (
        F("name", "text", "The product's name."),
        F("schema", "string", "`FBS` or `FBO`: how it was sold."),
        F("approved", "boolean", "Whether Ozon approved it for the giveout."),
    ),
    doc="A product to collect in a return giveout.",
    commands=("order giveouts show",),
)

GIVEOUT = Schema(
    "giveout",
    (
        F("giveout_id", "id", "The giveout's id."),
        F("status", "string", "`CREATED`, `APPROVED`, `COMPLETED` or `CANCELLED`."),
        F("created", "datetime", "When it was made; null in `show` (Ozon gives it in lists)."),
        F("warehouse_id", "id", "Ozon's warehouse where the returns wait."),
        F("warehouse_name", "text", "Its name."),
        F("warehouse_address", "text", "Its address."),
        F("approved_articles", "integer", "Products approved for the giveout."),
        F("total_articles", "integer", "Products to collect."),
        F("articles", "array", "The products (show only; null in lists).", items=GIVEOUT_ARTICLE),
    ),
    doc="Returns waiting at one of Ozon's warehouses, collected with the giveout barcode.",
    commands=("order giveouts", "order giveouts show"),
)

CANCEL_REQUEST = Schema(
    "cancellation request",
    (
        F("cancellation_id", "id", "The request's id."),
        F("posting_number", "string", "The rFBS posting."),
        F("state", "string", "`ON_APPROVAL`, `APPROVED`, `REJECTED`."),
        F("answer_by", "datetime", "When Ozon approves it by itself."),
        F("hours_left", "number", "Hours to that (waiting requests only)."),
        F("reason", "text", "The buyer's reason."),
        F("message", "text", "The buyer's message."),
        F("initiator", "string", "`CLIENT`, `OZON`, …"),
        F("comment", "text", "The seller's comment on the decision."),
        F("decided", "datetime", "When it was decided; null when not."),
    ),
    doc="A buyer's request to cancel an rFBS posting.",
    commands=("order cancel-requests",),
)

RFBS_RETURN = Schema(
    "rfbs return",
    (
        F("return_id", "id", "The request's id."),
        F("return_number", "string", "Its number."),
        F("posting_number", "string", "The posting returned."),
        F("state", "string", "Its state code."),
        F("state_name", "text", "Its state in words."),
        F("group_state", "string", "Its state group."),
        F("created", "datetime", "When the buyer asked."),
        F("sku", "id", "Ozon's SKU."),
        F("offer_id", "string", "The seller's article."),
        F("name", "text", "The product's name."),
        F("price", "money", "The product's price."),
        F("currency_code", "string", "The currency."),
        F("actions", "text", "The actions Ozon allows now (show only)."),
    ),
    doc="A buyer's return request of an rFBS posting.",
    commands=("order rfbs-returns", "order rfbs-returns show"),
)

PENALTY = Schema(
    "penalty",
    (
        F("posting_number", "string", "The posting."),
        F("type", "string", "`SELLER_CANCELLATION` or `SELLER_DELAY`."),
        F("why", "text", "The same in words."),
        F("at", "datetime", "When."),
        F("product_price", "money", "The products' price."),
        F("charge_percent", "number", "The charge in percent."),
        F("charge_price", "money", "The charge."),
        F("currency_code", "string", "The currency."),
        F("grace", "boolean", "Ozon's grace status."),
    ),
    doc="A posting that cost the FBS/rFBS error index points and money.",
    commands=("order penalties",),
)

RATING_POINT = Schema(
    "rating point",
    (
        F("rating", "string", "Ozon's rating key."),
        F("date_from", "datetime", "The period's start."),
        F("date_to", "datetime", "Its end."),
        F("value", "number", "The rating's value then."),
        F("status", "string", "`ok`, `warning`, `danger`."),
    ),
    doc="A rating's value over one period.",
    commands=("order rating --history",),
)
