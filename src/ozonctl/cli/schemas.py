"""One JSON schema per entity, the same in every command that writes it (list and show):
what ``--json`` gives, what docs/scripting.md documents (``scripts/gen_reference.py``
writes the tables there) and what the tests validate each command's output against.

Light on purpose (dataclasses only): the list commands import it.
"""

from __future__ import annotations

from ozonctl.cli.schema import Field, Schema
from ozonctl.cli.schemas_orders import CANCEL_REQUEST as CANCEL_REQUEST
from ozonctl.cli.schemas_orders import GIVEOUT as GIVEOUT
from ozonctl.cli.schemas_orders import GIVEOUT_ARTICLE as GIVEOUT_ARTICLE
from ozonctl.cli.schemas_orders import PENALTY as PENALTY
from ozonctl.cli.schemas_orders import RATING_POINT as RATING_POINT
from ozonctl.cli.schemas_orders import RFBS_RETURN as RFBS_RETURN
from ozonctl.cli.schemas_orders import WAREHOUSE as WAREHOUSE

F = Field

_PRODUCT_IDS = (
    F("offer_id", "string", "The seller's article (offer id)."),
    F("product_id", "id", "Ozon's product id."),
    F("sku", "id", "Ozon's SKU; null while the product has none."),
)

STOCK_LINE = Schema(
    "stock line",
    (
        *_PRODUCT_IDS,
        F("warehouse_id", "id", "The FBS/rFBS warehouse."),
        F("warehouse_name", "text", "Its name."),
        F("present", "integer", "Units on the warehouse."),
        F("reserved", "integer", "Units reserved for orders."),
        F("free_stock", "integer", "Units free to sell: what `listing stock import` sets."),
    ),
    doc="A product's stock on one warehouse.",
    commands=("listing stock show", "listing show (warehouses)"),
)

PRODUCT = Schema(
    "product",
    (
        *_PRODUCT_IDS,
        F("name", "text", "The product's name."),
        F("state", "string", "Ozon's state in words (`archived` when only the list knows it)."),
        F("archived", "boolean", "In the archive."),
        F("autoarchived", "boolean", "Archived by Ozon (no stock for long)."),
        F("price", "money", "The price buyers see."),
        F("old_price", "money", "The crossed-out price; 0.00 when none."),
        F("min_price", "money", "The lowest price Ozon's promotions may take it to."),
        F("currency", "string", "The prices' currency (`RUB`)."),
        F("present", "integer", "Units on the FBS warehouses."),
        F("free_stock", "integer", "Units free to sell on the FBS warehouses."),
        F("created", "datetime", "When the card was created."),
        F("updated", "datetime", "When the card last changed."),
        F(
            "warehouses",
            "array",
            "Stock per warehouse (`listing show`; null in lists).",
            STOCK_LINE,
        ),
    ),
    doc="A product card.",
    commands=("listing list", "listing show"),
)

LOW_STOCK = Schema(
    "low stock",
    (
        *_PRODUCT_IDS,
        F("free_stock", "integer", "Units free to sell on the FBS warehouses."),
        F("threshold", "integer", "The threshold it is at or below."),
    ),
    doc="A product low on free stock.",
    commands=("listing stock low",),
)

STOCK_COVER = Schema(
    "stock cover",
    (
        F("offer_id", "string", "The seller's article."),
        F("sku", "id", "Ozon's SKU."),
        F("free_stock", "integer", "Units free to sell on the FBS warehouses."),
        F("fbo_stock", "integer", "Units on Ozon's warehouses."),
        F("per_day", "number", "Units sold a day."),
        F("days", "number", "Days the stock lasts; null when nothing sells."),
        F("source", "string", "`ozon` (Ozon's figure) or `postings` (ozonctl's rate)."),
        F("grade", "string", "Ozon's grade of the cover; null when not Ozon's."),
    ),
    doc="How long a product's stock lasts.",
    commands=("listing stock cover",),
)

PRICE = Schema(
    "price",
    (
        F("offer_id", "string", "The seller's article (offer id)."),
        F("product_id", "id", "Ozon's product id."),
        F("price", "money", "The price: what `listing price import` sets."),
        F("old_price", "money", "The crossed-out price."),
        F("min_price", "money", "The minimum price."),
        F("currency", "string", "The currency (`RUB`)."),
    ),
    doc="A product's prices.",
    commands=("listing price show",),
)

STALE_PRODUCT = Schema(
    "stale product",
    (
        *_PRODUCT_IDS,
        F("name", "text", "The product's name."),
        F("last_sale", "date", "The day of its last sale on record; null when none."),
        F("age_days", "integer", "Days since the card was created."),
        F("stock", "integer", "Units on the FBS warehouses."),
        F("why", "text", "Why it counts as stale."),
    ),
    doc="A product the stale rule matches.",
    commands=("listing stale",),
)

