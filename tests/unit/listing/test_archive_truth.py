"""Archive, unarchive and restore report what Ozon applied (issues 23 and 16): read-back
from each product's own state, Ozon's daily limit, reserved units, a stale index, a
killed run's rerun, in-flight requests, the stock ``--zero-stock`` set to 0."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest
from listing_fake import TODAY, FakeOzon, Product

SPEC = Path(
    os.environ.get("OZON_OPENAPI", Path(__file__).parents[4] / "shared" / "ozon-seller-api")
)
ID_FILTER_RULE = "Вернутся все товары с указанными идентификаторами, независимо от видимости."


def results(r: Any) -> dict[str, tuple[str, str]]:
    return {i["offer_id"]: (i["result"], i["note"]) for i in r.json()["items"]}


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits for in-flight requests recorded, not slept."""
    from ozonctl.domain import archiving as _archiving

    waits: list[float] = []
    monkeypatch.setattr(_archiving, "sleep", waits.append, raising=False)
    return waits


def test_ozon_documents_that_an_id_filter_ignores_visibility(fake: FakeOzon) -> None:
    """The rule the fake and the sandbox follow, quoted from Ozon's document for
    /v3/product/list: "Вернутся все товары с указанными идентификаторами, независимо от
    видимости" (all products with the ids given come back, whatever their visibility)."""
    doc = SPEC / "ozon-seller-openapi-2026-06-11.json"
    if not doc.is_file():
        pytest.skip(f"Ozon's OpenAPI document is not at {doc}")
    spec = json.loads(doc.read_text(encoding="utf-8"))
    assert ID_FILTER_RULE in spec["paths"]["/v3/product/list"]["post"]["description"]
    fake.products[1001].archived = True
    body = {"filter": {"product_id": ["1001", "1002"], "visibility": "ALL"}, "limit": 10}
    answer = httpx.post("http://127.0.0.1:9/v3/product/list", json=body).json()
    assert {(i["product_id"], i["archived"]) for i in answer["result"]["items"]} == {
        (1001, True),
        (1002, False),
    }


