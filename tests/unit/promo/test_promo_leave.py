"""``promo leave``: plan, snapshot, fewest requests, per-product results, exit codes,
auto-add, boosting, and finishing or undoing an interrupted leave."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from promo_fake import BOOST, PIDS, SALE, VOUCHER, FakePromos

from ozonctl.client import endpoints
from ozonctl.state.journal import Journal

DEACTIVATE = "/v2/actions/products/deactivate"
UPDATE = "/v1/actions/products/update"


def journal(home: Path) -> Journal:
    return Journal(home / "state" / "profiles" / "default", "promo")


def small_batches(monkeypatch: pytest.MonkeyPatch, key: str, size: int) -> None:
    ep = endpoints.ENDPOINTS[key]
    monkeypatch.setitem(endpoints.ENDPOINTS, key, dataclasses.replace(ep, max_items=size))


def sequential(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[profiles.default]\nconcurrency = 1\n")


def test_dry_run_prints_the_plan_and_sends_no_write(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "leave", str(VOUCHER), "--all", "--dry-run", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()["items"]
    assert [x["product_id"] for x in rows] == PIDS[:4]
    assert {x["status"] for x in rows} == {"would_leave"}
    assert "1 /v2/actions/products/deactivate request(s)" in r.stderr
    assert "nothing was sent" in r.stderr
    assert fake.calls(DEACTIVATE) == [] and fake.calls(UPDATE) == []
    assert len(fake.members[VOUCHER]) == 4


def test_needs_yes_when_it_cannot_ask(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "leave", str(VOUCHER), "--all")
    assert r.exit_code == 2
    assert "--yes required" in r.stderr
    assert fake.calls(DEACTIVATE) == []


def test_no_selection_is_a_usage_error(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "leave", str(VOUCHER), "--yes")
    assert r.exit_code == 2 and "which products?" in r.stderr
    r = cli("promo", "leave", str(VOUCHER), "--all", "--sku", "5000", "--yes")
    assert r.exit_code == 2 and "cannot be combined" in r.stderr
    r = cli("promo", "leave", "999", "--all", "--yes")
    assert r.exit_code == 2 and "no promotion 999" in r.stderr


def test_leave_by_sku_offer_and_file(cli: Any, fake: FakePromos, tmp_path: Path) -> None:
    listing = tmp_path / "picked.tsv"
    listing.write_text("# from promo products\nOF-2\t5002\tProduct 2\n")
    r = cli(
        "promo", "leave", str(VOUCHER), "--sku", "5000,5009", "--offer", "OF-1",
        "--offer", "NOPE", "--from-file", str(listing), "--yes", "--json",
    )  # fmt: skip
    assert r.exit_code == 3, r.stderr  # NOPE does not exist
    rows = {x["offer_id"]: x for x in r.json()["items"]}
    assert {k: v["status"] for k, v in rows.items()} == {
        "OF-0": "left",
        "OF-1": "left",
        "OF-2": "left",
        "OF-9": "not_in_promotion",
        "offer NOPE": "not_found",
    }
    assert rows["OF-0"]["price"] == "1000.00"  # the regular price it returns to
    assert rows["OF-0"]["action_price"] == "840.00"
    (body,) = fake.calls(DEACTIVATE)
    assert body == {"action_id": VOUCHER, "product_ids": ["1000", "1001", "1002"]}
    assert sorted(fake.members[VOUCHER]) == [1003]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1251"])
def test_leave_from_a_file_with_a_bom_or_another_encoding_picks_its_first_entry(
    cli: Any, fake: FakePromos, tmp_path: Path, encoding: str
) -> None:
    """Excel's "CSV UTF-8" starts with a BOM; the first entry must not be lost to it
    (issue 23.9): the promo reader reads files as every seller file is read."""
    listing = tmp_path / "picked.tsv"
    listing.write_text("OF-2\t5002\tТовар 2\nOF-3\t5003\tТовар 3\n", encoding=encoding)
    r = cli("promo", "leave", str(VOUCHER), "--from-file", str(listing), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert {x["offer_id"]: x["status"] for x in r.json()["items"]} == {
        "OF-2": "left",
        "OF-3": "left",
    }
    (body,) = fake.calls(DEACTIVATE)
    assert body == {"action_id": VOUCHER, "product_ids": ["1002", "1003"]}


def test_rejected_items_are_reported_and_exit_3(
    cli: Any, fake: FakePromos, ozonctl_home: Path
) -> None:
    fake.refuse = {PIDS[1]}
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes")
    assert r.exit_code == 3
    lines = [ln.split("\t") for ln in r.stdout.splitlines()]
    status = {ln[0]: (ln[3], ln[6]) for ln in lines}
    assert status["OF-1"][0] == "rejected" and "not removed" in status["OF-1"][1]
    assert [status[f"OF-{k}"][0] for k in (0, 2, 3)] == ["left"] * 3
    assert "1 product(s) failed" in r.stderr
    (op,) = journal(ozonctl_home).all()
    assert op.status == "partial" and op.header["counts"] == {"left": 3, "rejected": 1}
    snapshot = dict((name, data) for _, name, data in op.entries())["snapshot"]["products"]
    assert snapshot[0] == {
        "id": 1000,
        "sku": 5000,
        "offer_id": "OF-0",
        "name": "Product 0",
        "price": "1000.00",
        "action_price": "840.00",
        "max_action_price": "850.00",
        "stock": 3,
    }


def test_fewest_requests_and_a_rejection_does_not_stop_the_rest(cli: Any, fake: FakePromos) -> None:
    new = fake.grow(2500, SALE)
    fake.refuse = {new[1500]}
    r = cli("promo", "leave", str(SALE), "--all", "--yes", "--json")
    assert r.exit_code == 3
    bodies = fake.calls(DEACTIVATE)
    assert [len(b["product_ids"]) for b in bodies] == [1000, 1000, 500]
    assert len(fake.calls("/v3/product/info/list")) == 3
    rows = r.json()["items"]
    assert len(rows) == 2500
    assert [x["product_id"] for x in rows if x["status"] != "left"] == [new[1500]]
    assert fake.members[SALE] == {new[1500]: (fake.limit(new[1500]) - 1, 0)}


def test_catalogue_index_labels_the_report_without_card_reads(
    cli: Any, fake: FakePromos, ozonctl_home: Path
) -> None:
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex

    known = [
        CatalogEntry(pid, f"IDX-{pid}", 9000 + pid, f"Indexed {pid}", False, None)
        for pid in PIDS[:3]
    ]
    path = ozonctl_home / "cache" / "profiles" / "default" / "catalog" / "index.toml"
    CatalogIndex.from_entries(known).write(path)
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    rows = {x["product_id"]: x for x in r.json()["items"]}
    assert rows[PIDS[0]]["offer_id"] == "IDX-1000" and rows[PIDS[0]]["name"] == "Indexed 1000"
    assert rows[PIDS[3]]["offer_id"] == "OF-3"  # not in the index: read from its card
    (card_read,) = fake.calls("/v3/product/info/list")
    assert card_read["product_id"] == [str(PIDS[3])]


def test_boosting_leaves_by_pricing_above_the_limit(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "leave", str(BOOST), "--sku", "5004", "--sku", "5005", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert fake.calls(DEACTIVATE) == []
    (body,) = fake.calls(UPDATE)
    assert body["products"] == [
        {"product_id": 1004, "action_price": {"amount": "1400.00", "currency": "RUB"}},
        {"product_id": 1005, "action_price": {"amount": "1500.00", "currency": "RUB"}},
    ]  # the regular price, above the limit; no stock outside promo codes
    assert [x["status"] for x in r.json()["items"]] == ["left", "left"]
    assert sorted(fake.members[BOOST]) == [1006]


def test_boosting_rejection_keeps_ozons_reason(cli: Any, fake: FakePromos) -> None:
    fake.reject = {1006: "product is frozen in the action"}
    r = cli("promo", "leave", str(BOOST), "--all", "--yes", "--json")
    assert r.exit_code == 3
    got = {x["product_id"]: (x["status"], x["reason"]) for x in r.json()["items"]}
    assert got[1006] == ("rejected", "product is frozen in the action")
    assert got[1004][0] == got[1005][0] == "left"


def test_auto_add_warns_or_removes(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--dry-run")
    assert "auto-add lists on 2026-11-30" in r.stderr and "--no-auto-add" in r.stderr
    assert fake.calls("/v2/actions/auto-add/products/list") == []  # the dates say enough
    r = cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--no-auto-add", "--yes")
    assert r.exit_code == 0, r.stderr
    (body,) = fake.calls("/v2/actions/auto-add/products/delete")
    assert body == {
        "action_id": VOUCHER,
        "auto_add_date": "2026-11-30T21:00:00Z",
        "product_ids": ["1000"],
    }
    assert fake.auto_add[VOUCHER] == {PIDS[9]}
    assert "took 1 products off the 2026-11-30 auto-add list" in r.stderr


def test_filters_pick_the_products_that_lose_money(cli: Any, fake: FakePromos) -> None:
    fake.members[VOUCHER][PIDS[2]] = (Decimal("880"), 1)  # below its min price 900
    r = cli("promo", "leave", str(VOUCHER), "--below-min-price", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert [x["product_id"] for x in r.json()["items"]] == [PIDS[0], PIDS[2]]  # 840 and 880 < 900
    r = cli("promo", "leave", str(VOUCHER), "--discount-over", "15.85", "--yes", "--json")
    assert [x["product_id"] for x in r.json()["items"]] == [PIDS[1]]  # 15.9 % off


def test_a_write_that_may_have_run_is_not_resent_and_is_reported(
    cli: Any, fake: FakePromos
) -> None:
    fake.boom = {DEACTIVATE: 500}
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 3
    assert len(fake.calls(DEACTIVATE)) == 1
    assert {x["status"] for x in r.json()["items"]} == {"unknown"}
    assert "may or may not have run" in r.json()["items"][0]["reason"]


def test_terminal_output_is_a_table(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ozonctl.cli.output import Output

    monkeypatch.setattr(Output, "stdout_tty", property(lambda self: True))
    r = cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "Offer ID" in r.stdout and "Regular price" in r.stdout and "left" in r.stdout


def crash_on(fake: FakePromos, path: str, call: int) -> None:
    """Make the ``call``-th request to ``path`` kill the run (as a SIGKILL would)."""
    original = fake.answer
    seen = {"n": 0}

    def answer(p: str, body: dict[str, Any]) -> Any:
        if p == path:
            seen["n"] += 1
            if seen["n"] == call:
                raise SystemExit("killed")
        return original(p, body)

    fake.answer = answer  # type: ignore[method-assign]


def interrupted(cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """A leave of all 4 products in batches of 2, killed while sending the second.

    The batch in doubt is waited out (timeout + margin) before its products are read
    back: the wait is real in use and moves a clock here, so the tests take no 35 s."""
    from ozonctl.domain import promo_runs

    waited = [0.0]
    real_now = promo_runs.now
    monkeypatch.setattr(promo_runs, "now", lambda: real_now() + waited[0])
    monkeypatch.setattr(promo_runs, "sleep", lambda s: waited.__setitem__(0, waited[0] + s))
    sequential(home)
    small_batches(monkeypatch, "actions.products.deactivate", 2)
    crash_on(fake, DEACTIVATE, 2)
    with pytest.raises(SystemExit):
        cli("promo", "leave", str(VOUCHER), "--all", "--yes")
    fake.answer = FakePromos.answer.__get__(fake)  # type: ignore[method-assign]
    assert sorted(fake.members[VOUCHER]) == PIDS[2:4]


def test_rerun_finishes_an_interrupted_leave(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch, ozonctl_home: Path
) -> None:
    interrupted(cli, fake, monkeypatch, ozonctl_home)
    (op,) = journal(ozonctl_home).all()
    assert op.status == "running"
    r = cli("promo", "history", "--json")
    assert r.json()[0]["status"] == "interrupted"

    r = cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--yes")
    assert r.exit_code == 2 and "was interrupted" in r.stderr and "--fresh" in r.stderr

    before = len(fake.calls(DEACTIVATE))
    r = cli("promo", "leave", str(VOUCHER), "--all", "--dry-run", "--json")
    assert [(x["status"], x["reason"]) for x in r.json()["items"]] == [("left", "")] * 2 + [
        ("would_leave", "")
    ] * 2
    assert len(fake.calls(DEACTIVATE)) == before
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert "finishing the interrupted leave" in r.stderr
    sent = fake.calls(DEACTIVATE)[before:]
    assert sent == [{"action_id": VOUCHER, "product_ids": ["1002", "1003"]}]
    assert [x["status"] for x in r.json()["items"]] == ["left"] * 4
    assert fake.members[VOUCHER] == {}
    (op,) = journal(ozonctl_home).all()
    assert op.status == "done" and op.header["counts"] == {"left": 4}


def test_rejoin_undoes_the_part_of_an_interrupted_leave_that_was_done(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch, ozonctl_home: Path
) -> None:
    interrupted(cli, fake, monkeypatch, ozonctl_home)
    r = cli("promo", "rejoin", str(VOUCHER), "--dry-run", "--json")
    assert [(x["product_id"], x["status"]) for x in r.json()["items"]] == [
        (1000, "would_rejoin"),
        (1001, "would_rejoin"),
    ]
    assert fake.calls(UPDATE) == []
    r = cli("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    (body,) = fake.calls(UPDATE)
    assert body == {
        "action_id": VOUCHER,
        "products": [
            {
                "product_id": 1000,
                "action_price": {"amount": "840.00", "currency": "RUB"},
                "stock": 3,
            },
            {
                "product_id": 1001,
                "action_price": {"amount": "925.00", "currency": "RUB"},
                "stock": 3,
            },
        ],
    }
    assert sorted(fake.members[VOUCHER]) == PIDS[:4]
    assert fake.members[VOUCHER][1000] == (Decimal("840.00"), 3)
    leave_op = journal(ozonctl_home).get("last", kind="leave")
    assert leave_op.status == "undone" and leave_op.header["undone_by"].startswith("rejoin-")
    # undone: a new leave does not try to finish it, and it cannot be undone twice
    r = cli("promo", "rejoin", str(VOUCHER), "--yes")
    assert r.exit_code == 2 and "already undone" in r.stderr
    r = cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--yes")
    assert r.exit_code == 0, r.stderr


def test_fresh_abandons_the_interrupted_leave(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch, ozonctl_home: Path
) -> None:
    interrupted(cli, fake, monkeypatch, ozonctl_home)
    r = cli("promo", "leave", str(VOUCHER), "--sku", "5002", "--fresh", "--yes")
    assert r.exit_code == 0, r.stderr
    ops = sorted(journal(ozonctl_home).all(), key=lambda o: o.header["seq"])
    assert [o.status for o in ops] == ["abandoned", "done"]


def test_lock_held_by_another_run_exits_5(cli: Any, fake: FakePromos, ozonctl_home: Path) -> None:
    from ozonctl.settings import Paths
    from ozonctl.state.lock import StateLock

    with StateLock(Paths.from_env().lock_file("default", "1")):  # the lock of Client-Id 1
        r = cli("promo", "leave", str(VOUCHER), "--all", "--yes")
    assert r.exit_code == 5
    assert fake.calls(DEACTIVATE) == []


def test_rejoin_reports_what_ozon_rejected(cli: Any, fake: FakePromos) -> None:
    assert cli("promo", "leave", str(VOUCHER), "--sku", "5000,5001", "--yes").exit_code == 0
    fake.reject = {1001: "the action is frozen"}
    r = cli("promo", "rejoin", str(VOUCHER), "--yes", "--json")
    assert r.exit_code == 3
    got = {x["product_id"]: (x["status"], x["reason"]) for x in r.json()["items"]}
    assert got == {1000: ("joined", ""), 1001: ("rejected", "the action is frozen")}
    assert "1 product(s) failed" in r.stderr
    assert 1000 in fake.members[VOUCHER] and 1001 not in fake.members[VOUCHER]


def test_the_walk_does_not_wait_for_the_catalogue_index(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The promotion's first page is asked for while the index is still being read (a
    100,000-product index takes a good part of a second): the walk is the chain. Nor
    does the lookup wait for it: the index is read once ``/v1/actions`` is answered."""
    # was (the lookup): read from before it, the index shared the interpreter with the
    # rest of the start-up, and the first request went out 0.1-0.3 s later
    import time

    from ozonctl.catalog.index import CatalogIndex

    load = CatalogIndex.load
    looked_up_first: list[bool] = []
    seen_while_loading: list[bool] = []

    def slow_load(folder: Path) -> CatalogIndex:
        looked_up_first.append(bool(fake.calls("/v1/actions")))
        deadline = time.monotonic() + 5
        while not fake.calls("/v2/actions/products") and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_while_loading.append(bool(fake.calls("/v2/actions/products")))
        return load(folder)

    monkeypatch.setattr(CatalogIndex, "load", staticmethod(slow_load))
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert looked_up_first == [True] and seen_while_loading == [True]
    assert [x["status"] for x in r.json()["items"]] == ["left"] * 4