PROMOTION = Schema(
    "promotion",
    (
        F("id", "id", "The promotion's id."),
        F("title", "text", "Its title."),
        F("type", "string", "Ozon's action type (`DISCOUNT`, …)."),
        F("owner", "string", "`ozon` or `seller` (your own)."),
        F("date_start", "datetime", "When it starts."),
        F("date_end", "datetime", "When it ends."),
        F("freeze_date", "datetime", "From when leaving may not be allowed; null when none."),
        F("participating", "integer", "Your products in it."),
        F("potential", "integer", "Your products that may join; null when unknown."),
        F("discount", "string", "The discount in words (`10%`)."),
        F("discount_type", "string", "`PERCENT` or `RUB`."),
        F("discount_value", "number", "The discount's figure."),
        F("order_amount", "money", "The least order it applies to."),
        F("is_participating", "boolean", "Has products of yours."),
        F("is_voucher_action", "boolean", "Needs a promo code."),
        F("is_boosting", "boolean", "A boosting promotion."),
        F("leave_method", "string", "How a product leaves it."),
        F("auto_add_dates", "array", "When Ozon adds products by itself.", "string"),
        F("auto_add_days", "array", "The same, as days.", "string"),
        F("banned_products_count", "integer", "Your products banned from it."),
        F("with_targeting", "boolean", "Shown to some buyers only."),
        F("description", "text", "Ozon's description."),
        F("status", "string", "Your own promotion's status; null for Ozon's."),
        F("is_turn_on", "boolean", "Your own promotion is on; null for Ozon's."),
        F("rules", "array", "Its rules in words (`promo show`; null in lists).", "string"),
    ),
    doc="An Ozon promotion or one of your own.",
    commands=("promo list", "promo show"),
)

PROMO_PRODUCT = Schema(
    "promotion product",
    (
        F("product_id", "id", "Ozon's product id."),
        F("offer_id", "string", "The seller's article."),
        F("sku", "id", "Ozon's SKU."),
        F("name", "text", "The product's name."),
        F("price", "money", "Its regular price."),
        F("action_price", "money", "Its price in the promotion."),
        F("max_action_price", "money", "The highest action price the promotion allows."),
        F("discount_pct", "number", "How far the action price is below the price, in %."),
        F("stock", "integer", "Units it has in the promotion."),
        F("action_stock", "integer", "Units the promotion holds for it."),
        F("min_price", "money", "The product's minimum price; null when unknown."),
        F("below_min_price", "boolean", "The action price is below the minimum price."),
        F("add_mode", "string", "How it joined (`SELLER`, `AUTO`)."),
        F("is_quarantined", "boolean", "In Ozon's quarantine."),
        F("margin", "money", "What one unit earns at the action price; null when unknown."),
        F("margin_pct", "number", "The same as a share of the action price, in %."),
        F("margin_scheme", "string", "The scheme it is for (`FBS`/`FBO`: the lower)."),
        F("margin_note", "text", "What is estimated, or why there is no margin."),
        F("cover_days", "number", "Days its stock lasts (with `--low-cover`; else null)."),
        F("is_active", "boolean", "Active in your own promotion; null for Ozon's."),
        F("discount_percent", "number", "Its discount in your own promotion, in %; else null."),
    ),
    doc="A product in (or a candidate for) a promotion.",
    commands=("promo products", "promo candidates"),
)

PROMO_REQUEST = Schema(
    "discount request",
    (
        F("id", "id", "The request's id."),
        F("sku", "id", "Ozon's SKU."),
        F("name", "text", "The product's name."),
        F("status", "string", "`NEW`, `APPROVED`, `DECLINED`, …"),
        F("created_at", "datetime", "When the buyer asked."),
        F("end_at", "datetime", "When the request ends."),
        F("edited_till", "datetime", "Until when it may be answered."),
        F("moderated_at", "datetime", "When it was answered; null when not yet."),
        F("original_price", "money", "The product's price."),
        F("requested_price", "money", "The price asked for."),
        F("requested_discount", "number", "The discount asked for, in %."),
        F("requested_discount_pct", "number", "The same, rounded."),
        F("requested_quantity_max", "integer", "Units asked for."),
        F("approved_price", "money", "The price approved."),
        F("approved_discount", "number", "The discount approved, in %."),
        F("approved_quantity_max", "integer", "Units approved."),
        F("min_auto_price", "money", "The lowest price approved by itself."),
        F("is_auto_moderated", "boolean", "Answered by Ozon's rules."),
        F("auto_moderated_info", "object", "Ozon's rules' bounds."),
        F("email", "string", "The buyer's e-mail, when Ozon gives it."),
        F("first_name", "text", "The buyer's first name."),
        F("last_name", "text", "The buyer's last name."),
        F("patronymic", "text", "The buyer's patronymic."),
        F("end_at_duration", "integer", "Seconds until it ends."),
        F("edited_till_duration", "integer", "Seconds left to answer."),
        F("reduction_factor", "number", "Ozon's reduction factor."),
    ),
    doc="A buyer's discount request.",
    commands=("promo requests",),
)

