"""The product resolver (catalog/resolve.py): an offer id, SKU or product id, bare or
prefixed, through the index without a request, the rest at Ozon in one batched
``/v3/product/info/list``; a token naming two products and an unknown token are exit 2.

The fake Ozon answers ``/v3/product/info/list`` as its document says: the three filters
together, at most 1000 ids in all, every product an id filter names whatever its
visibility (archived ones too), unknown ids simply absent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest

from ozonctl.catalog.index import CatalogEntry, CatalogIndex
from ozonctl.catalog.resolve import parse, resolve, resolve_one
from ozonctl.client.client import OzonClient
from ozonctl.errors import UsageError
from ozonctl.exitcodes import ExitCode

DAY = dt.date(2026, 1, 5)
# (product id, offer id, SKU, archived); the index knows 1-3, Ozon all of them
P1 = (801000001, "MUG-1", 1660000001, False)
P2 = (801000002, "1660000001", 1660000002, False)  # its offer id is P1's SKU
P3 = (801000003, "CASE-3", 1660000003, False)
P4 = (801000004, "NEW-4", 1660000004, True)  # new since the last sync, archived
P5 = (801000005, "1660000006", 1660000005, False)  # new: offer id = P6's SKU
P6 = (801000006, "LAMP-6", 1660000006, False)
INDEXED = [P1, P2, P3]
AT_OZON = [P1, P2, P3, P4, P5, P6]


class Ozon:
    """``/v3/product/info/list`` as documented, recording each request's body."""

    def __init__(self, products: list[tuple[int, str, int, bool]]) -> None:
        self.products = products
        self.bodies: list[dict[str, list[str]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v3/product/info/list", request.url.path
        body = json.loads(request.content)
        self.bodies.append(body)
        if sum(len(v) for v in body.values()) > 1000:
            return httpx.Response(400, json={"code": 3, "message": "too many ids"})
        offers = set(body.get("offer_id", []))
        pids = {int(v) for v in body.get("product_id", [])}
        skus = {int(v) for v in body.get("sku", [])}
        items = [
            {"id": p, "offer_id": o, "sku": s, "name": o, "is_archived": a}
            for p, o, s, a in self.products
            if o in offers or p in pids or s in skus
        ]
        return httpx.Response(200, json={"items": items})


def client_for(ozon: Ozon) -> OzonClient:
    return OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        transport=httpx.MockTransport(ozon),
        sleep=lambda s: None,
    )


def index_of(rows: list[tuple[int, str, int, bool]]) -> CatalogIndex:
    return CatalogIndex.from_entries(CatalogEntry(p, o, s, o, a, DAY) for p, o, s, a in rows)


@pytest.mark.parametrize(
    ("token", "product", "bodies"),
    [
        # the index answers: no request
        ("MUG-1", P1, []),
        ("1660000003", P3, []),  # a SKU
        ("801000003", P3, []),  # a product id
        ("offer:1660000001", P2, []),
        ("sku:1660000001", P1, []),
        ("SKU: 1660000001", P1, []),  # any case, blanks
        ("id:801000002", P2, []),
        ("product_id:801000002", P2, []),
        ("offer_id:CASE-3", P3, []),
        # not in the index (new since the sync): one request, only the filters it may be
        ("NEW-4", P4, [{"offer_id": ["NEW-4"]}]),
        (
            "1660000004",
            P4,
            [
                {
                    "product_id": ["1660000004"],
                    "offer_id": ["1660000004"],
                    "sku": ["1660000004"],
                }
            ],
        ),
        ("id:801000004", P4, [{"product_id": ["801000004"]}]),
        ("sku:1660000004", P4, [{"sku": ["1660000004"]}]),
        ("offer:801000004", None, [{"offer_id": ["801000004"]}]),  # not an offer id
        ("NOPE-9", None, [{"offer_id": ["NOPE-9"]}]),
    ],
)
def test_a_token_names_its_product_with_the_fewest_requests(
    token: str, product: tuple[int, str, int, bool] | None, bodies: list[dict[str, Any]]
) -> None:
    ozon = Ozon(AT_OZON)
    got = resolve([token], index_of(INDEXED), client_for(ozon))
    assert ozon.bodies == bodies
    if product is None:
        assert got.unknown == [token.strip()] and got.found == []
    else:
        [entry] = got.found
        assert (entry.product_id, entry.offer_id, entry.sku, entry.archived) == product


@pytest.mark.parametrize(
    ("token", "ids", "bodies"),
    [
        ("1660000001", ("801000001", "801000002", "sku:1660000001", "offer:1660000001"), 0),
        ("1660000006", ("801000005", "801000006", "offer:1660000006", "sku:1660000006"), 1),
    ],
)
def test_a_token_naming_two_products_is_exit_2_naming_both_and_the_prefixes(
    token: str, ids: tuple[str, ...], bodies: int
) -> None:
    ozon = Ozon(AT_OZON)
    with pytest.raises(UsageError) as err:
        resolve(["MUG-1", token], index_of(INDEXED), client_for(ozon))
    assert err.value.exit_code == ExitCode.USAGE
    text = f"{err.value} {err.value.hint}"
    for part in ids:
        assert part in text
    assert len(ozon.bodies) == bodies  # in the index: no request; new at Ozon: the one batch


def test_the_tokens_the_index_does_not_know_go_in_one_batch() -> None:
    ozon = Ozon(AT_OZON)
    tokens = ["MUG-1", "NEW-4", "sku:1660000004", "801000003", "NOPE-9", "id:801000006"]
    got = resolve(tokens, index_of(INDEXED), client_for(ozon))
    assert len(ozon.bodies) == 1
    assert ozon.bodies[0] == {
        "product_id": ["801000006"],
        "offer_id": ["NEW-4", "NOPE-9"],
        "sku": ["1660000004"],
    }
    assert [e and e.product_id for e in got.entries] == [
        801000001,
        801000004,
        801000004,
        801000003,
        None,
        801000006,
    ]
    assert [e.product_id for e in got.found] == [801000001, 801000004, 801000003, 801000006]
    assert got.unknown == ["NOPE-9"]
    assert set(got.cards) == {801000004, 801000006}  # the cards read, for the caller


def test_without_an_index_every_token_goes_to_ozon_1000_ids_a_request() -> None:
    shop = [(900000000 + i, f"A-{i}", 1700000000 + i, False) for i in range(2500)]
    ozon = Ozon(shop)
    got = resolve([f"A-{i}" for i in range(2500)], None, client_for(ozon))
    assert [sum(len(v) for v in b.values()) for b in ozon.bodies] == [1000, 1000, 500]
    assert len(got.found) == 2500 and got.unknown == []


def test_an_unknown_single_product_is_one_line_exit_2() -> None:
    with pytest.raises(UsageError) as err:
        resolve_one("NOPE-9", index_of(INDEXED), client_for(Ozon(AT_OZON)))
    assert err.value.exit_code == ExitCode.USAGE
    assert "NOPE-9" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("token", ["sku:MUG-1", "id:12a", "sku:", "offer:"])
def test_a_malformed_prefixed_token_is_exit_2_before_any_request(token: str) -> None:
    ozon = Ozon(AT_OZON)
    with pytest.raises(UsageError):
        resolve([token], index_of(INDEXED), client_for(ozon))
    assert ozon.bodies == []


def test_a_colon_that_is_no_prefix_is_part_of_the_offer_id() -> None:
    assert parse("MUG:RED") == ("MUG:RED", None, "MUG:RED")
    assert parse("offer:sku:5").value == "sku:5"


def test_a_name_set_keeps_every_product_a_bare_name_may_be_and_one_for_a_prefix() -> None:
    from ozonctl.catalog.resolve import NameSet

    index = index_of(INDEXED)
    bare = NameSet(["1660000001"])  # P2's offer id and P1's SKU: an exclude list keeps both
    assert [e.product_id for e in index if e in bare] == [801000001, 801000002]
    only = NameSet(["offer:1660000001", "id:801000003"])
    assert [e.product_id for e in index if e in only] == [801000002, 801000003]


def test_stock_thresholds_by_the_id_their_key_names() -> None:
    from ozonctl.commands.listing.stock import thresholds_by_id

    got = thresholds_by_id({"1660000001": 4, "sku:1660000001": 9, "MUG-1": 2, "id:7": 1})
    assert got == {
        "offer": {"1660000001": 4, "MUG-1": 2},
        "sku": {"1660000001": 9},
        "id": {"1660000001": 4, "7": 1},
    }


class Shop:
    """The two things :func:`product_skus` asks of the command's context."""

    def __init__(self, folder: Any, ozon: Ozon) -> None:
        self.folder, self.ozon = folder, ozon

    def catalog_dir(self) -> Any:
        return self.folder

    def client(self) -> OzonClient:
        return client_for(self.ozon)


def test_product_skus_names_any_way_and_keeps_a_sku_a_sku(tmp_path: Any) -> None:
    """``--product``/``--sku`` of review list, question list, analytics sales: any name
    to its SKU, a SKU the index knows or ``sku:N`` without a request, a number no product
    has kept as the SKU it was (old ``--sku``), an unknown or ambiguous name exit 2."""
    from ozonctl.catalog.index import index_path
    from ozonctl.cli.products import product_skus

    index_of(INDEXED).write(index_path(tmp_path))
    ozon = Ozon(AT_OZON)
    shop: Any = Shop(tmp_path, ozon)
    assert product_skus(shop, ["1660000003", "sku:1660000009", "MUG-1"]) == [
        1660000003,
        1660000009,
        1660000001,
    ]
    assert ozon.bodies == []  # the index and sku: answered
    assert product_skus(shop, ["NEW-4", "id:801000006", "1659999999"]) == [
        1660000004,
        1660000006,
        1659999999,
    ]
    assert len(ozon.bodies) == 1  # the rest in one lookup
    for bad in (["NO-SUCH"], ["id:1"], ["offer:1"], ["1660000001"]):
        with pytest.raises(UsageError) as err:
            product_skus(shop, bad)
        assert err.value.exit_code == ExitCode.USAGE, bad