def test_the_snapshot_is_rendered_while_the_pages_come(
    cli: Any, fake: FakePromos, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the last page and the first deactivate no snapshot entry is rendered as
    TOML any more (for 5,000 products that took 70–120 ms): each was made as its page
    came, and the file on disk still reads back as the snapshot."""
    import tomllib

    import tomli_w

    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.commands.promo import leave as leave_cmd

    known = [
        CatalogEntry(pid, f"IDX-{pid}", 9000 + pid, f"Indexed {pid}", False, None)
        for pid in PIDS[:4]
    ]
    path = ozonctl_home / "cache" / "profiles" / "default" / "catalog" / "index.toml"
    CatalogIndex.from_entries(known).write(path)
    walked: list[bool] = []
    warn = leave_cmd._warn_auto_add
    monkeypatch.setattr(leave_cmd, "_warn_auto_add", lambda *a: walked.append(True) or warn(*a))
    rendered_after_walk: list[Any] = []
    dumps = tomli_w.dumps

    def spy(obj: dict[str, Any], **kw: Any) -> str:
        if walked and (isinstance(obj.get("products"), list) or "offer_id" in obj):
            rendered_after_walk.append(obj)
        return dumps(obj, **kw)

    monkeypatch.setattr(tomli_w, "dumps", spy)
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert walked == [True] and rendered_after_walk == []
    (op,) = journal(ozonctl_home).all()
    snapshot = tomllib.loads((op.folder / "00000-snapshot.toml").read_text())["products"]
    assert [(s["id"], s["offer_id"], s["name"]) for s in snapshot] == [
        (pid, f"IDX-{pid}", f"Indexed {pid}") for pid in PIDS[:4]
    ]


def test_threads_hand_the_interpreter_over_sooner_while_the_promotion_is_walked(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    # was: Python's 5 ms: the thread that asks for the next page waited behind the ones
    # parsing and labelling the last page, a few ms at every step of the chain
    import sys

    from ozonctl.commands.promo import leave as leave_cmd
    from ozonctl.concurrency import HANDOVER_S

    before = sys.getswitchinterval()
    during: list[float] = []
    row = leave_cmd.product_row
    monkeypatch.setattr(
        leave_cmd, "product_row", lambda *a: during.append(sys.getswitchinterval()) or row(*a)
    )
    r = cli("promo", "leave", str(VOUCHER), "--all", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert during[:4] == [HANDOVER_S] * 4  # the rows made as the pages come
    assert sys.getswitchinterval() == before