SALES_LINE = Schema(
    "sales line",
    (
        F("sku", "id", "Ozon's SKU (by SKU; else null)."),
        F("offer_id", "string", "The seller's article (by SKU; else null)."),
        F("name", "text", "The product's name (by SKU; else null)."),
        F("period", "string", "The day, week or month (by period; else null)."),
        F("units", "integer", "Units ordered."),
        F("revenue", "money", "What they were ordered for."),
    ),
    doc="Sales of a product or a period.",
    commands=("analytics sales",),
)

PLACEMENT = Schema(
    "promotion placement",
    (
        F("product_id", "id", "Ozon's product id."),
        F("offer_id", "string", "The seller's article."),
        F("sku", "id", "Ozon's SKU."),
        F("name", "text", "The product's name."),
        F("action_id", "id", "The promotion."),
        F("title", "text", "Its title."),
        F("where", "string", "`in` the promotion, on its `auto-add` list, or a `candidate`."),
        F("auto_add_date", "datetime", "When Ozon adds it; null when not on a list."),
        F("price", "money", "Its regular price."),
        F("action_price", "money", "Its price in the promotion."),
        F("max_action_price", "money", "The highest action price allowed; null when unknown."),
        F("min_price", "money", "The product's minimum price; null when unknown."),
        F("discount_pct", "number", "How far the action price is below the price, in %."),
        F("stock", "integer", "Units in the promotion; null when unknown."),
        F("margin", "money", "Margin at the action price (`promo audit`, min_margin_pct)."),
        F("margin_pct", "number", "The same as a share of the action price, in %."),
        F("margin_scheme", "string", "The scheme it is for (`FBS`/`FBO`: the lower)."),
        F("margin_note", "text", "Why the margin rule could not judge it (no cost)."),
        F("freeze_date", "datetime", "The promotion's freeze date (`promo audit`)."),
        F("frozen", "boolean", "Frozen now (`promo audit`)."),
        F("freezing_soon", "boolean", "Freezes within the window (`promo audit`)."),
        F("problem", "text", "What breaks the policy (`promo audit`); empty when nothing."),
    ),
    doc="A product in a promotion or on its auto-add list.",
    commands=("promo auto-add list", "promo auto-add candidates", "promo audit"),
)

POSTING_PRODUCT = Schema(
    "posting product",
    (
        F("sku", "id", "Ozon's SKU."),
        F("offer_id", "string", "The seller's article."),
        F("name", "text", "The product's name."),
        F("quantity", "integer", "Units."),
        F("price", "money", "The price per unit."),
        F("currency", "string", "The currency."),
    ),
    doc="A product of a posting.",
)

POSTING = Schema(
    "posting",
    (
        F("posting_number", "string", "The posting number."),
        F("order_id", "id", "Ozon's order id."),
        F("order_number", "string", "The order number."),
        F("scheme", "string", "`fbs` or `fbo`."),
        F("status", "string", "Ozon's status (`awaiting_packaging`, …)."),
        F("substatus", "string", "Ozon's substatus."),
        F("created", "datetime", "When it was created (in process since)."),
        F("ship_by", "datetime", "The ship-by deadline; null for FBO."),
        F("delivering_date", "datetime", "When it was handed to delivery."),
        F("warehouse_id", "id", "The warehouse it ships from."),
        F("warehouse", "text", "Its name."),
        F("delivery_method", "text", "The delivery method."),
        F("tracking_number", "string", "The tracking number; empty when none."),
        F("parent_posting_number", "string", "The posting it was split from."),
        F("related_postings", "array", "The postings split from it.", "string"),
        F("cancel_reason_id", "integer", "Why it was cancelled; null when not."),
        F("cancel_reason", "text", "The same in words."),
        F("cancelled_by", "string", "Who cancelled it."),
        F("affects_rating", "boolean", "The cancellation counts against your rating."),
        F("buyer", "text", "rFBS: who receives it (Ozon gives it when you deliver); else null."),
        F("buyer_phone", "string", "rFBS: their phone; else null."),
        F("address", "text", "rFBS: the delivery address; else null."),
        F("address_comment", "text", "rFBS: the buyer's note on the address; else null."),
        F("products", "array", "Its products.", POSTING_PRODUCT),
    ),
    doc="A posting (an order's shipment).",
    commands=("order list", "order show"),
)

