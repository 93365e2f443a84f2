"""The seller's promotion policy and where each product stands in Ozon's promotions.

``scan`` reads every Ozon promotion's products and auto-add lists into
:class:`Placement` rows (one per product and promotion, or product and auto-add date);
``load_policy`` reads the policy file the seller keeps (TOML); ``breaches`` says which
placements break which rule. ``promo guard`` acts on the breaches, ``promo audit``
prints them.

The policy file (every key optional)::

    never_below_min_price = true        # no action price under the product's min price
    max_discount_pct = 30               # no action price more than 30 % below the price
    keep_out = ["OF-123", "1234567"]    # offer ids, SKUs or product ids: in no promotion
    min_margin_pct = 5                  # no margin at the action price under 5 % of it
    scheme = "fbs"                      # the scheme min_margin_pct counts (default: the lower)
    [min_prices]                        # the seller's own floors, by offer id
    "OF-9" = 1450

A rule is a :class:`Rule`: ``check(placement)`` gives the reason it is broken, or "".
A rule that needs more than a placement holds (a margin rule: Ozon's fees and the
seller's costs) also has ``prepare(client, placements)``, called once before the checks
(:meth:`Policy.prepare`): :class:`MarginRule` reads Ozon's fees there, 1000 products a
request, and judges each placement by :mod:`ozonctl.domain.margin` at its action price.
A rule that cannot judge a placement (a margin with no known cost) says why in
``unjudged(placement)``: such a placement neither breaks nor passes, and the guard and
the audit list it (``no_cost``) instead of touching it. New rules register a maker in
``RULES`` under their policy key; a key listed in ``NOT_YET`` is refused with a clear
message instead of being silently ignored.

Takes a client and paths, never the CLI's context (a unit test checks it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ozonctl.domain.margin import SCHEMES, Costs, Margin
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, AutoAddProduct

INFO_CHUNK = 1000


@dataclass
class Placement:
    """A product in an Ozon promotion (``where == "in"``) or on one of its auto-add
    lists (``where == "auto-add"``, with Ozon's ``auto_add_date``)."""

    product_id: int
    action_id: int
    title: str
    where: str
    auto_add_date: str = ""
    offer_id: str = ""
    sku: int = 0
    name: str = ""
    price: Decimal | None = None
    action_price: Decimal | None = None
    max_action_price: Decimal | None = None
    min_price: Decimal | None = None
    stock: int = 0
    freeze_date: dt.datetime | None = None
    is_boosting: bool = False
    is_voucher: bool = False
    leave_method: str = "deactivate"
    margin: Margin | None = None
    """The lowest margin at the action price (set by :class:`MarginRule`)."""
    margin_note: str = ""
    """Why there is no margin, when the margin rule could not count one."""

    @property
    def discount_pct(self) -> Decimal | None:
        if not self.price or self.action_price is None or self.price <= 0:
            return None
        off = (self.price - self.action_price) * 100 / self.price
        return off.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def auto_add_moment(self) -> dt.datetime | None:
        return moment(self.auto_add_date)

    def frozen(self, now: dt.datetime) -> bool:
        return self.freeze_date is not None and self.freeze_date <= now


def moment(text: str) -> dt.datetime | None:
    """An Ozon date-time as Ozon wrote it (auto-add dates are kept so, to be sent back)
    as a time; None when empty or not a date-time."""
    from ozonctl.client.models.convert import to_moment

    try:
        value = to_moment(text)
    except ValueError:
        return None
    return value if isinstance(value, dt.datetime) else None


class Rule(Protocol):
    """One rule of the policy: the reason ``p`` breaks it, or ""."""

    def check(self, p: Placement) -> str: ...


@dataclass(frozen=True)
class MinPriceRule:
    """No action price under the product's min price: the seller's own floor from
    ``[min_prices]`` when given, else the product's min price at Ozon."""

    floors: dict[str, Decimal] = field(default_factory=dict)
    use_ozon: bool = True

    def check(self, p: Placement) -> str:
        floor = self.floors.get(p.offer_id)
        if floor is None and self.use_ozon:
            floor = p.min_price or None
        if floor is None or p.action_price is None or p.action_price >= floor:
            return ""
        return f"action price {p.action_price} is below the min price {floor}"


@dataclass(frozen=True)
class MarginRule:
    """No margin at the action price below ``floor`` percent of it (the lower of FBS and
    FBO, or ``scheme``'s), counted as ``listing margin`` counts: the price, less Ozon's
    fees and the seller's cost (``net_price`` at Ozon, else the costs file)."""

    floor: Decimal
    scheme: str | None = None
    costs: Costs = field(default_factory=Costs)

    def prepare(self, client: OzonClient, placements: Sequence[Placement]) -> None:
        """Read Ozon's fees of every product placed (1000 a request) and set each
        placement's margin at its action price, or why there is none."""
        from ozonctl.domain.margin import product_margins

        ids = list(dict.fromkeys(p.product_id for p in placements))
        items = {}
        for k in range(0, len(ids), INFO_CHUNK):
            chunk = ids[k : k + INFO_CHUNK]
            items.update({i.product_id: i for i in client.products.prices(product_ids=chunk)})
        counted = (self.scheme,) if self.scheme else SCHEMES
        for p in placements:
            item = items.get(p.product_id)
            p.margin, p.margin_note = None, ""
            if p.action_price is None:
                p.margin_note = "no action price"
            elif item is None:
                p.margin_note = "Ozon gave no fees for it"
            else:
                pm = product_margins(item, self.costs, price=p.action_price, schemes=counted)
                p.margin = pm.worst(counted)
                p.margin_note = "" if p.margin else pm.missing

    def check(self, p: Placement) -> str:
        m = p.margin
        if m is None or not m.below(self.floor):
            return ""
        return (
            f"margin {m.margin} ({m.percent}%, {m.scheme.upper()}) at the action price is "
            f"below {self.floor}%"
        )

    def unjudged(self, p: Placement) -> str:
        if p.margin is not None:
            return ""
        return f"margin unknown: {p.margin_note or 'fees not read'}"


@dataclass(frozen=True)
class MaxDiscountRule:
    limit: Decimal

    def check(self, p: Placement) -> str:
        off = p.discount_pct
        if off is None or off <= self.limit:
            return ""
        return f"discount {off}% is over {self.limit}%"


@dataclass(frozen=True)
class KeepOutRule:
    tokens: frozenset[str]

    def check(self, p: Placement) -> str:
        keys = {p.offer_id, str(p.sku), str(p.product_id)}
        return "kept out of every promotion by the policy" if keys & self.tokens else ""


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise UsageError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise UsageError(f"{where}: {value!r} must be a number of 0 or more")
    return number


def _min_price(value: Any, table: dict[str, Any], source: str) -> Rule | None:
    floors = {
        str(k): _decimal(v, f"{source}: min_prices.{k}")
        for k, v in (table.get("min_prices") or {}).items()
    }
    if value is not True and not floors:
        return None
    return MinPriceRule(floors, use_ozon=value is True)


def _max_discount(value: Any, table: dict[str, Any], source: str) -> Rule:
    limit = _decimal(value, f"{source}: max_discount_pct")
    if limit >= 100:
        raise UsageError(f"{source}: max_discount_pct must be below 100")
    return MaxDiscountRule(limit)


def _keep_out(value: Any, table: dict[str, Any], source: str) -> Rule:
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise UsageError(f"{source}: keep_out must be a list of offer ids, SKUs or product ids")
    return KeepOutRule(frozenset(str(v).strip() for v in value if str(v).strip()))


def _min_margin(value: Any, table: dict[str, Any], source: str) -> Rule:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UsageError(f"{source}: min_margin_pct = {value!r} is not a percentage")
    try:
        floor = Decimal(str(value))
    except InvalidOperation:
        raise UsageError(f"{source}: min_margin_pct = {value!r} is not a percentage") from None
    if not floor.is_finite() or not -1000 <= floor < 100:
        raise UsageError(f"{source}: min_margin_pct must be a percentage below 100")
    scheme = table.get("scheme")
    if scheme is not None and (not isinstance(scheme, str) or scheme.lower() not in SCHEMES):
        raise UsageError(f'{source}: scheme must be "fbs" or "fbo" (or left out: the lower)')
    return MarginRule(floor, scheme.lower() if scheme else None)


RuleMaker = Callable[[Any, dict[str, Any], str], "Rule | None"]
RULES: dict[str, RuleMaker] = {
    "never_below_min_price": _min_price,
    "max_discount_pct": _max_discount,
    "keep_out": _keep_out,
    "min_margin_pct": _min_margin,
}
"""Policy key → the maker of its rule (``value, whole table, file name``)."""
NOT_YET: dict[str, str] = {}
"""Keys a later rule will take (the hook): refused, with why, until its maker is in
``RULES``."""
COMPANIONS = frozenset({"min_prices", "scheme"})
"""Keys read by another key's maker."""


@dataclass(frozen=True)
class Policy:
    source: str
    rules: tuple[Rule, ...]

    def prepare(self, client: OzonClient, placements: Sequence[Placement]) -> None:
        """Let each rule that needs more data than a placement holds read it, once."""
        for rule in self.rules:
            ready = getattr(rule, "prepare", None)
            if ready is not None:
                ready(client, placements)

    @property
    def counts_margins(self) -> bool:
        return any(isinstance(rule, MarginRule) for rule in self.rules)

    def breaches(self, p: Placement) -> list[str]:
        return [reason for rule in self.rules if (reason := rule.check(p))]

    def unjudged(self, p: Placement) -> str:
        """Why some rule could not judge ``p`` (a margin with no known cost), or ""."""
        whys = (getattr(rule, "unjudged", None) for rule in self.rules)
        return "; ".join(why for ask in whys if ask is not None and (why := ask(p)))


def load_policy(path: Path, costs: Callable[[], Costs] = Costs) -> Policy:
    """The policy in ``path`` (a usage error, exit 2, names the file and the key for
    anything it does not understand; a missing file is one too). ``costs`` gives the
    seller's costs file, read only when the policy counts margins."""
    from ozonctl.state.files import read_user_toml

    source = str(path)
    if not path.is_file():
        raise UsageError(
            f"no policy file {source}", hint="see docs/promotions.md for what it holds"
        )
    table = read_user_toml(path)
    if "scheme" in table and "min_margin_pct" not in table:
        raise UsageError(f"{source}: scheme is read only with min_margin_pct")
    if "min_prices" in table and "never_below_min_price" not in table:
        table = {**table, "never_below_min_price": False}
    rules: list[Rule] = []
    for key, value in table.items():
        if key in NOT_YET:
            raise UsageError(f"{source}: {key} is not supported yet ({NOT_YET[key]})")
        if key in COMPANIONS:
            continue
        maker = RULES.get(key)
        if maker is None:
            known = ", ".join(sorted([*RULES, *COMPANIONS]))
            raise UsageError(f"{source}: unknown key {key!r}", hint=f"the keys are: {known}")
        rule = maker(value, table, source)
        if isinstance(rule, MarginRule):
            rule = replace(rule, costs=costs())
        if rule is not None:
            rules.append(rule)
    return Policy(source, tuple(rules))


DEFAULT_POLICY = Policy("built-in", (MinPriceRule(),))
"""Without a policy file: only "never below the min price"."""


# --- reading where every product stands -------------------------------------------------


def scan(
    client: OzonClient,
    actions: Iterable[Action],
    *,
    only: int | None = None,
    in_promotions: bool = True,
) -> list[Placement]:
    """Every product in each promotion (``only`` one when given; none with
    ``in_promotions=False``) and on each of its auto-add lists; offer id, SKU, name and
    min price of products in a promotion come from their cards (1000 a request)."""
    from ozonctl.client.models.promos import money

    out: list[Placement] = []
    for a in actions:
        if only is not None and a.id != only:
            continue
        base = _of_action(a)
        for p in client.promos.products(a.id) if in_promotions else ():
            out.append(
                Placement(
                    p.id,
                    where="in",
                    price=money(p.price),
                    action_price=money(p.action_price),
                    max_action_price=money(p.max_action_price),
                    min_price=money(p.min_seller_price) or None,
                    stock=p.stock or 0,
                    **base,
                )
            )
        for date in a.auto_add_dates:
            out += (on_auto_add(q, a, date) for q in client.promos.auto_add_products(a.id, date))
    _label(client, [p for p in out if not p.offer_id])
    return out


def _of_action(a: Action) -> dict[str, Any]:
    """What a placement keeps of its promotion."""
    return {
        "action_id": a.id,
        "title": a.title,
        "freeze_date": a.freeze_date,
        "is_boosting": a.is_boosting,
        "is_voucher": a.is_voucher_action,
        "leave_method": a.leave_method,
    }


def on_auto_add(
    q: AutoAddProduct, action: Action, date: str, *, candidate: bool = False
) -> Placement:
    """A product on ``action``'s auto-add list of ``date`` (``/v2/actions/auto-add/
    products/list``), or with ``candidate`` one that may be put on it (``…/candidates``:
    ``where`` is ``candidate`` and it has no units on the list)."""
    from ozonctl.client.models.promos import money

    return Placement(
        q.product_id,
        where="candidate" if candidate else "auto-add",
        auto_add_date=date,
        offer_id=q.offer_id,
        sku=q.sku,
        name=q.name,
        price=money(q.price),
        action_price=money(q.action_price_to_auto_add),
        max_action_price=money(q.max_discount_price),
        min_price=money(q.min_seller_price) or None,
        stock=0 if candidate else q.quantity_to_auto_add or 0,
        **_of_action(action),
    )


def _label(client: OzonClient, unlabelled: list[Placement]) -> None:
    ids = list(dict.fromkeys(p.product_id for p in unlabelled))
    cards = {}
    for k in range(0, len(ids), INFO_CHUNK):
        cards.update({c.id: c for c in client.products.info(product_ids=ids[k : k + INFO_CHUNK])})
    for p in unlabelled:
        card = cards.get(p.product_id)
        if card is not None:
            p.offer_id, p.sku, p.name = card.offer_id, card.sku, card.name
            if card.min_price:
                p.min_price = card.min_price


def breaches(placements: Iterable[Placement], policy: Policy) -> Iterator[tuple[Placement, str]]:
    """Each placement that breaks the policy, with every reason joined."""
    for p in placements:
        reasons = policy.breaches(p)
        if reasons:
            yield p, "; ".join(reasons)


def freezing(p: Placement, now: dt.datetime, within: dt.timedelta) -> bool:
    """Whether ``p``'s promotion freezes between now and ``within`` from now."""
    return p.freeze_date is not None and now <= p.freeze_date <= now + within
