"""Choosing products for ``promo join`` and ``promo leave``: ``--sku``, ``--offer``,
``--from-file`` (read by :mod:`ozonctl.cli.fromfile`, so the output of ``promo
products`` can be piped in), everything, and the loss filters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.commas import commas
from ozonctl.cli.products import ProductOption
from ozonctl.commands.promo.common import LossFilter
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Container

    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.products import ProductInfo

ProductOpt = ProductOption
SkuOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sku", metavar="SKU", help="A product by SKU (repeat, or comma-separated).", **commas()
    ),
]
OfferOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--offer",
        metavar="OFFER_ID",
        help="A product by offer id (repeat, or comma-separated).",
        **commas(),
    ),
]


def split_values(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def read_tokens(source: str) -> list[str]:
    """The SKUs or offer ids of ``--from-file`` (:mod:`ozonctl.cli.fromfile`'s rule: the
    first tab-separated field of a line, so ``promo products … |`` pipes in); none is
    exit 2."""
    from ozonctl.cli.fromfile import read_ids

    tokens = read_ids(source)
    if not tokens:
        raise UsageError(f"--from-file {source}: no SKUs or offer ids in it")
    return tokens


@dataclass
class Selection:
    skus: list[int] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    """From a file: an offer id, SKU or product id (``offer:``/``sku:``/``id:`` to say which)."""
    products: list[str] = field(default_factory=list)
    """``--product``: an offer id, SKU or product id, as the file's tokens."""
    everything: bool = False
    filters: LossFilter = field(default_factory=LossFilter)

    @property
    def explicit(self) -> bool:
        return bool(self.skus or self.offers or self.tokens or self.products)

    def key(self) -> str:
        """A stable fingerprint of what was asked for (not of what it resolved to), so a
        rerun of the same command is recognised."""
        parts = [
            "all" if self.everything else "",
            "sku:" + ",".join(str(s) for s in sorted(set(self.skus))),
            "offer:" + ",".join(sorted(set(self.offers))),
            "file:" + ",".join(sorted(set(self.tokens))),
            f"over:{self.filters.discount_over}",
            f"belowmin:{self.filters.below_min_price}",
        ]
        if self.products:  # absent otherwise: older keys stay valid
            parts.append("product:" + ",".join(sorted(set(self.products))))
        if self.filters.margin_below is not None:  # absent otherwise: older keys stay valid
            parts.append(f"margin:{self.filters.margin_below}:{self.filters.scheme}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def describe(self) -> str:
        what = []
        if self.everything:
            what.append("all")
        n = len(self.skus) + len(self.offers) + len(self.tokens) + len(self.products)
        if n:
            what.append(f"{n} given")
        if self.filters.active:
            what.append(self.filters.describe())
        return ", ".join(what)


def build_selection(
    skus: list[str] | None,
    offers: list[str] | None,
    from_file: str | None,
    everything: bool,
    filters: LossFilter,
    *,
    all_flag: str,
    products: list[str] | None = None,
) -> Selection:
    sku_values = []
    for s in split_values(skus):
        if not s.isdigit():
            raise UsageError(
                f"--sku {s!r} is not a SKU (digits only)", hint="use --offer for offer ids"
            )
        sku_values.append(int(s))
    sel = Selection(
        skus=sku_values,
        offers=split_values(offers),
        tokens=read_tokens(from_file) if from_file else [],
        products=split_values(products),
        everything=everything,
        filters=filters,
    )
    if everything and sel.explicit:
        raise UsageError(
            f"{all_flag} cannot be combined with --product, --sku, --offer or --from-file"
        )
    if not (everything or sel.explicit or filters.active):
        raise UsageError(
            f"which products? give --product, --sku, --offer, --from-file, {all_flag}, "
            "--discount-over, --below-min-price or --margin-below"
        )
    return sel


@dataclass
class Resolved:
    cards: dict[int, ProductInfo]
    """Product id → card, in the order given."""
    unknown: list[str]
    """What was given but matched no product, as given (``sku 123``, ``offer ABC``)."""

    def outside(self, among: Container[int], status: str, reason: str) -> list[dict[str, Any]]:
        """Result rows, never sent, for the products given that are not ``among`` (the
        promotion's candidates or members: ``status`` and ``reason``), then for what
        matched no product (``not_found``)."""
        rows: list[dict[str, Any]] = [
            {
                "product_id": pid,
                "offer_id": card.offer_id,
                "sku": card.sku or None,
                "name": card.name,
                "price": card.price,
                "status": status,
                "reason": reason,
            }
            for pid, card in self.cards.items()
            if pid not in among
        ]
        rows += [
            {"offer_id": label, "status": "not_found", "reason": "no such product"}
            for label in self.unknown
        ]
        return rows


def resolve(client: OzonClient, sel: Selection) -> Resolved:
    """Turn the SKUs, offer ids, products and file tokens into product cards, through the
    product resolver (:mod:`ozonctl.catalog.resolve`: the catalogue index, then one
    batched request for what it does not know), then the cards of the products the index
    named (1000 a request). A token naming two products is exit 2."""
    from ozonctl.catalog.index import CatalogIndex
    from ozonctl.catalog.resolve import resolve as resolve_tokens
    from ozonctl.cli.context import app_context

    named = [
        *((f"sku:{s}", f"sku {s}") for s in sel.skus),
        *((f"offer:{o}", f"offer {o}") for o in sel.offers),
        *((t, t) for t in sel.products),
        *((t, t) for t in sel.tokens),
    ]
    index = CatalogIndex.load(app_context().catalog_dir())
    got = resolve_tokens([t for t, _ in named], index, client)
    cards = dict(got.cards)
    need = [e.product_id for e in got.found if e.product_id not in cards]
    cards.update((c.id, c) for c in client.products.info(product_ids=need))
    found: dict[int, ProductInfo] = {}
    unknown: list[str] = []
    for (_, label), entry in zip(named, got.entries, strict=True):
        card = None if entry is None else cards.get(entry.product_id)
        if card is None:
            unknown.append(label)
        else:
            found.setdefault(card.id, card)
    return Resolved(found, unknown)