AT_RISK = POSTING.extend(
    "posting at risk",
    F("hours_left", "number", "Hours to the ship-by deadline (negative: overdue)."),
    F("risk", "string", "`overdue`, `due soon`, `no stock`, `cancel request`, comma-separated."),
    F("no_stock", "string", "SKU:free units of the products short of stock."),
    F("cancel_request_by", "datetime", "When Ozon approves the buyer's waiting request."),
    doc="A posting with its risk (the posting's keys and four more).",
    commands=("order at-risk",),
)

RETURN = Schema(
    "return",
    (
        F("id", "id", "The return's id."),
        F("posting_number", "string", "The posting returned."),
        F("scheme", "string", "`fbs` or `fbo`."),
        F("type", "string", "`FullReturn`, `PartialReturn`, …"),
        F("status", "text", "Its status in words."),
        F("status_code", "string", "Its status code."),
        F("reason", "text", "The buyer's reason."),
        F("sku", "id", "Ozon's SKU."),
        F("offer_id", "string", "The seller's article."),
        F("quantity", "integer", "Units."),
        F("price", "money", "The price per unit."),
        F("currency", "string", "The currency."),
        F("returned", "datetime", "When it was returned."),
    ),
    doc="A return.",
    commands=("order returns",),
)

RATING = Schema(
    "rating",
    (
        F("rating", "string", "Ozon's rating key."),
        F("name", "text", "Its name."),
        F("group", "text", "Its group."),
        F("value", "number", "Its value."),
        F("past_value", "number", "Its previous value."),
        F("value_type", "string", "`PERCENT`, `REVIEW_SCORE`, …"),
        F("status", "string", "`OK`, `WARNING`, `CRITICAL`."),
        F("direction", "string", "`HIGHER_IS_BETTER` or `LOWER_IS_BETTER`."),
        F("cancel_threshold", "number", "The threshold `order cancel` checks; null when none."),
    ),
    doc="A seller rating.",
    commands=("order rating",),
)

TRANSACTION = Schema(
    "transaction",
    (
        F("date", "date", "The day of the accrual."),
        F("accrual_id", "id", "Ozon's accrual id."),
        F("unit", "string", "The posting or item it belongs to."),
        F("category", "string", "`POSTING`, `ITEM`, `OTHER`."),
        F("sku", "id", "Ozon's SKU; null when none."),
        F("type_id", "integer", "Ozon's accrual type id."),
        F("type", "text", "The accrual type in words."),
        F("kind", "string", "Its kind: `sales`, `commission`, `delivery`, …"),
        F("amount", "money", "The amount (negative: charged)."),
        F("currency", "string", "The currency."),
    ),
    doc="A finance accrual.",
    commands=("payout transactions",),
)

REPORT_LINE = Schema(
    "report line",
    (
        F("row", "integer", "The line of the report."),
        F("sku", "id", "Ozon's SKU."),
        F("offer_id", "string", "The seller's article."),
        F("name", "text", "The product's name."),
        F("barcode", "string", "Its barcode."),
        F("commission_ratio", "number", "Ozon's commission share."),
        F("price", "money", "The price."),
        F("sold_qty", "integer", "Units sold."),
        F("sold_amount", "money", "What they sold for."),
        F("sold_fee", "money", "Ozon's fee on them."),
        F("sold_bonus", "money", "Bonuses."),
        F("sold_partner_programs", "money", "Partner programmes."),
        F("sold_total", "money", "Net of the sales."),
        F("returned_qty", "integer", "Units returned."),
        F("returned_amount", "money", "Their amount."),
        F("returned_fee", "money", "The fee returned."),
        F("returned_total", "money", "Net of the returns."),
        F("net", "money", "Sales less returns."),
    ),
    doc="A line of the monthly realization report.",
    commands=("payout report",),
)

CASHFLOW_PERIOD = Schema(
    "cash-flow period",
    (
        F("period_id", "id", "Ozon's period id."),
        F("begin", "date", "Its first day."),
        F("end", "date", "Its last day."),
        F("orders_amount", "money", "Orders."),
        F("returns_amount", "money", "Returns."),
        F("commission_amount", "money", "Commission."),
        F("services_amount", "money", "Services."),
        F("delivery_amount", "money", "Delivery."),
        F("currency", "string", "The currency."),
    ),
    doc="A half-month of the cash-flow statement.",
    commands=("payout cashflow",),
)

