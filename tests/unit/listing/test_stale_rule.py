"""Property tests: the stale rule never picks a product inside --min-age-days, on the
exclude list, archived, or with a sale in the window; and picks every other one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ozonctl.catalog.index import CatalogEntry, CatalogIndex
from ozonctl.catalog.sales import SaleLine, SalesHistory
from ozonctl.catalog.stale import StaleCriteria, find_stale

TODAY = dt.date(2026, 11, 27)


@st.composite
def shops(
    draw: st.DrawFn,
) -> tuple[list[CatalogEntry], SalesHistory, dict[int, int], StaleCriteria]:
    n = draw(st.integers(0, 40))
    entries = []
    for i in range(n):
        age = draw(st.one_of(st.none(), st.integers(0, 400)))
        entries.append(
            CatalogEntry(
                1000 + i,
                f"OF-{i}",
                draw(st.sampled_from([0, 5000 + i])),
                f"p{i}",
                draw(st.booleans()),
                None if age is None else TODAY - dt.timedelta(days=age),
            )
        )
    lines = []
    for k in range(draw(st.integers(0, 60))):
        if not entries:
            break
        e = draw(st.sampled_from(entries))
        if e.sku:
            ago = draw(st.integers(0, 400))
            lines.append(SaleLine(f"P{k}", TODAY - dt.timedelta(days=ago), e.sku, 1, Decimal(10)))
    stock = {e.product_id: draw(st.integers(0, 3)) for e in entries if draw(st.booleans())}
    exclude = frozenset(
        draw(st.sampled_from([e.offer_id, str(e.product_id), str(e.sku)]))
        for e in entries
        if draw(st.integers(0, 4)) == 0
    )
    crit = StaleCriteria(
        no_sales_days=draw(st.integers(1, 365)),
        min_age_days=draw(st.integers(0, 200)),
        zero_stock=draw(st.booleans()),
        exclude=exclude,
    )
    return entries, SalesHistory(lines), stock, crit


@settings(max_examples=150, deadline=None)
@given(shops())
def test_never_delists_protected_products(shop: tuple) -> None:  # type: ignore[type-arg]
    entries, sales, stock, crit = shop
    matched = find_stale(CatalogIndex.from_entries(entries), sales.last_sale, stock, crit, TODAY)
    window_start = TODAY - dt.timedelta(days=crit.no_sales_days)
    for m in matched:
        e = m.entry
        assert not e.archived
        assert e.created is not None and (TODAY - e.created).days >= crit.min_age_days
        assert not {e.offer_id, str(e.product_id)} & crit.exclude
        assert not (e.sku and str(e.sku) in crit.exclude)
        sold = [
            ln.day for ln in sales.lines if ln.sku == e.sku and e.sku and ln.day >= window_start
        ]
        assert not sold, f"{e.offer_id} sold on {sold} inside the {crit.no_sales_days}-day window"
        if crit.zero_stock:
            assert stock.get(e.product_id) == 0


@settings(max_examples=150, deadline=None)
@given(shops())
def test_picks_exactly_the_products_the_rule_describes(shop: tuple) -> None:  # type: ignore[type-arg]
    entries, sales, stock, crit = shop
    matched = {m.entry.product_id for m in find_stale(entries, sales.last_sale, stock, crit, TODAY)}
    window_start = TODAY - dt.timedelta(days=crit.no_sales_days)
    expected = set()
    for e in entries:
        ids = {e.offer_id, str(e.product_id)} | ({str(e.sku)} if e.sku else set())
        sold = (
            any(ln.sku == e.sku and ln.day >= window_start for ln in sales.lines)
            if e.sku
            else False
        )
        if (
            not e.archived
            and not ids & crit.exclude
            and e.created is not None
            and (TODAY - e.created).days >= crit.min_age_days
            and not sold
            and (not crit.zero_stock or stock.get(e.product_id) == 0)
        ):
            expected.add(e.product_id)
    assert matched == expected