def test_unarchive_past_the_daily_limit_reports_what_ozon_restored(
    fake: FakeOzon, cli: Any
) -> None:
    for pid in range(1000, 1150):
        fake.products[pid].archived = fake.products[pid].autoarchived = True
    tokens = "\n".join(f"OF-{i:05d}" for i in range(150))
    r = cli("listing", "unarchive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 3, r.stderr
    got = results(r)
    for pid in range(1000, 1150):
        result, note = got[fake.products[pid].offer_id]
        assert result == ("failed" if fake.products[pid].archived else "unarchived")
        if result == "failed":
            assert "100 auto-archived products a day" in note
    assert sum(res == "unarchived" for res, _ in got.values()) == 100


def test_archive_whose_every_request_failed_is_reported_failed(fake: FakeOzon, cli: Any) -> None:
    fake.write_status = 500
    for args in ((), ("--verify",)):
        r = cli("listing", "archive", "OF-00001", "OF-00002", *args, "--yes", "--json")
        assert r.exit_code == 3, r.stderr
        assert {res for res, _ in results(r).values()} == {"failed"}
    assert not fake.products[1001].archived and not fake.products[1002].archived


def test_restore_whose_requests_failed_is_reported_failed(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "archive", "OF-00001", "OF-00002", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    fake.write_status = 503
    r2 = cli("listing", "restore", r.json()["ref"], "--yes", "--json")
    assert r2.exit_code == 3, r2.stderr
    assert {res for res, _ in results(r2).values()} == {"failed"}
    assert fake.products[1001].archived and fake.products[1002].archived


def test_reserved_units_hold_a_product_back_unless_allowed(fake: FakeOzon, cli: Any) -> None:
    fake.products[1003].stock = {101: 4}
    fake.products[1003].reserved = {101: 2}
    r = cli("listing", "archive", "OF-00003", "OF-00004", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    got = results(r)
    assert got["OF-00003"][0] == "skipped" and "2 units reserved" in got["OF-00003"][1]
    assert "--allow-reserved" in got["OF-00003"][1]
    assert got["OF-00004"][0] == "archived"
    assert not fake.products[1003].archived
    sent = [p for b in fake.calls("/v1/product/archive") for p in b["product_id"]]
    assert "1003" not in sent and 1003 not in sent
    r = cli("listing", "archive", "OF-00003", "--allow-reserved", "--yes", "--json")
    assert r.exit_code == 0 and results(r)["OF-00003"][0] == "archived"
    assert fake.products[1003].archived


def test_archive_by_offer_id_uses_ozons_product_not_a_stale_index(fake: FakeOzon, cli: Any) -> None:
    assert cli("sync").exit_code == 0  # the index: OF-00001 is product 1001
    # since then the seller renamed 1001's offer id and gave OF-00001 to a new product
    fake.products[1001].offer_id = "OF-RENAMED"
    fake.products[1300] = Product(1300, "OF-00001", 501300, "New", TODAY)
    r = cli("listing", "archive", "OF-00001", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert [i["product_id"] for i in r.json()["items"]] == [1300]
    assert fake.products[1300].archived and not fake.products[1001].archived


def test_restore_puts_back_the_stock_zero_stock_took(fake: FakeOzon, cli: Any) -> None:
    fake.warehouses = [101, 102]
    fake.products[1003].stock = {101: 3, 102: 5}
    fake.products[1004].stock = {101: 6}
    r = cli("listing", "archive", "OF-00003", "OF-00004", "--zero-stock", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert fake.products[1003].stock == {101: 0, 102: 0}
    r2 = cli("listing", "restore", r.json()["ref"], "--yes", "--json")
    assert r2.exit_code == 0, r2.stderr
    assert fake.products[1003].stock == {101: 3, 102: 5}
    assert fake.products[1004].stock == {101: 6}
    assert not fake.products[1003].archived
    got = results(r2)
    assert got["OF-00003"] == (
        "unarchived",
        "stock put back: 3 at warehouse 101, 5 at warehouse 102",
    )


def test_restore_says_which_stock_it_could_not_put_back(fake: FakeOzon, cli: Any) -> None:
    fake.products[1003].stock = {101: 3}
    r = cli("listing", "archive", "OF-00003", "--zero-stock", "--yes", "--json")
    fake.stock_errors[1003] = "TOO_MANY_REQUESTS"
    r2 = cli("listing", "restore", r.json()["ref"], "--yes", "--json")
    assert r2.exit_code == 0, r2.stderr
    result, note = results(r2)["OF-00003"]
    assert result == "unarchived" and "stock not put back (3 at warehouse 101)" in note
    assert "TOO_MANY_REQUESTS" in note


def test_killed_archive_reruns_only_what_was_not_done(
    fake: FakeOzon, cli: Any, ozonctl_home: Path, no_wait: list[float]
) -> None:
    calls = 0

    def killed_on_third_batch(path: str) -> None:
        nonlocal calls
        if path == "/v1/product/archive":
            calls += 1
            if calls == 3:
                raise KeyboardInterrupt

    fake.hook = killed_on_third_batch
    assert cli("config", "set", "concurrency", "1").exit_code == 0  # batches in order
    tokens = "\n".join(f"OF-{i:05d}" for i in range(250))
    r = cli("listing", "archive", "--from-file", "-", "--yes", input=tokens)
    assert r.exit_code == 130, r.stderr
    done_before = {p.product_id for p in fake.products.values() if p.archived}
    assert len(done_before) == 200
    killed = next((ozonctl_home / "state").rglob("archive-*/op.toml"))
    assert tomllib.loads(killed.read_text())["status"] == "running"
    fake.hook = None
    first = len(fake.log)
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert "settled interrupted run" in r.stderr
    resent = [
        int(p) for path, b in fake.log[first:] if path == "/v1/product/archive"
        for p in b["product_id"]
    ]  # fmt: skip
    assert sorted(resent) == list(range(1200, 1250))
    assert tomllib.loads(killed.read_text())["status"] == "interrupted"
    assert all(p.archived for p in fake.products.values())


def test_timed_out_archive_is_read_back_until_it_lands(
    fake: FakeOzon, cli: Any, no_wait: list[float]
) -> None:
    """A request whose answer was lost may still run at Ozon: the read-back waits for it
    rather than calling the product failed at once."""
    state = {"sent": False, "infos": 0}

    def timeout_then_lands(path: str) -> None:
        if path == "/v1/product/archive":
            state["sent"] = True
            raise httpx.ReadTimeout("timed out")
        if path == "/v3/product/info/list" and state["sent"]:
            state["infos"] += 1
            if state["infos"] == 2:  # the first read-back is too early; then it has landed
                fake.products[1001].archived = True

    fake.hook = timeout_then_lands
    r = cli("listing", "archive", "OF-00001", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert results(r)["OF-00001"][0] == "archived"
    assert len(no_wait) == 1 and 0 < no_wait[0] <= 1.0
    assert len(fake.calls("/v1/product/archive")) == 1


def test_delist_stale_holds_back_a_product_with_reserved_units(fake: FakeOzon, cli: Any) -> None:
    """The hold lives in the shared archiving engine: the nightly delister gets it too."""
    fake.products[1005].stock = {101: 3}
    fake.products[1005].reserved = {101: 1}
    unlimited = ("--max", "1000", "--max-percent", "100")
    r = cli("listing", "delist-stale", "--yes", *unlimited, "--json")
    assert r.exit_code == 0, r.stderr
    items = {i["offer_id"]: i for i in r.json()["items"]}
    assert items["OF-00005"]["result"] == "skipped"
    assert "1 units reserved" in items["OF-00005"]["note"]
    assert not fake.products[1005].archived
    assert r.json()["counts"]["delisted"] == len(items) - 1
    r = cli("listing", "delist-stale", "--yes", *unlimited, "--allow-reserved", "--json")
    assert r.exit_code == 0 and fake.products[1005].archived


def test_restore_names_each_product_ozon_took_out_of_promotions(fake: FakeOzon, cli: Any) -> None:
    fake.products[1003].promotions = 2
    r = cli("listing", "archive", "OF-00003", "OF-00004", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert fake.products[1003].promotions == 0
    r2 = cli("listing", "restore", r.json()["ref"], "--yes", "--json")
    assert r2.exit_code == 0, r2.stderr
    got = results(r2)
    assert got["OF-00003"][0] == "unarchived"
    assert "was in 2 promotion(s) when archived" in got["OF-00003"][1]
    assert "ozonctl promo join" in got["OF-00003"][1]
    assert got["OF-00004"] == ("unarchived", "")


def test_a_full_disk_mid_archive_is_settled_by_the_rerun(
    fake: FakeOzon,
    cli: Any,
    ozonctl_home: Path,
    no_wait: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The journal's 'sent' step cannot be written (ENOSPC) after every batch went out:
    the run stops with the journal 'running'; the rerun reads the products back, marks
    the run interrupted and sends nothing again."""
    import errno

    from ozonctl.state.journal import Operation

    real = Operation.record

    def full_disk(self: Operation, step: int, name: str, data: dict[str, Any]) -> None:
        if name == "sent":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, step, name, data)

    monkeypatch.setattr(Operation, "record", full_disk)
    tokens = "\n".join(f"OF-{i:05d}" for i in range(150))
    r = cli("listing", "archive", "--from-file", "-", "--yes", input=tokens)
    assert r.exit_code != 0 and "No space left" in r.stderr
    assert sum(p.archived for p in fake.products.values()) == 150
    monkeypatch.setattr(Operation, "record", real)
    sent_before = len(fake.calls("/v1/product/archive"))
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert "settled interrupted run" in r.stderr
    assert len(fake.calls("/v1/product/archive")) == sent_before  # nothing sent again
    assert {res for res, _ in results(r).values()} == {"unchanged"}
    (killed,) = [
        p for p in (ozonctl_home / "state").rglob("archive-*/op.toml")
        if tomllib.loads(p.read_text())["ref"] != r.json()["ref"]
    ]  # fmt: skip
    assert tomllib.loads(killed.read_text())["status"] == "interrupted"


def test_the_fakes_product_list_answers_with_the_documented_fields_only(fake: FakeOzon) -> None:
    """Ozon's list items carry no ``sku`` (only the card does) and the result no ``total``
    (gone since 2026-11-23, OZON-NOTES.md; ``total_items`` replaces it): the fake sends
    what the document names, so code reading a field Ozon does not send fails here."""
    doc = SPEC / "ozon-seller-openapi-2026-06-11.json"
    if not doc.is_file():
        pytest.skip(f"Ozon's OpenAPI document is not at {doc}")
    spec = json.loads(doc.read_text(encoding="utf-8"))

    def deref(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = spec
            for part in node["$ref"].split("/")[1:]:
                target = target[part]
            node = target
        return node

    op = spec["paths"]["/v3/product/list"]["post"]
    schema = deref(op["responses"]["200"]["content"]["application/json"]["schema"])
    result = deref(schema["properties"]["result"])
    item = deref(result["properties"]["items"]["items"])
    body = {"filter": {"visibility": "ALL"}, "limit": 5}
    answer = httpx.post("http://127.0.0.1:9/v3/product/list", json=body).json()["result"]
    assert set(answer) == (set(result["properties"]) - {"total"}) | {"total_items"}
    assert answer["items"] and all(set(i) <= set(item["properties"]) for i in answer["items"])