TOTALS = Schema(
    "totals",
    (
        F("from", "date", "The first day."),
        F("to", "date", "The last day."),
        F("currencies", "object", "Per currency: `kinds` (kind: money) and `net` (money)."),
        F("lines", "integer", "Accruals read."),
        F("other_types", "array", "Accrual types counted as `other` (`type_id`, …).", "object"),
    ),
    doc="Accrual totals of a period.",
    commands=("payout totals",),
)

BALANCE = Schema(
    "balance",
    (
        F("from", "date", "The first day."),
        F("to", "date", "The last day."),
        F("currency", "string", "The currency."),
        F("opening_balance", "money", "The balance at the start."),
        F("accrued", "money", "Accrued over the period."),
        F("payments", "money", "Paid out."),
        F("closing_balance", "money", "The balance at the end."),
        F("sales", "object", "`amount` and `fee` (money)."),
        F("returns", "object", "`amount` and `fee` (money)."),
        F("services", "array", "`name` and `amount` (money) per service.", "object"),
        F("periods", "array", "Ozon's parts of the period, each with its balances.", "object"),
    ),
    doc="The balance of a period.",
    commands=("payout balance",),
)

JOURNAL_ENTRY = Schema(
    "journal entry",
    (
        F("created", "datetime", "When the run started."),
        F("ref", "string", "The journal ref (`listing restore`, `promo rejoin` take it)."),
        F("kind", "string", "What was done (`archive`, `leave`, `ship`, …)."),
        F("action_id", "id", "The promotion (promo history; else null)."),
        F("title", "text", "Its title (promo history; else null)."),
        F("selection_text", "text", "How the products were picked (promo history)."),
        F("posting", "string", "The posting (order history; else null)."),
        F("products", "integer", "Products (units in order history)."),
        F("status", "string", "The outcome: `done`, `partial`, `failed`, `interrupted`, …"),
        F("reason", "text", "The reason given."),
        F("result", "text", "The counts or the result in words."),
    ),
    doc="An operation in ozonctl's journal.",
    commands=("listing history", "promo history", "order history"),
)

REVIEW_COMMENT = Schema(
    "review comment",
    (
        F("id", "string", "The comment's id."),
        F("published_at", "datetime", "When it was published."),
        F("by_seller", "boolean", "Yours."),
        F("published", "boolean", "Published."),
        F("rejected", "boolean", "Rejected by moderation."),
        F("parent_comment_id", "string", "The comment it answers; empty when none."),
        F("text", "text", "Its text."),
    ),
    doc="A comment under a review.",
)

REVIEW = Schema(
    "review",
    (
        F("id", "string", "The review's id."),
        F("published_at", "datetime", "When it was published."),
        F("sku", "id", "Ozon's SKU."),
        F("rating", "integer", "Stars, 1-5."),
        F("status", "string", "`UNPROCESSED`, `VIEWED`, `PROCESSED`."),
        F("answered", "boolean", "You replied."),
        F("comments_count", "integer", "Comments under it."),
        F("photos", "integer", "Photos."),
        F("videos", "integer", "Videos."),
        F("order_status", "string", "`DELIVERED` or `CANCELLED`."),
        F("text", "text", "The review's text."),
        F("likes", "integer", "Likes (`review show`; null in lists)."),
        F("dislikes", "integer", "Dislikes (`review show`; null in lists)."),
        F("comments", "array", "The comments (`review show`; null in lists).", REVIEW_COMMENT),
    ),
    doc="A buyer's review.",
    commands=("review list", "review show"),
)

ENTITIES: tuple[Schema, ...] = (
    PRODUCT,
    STOCK_LINE,
    LOW_STOCK,
    STOCK_COVER,
    PRICE,
    STALE_PRODUCT,
    PROMOTION,
    PROMO_PRODUCT,
    PROMO_REQUEST,
    PLACEMENT,
    SALES_LINE,
    POSTING,
    POSTING_PRODUCT,
    AT_RISK,
    CANCEL_REQUEST,
    RETURN,
    RFBS_RETURN,
    WAREHOUSE,
    GIVEOUT,
    GIVEOUT_ARTICLE,
    RATING,
    RATING_POINT,
    PENALTY,
    TRANSACTION,
    REPORT_LINE,
    CASHFLOW_PERIOD,
    TOTALS,
    BALANCE,
    JOURNAL_ENTRY,
    REVIEW,
    REVIEW_COMMENT,
)
"""Every schema, in the order docs/scripting.md shows them."""
