"""The files sellers feed in: encodings, separators, Ozon's Russian templates, numbers as
Excel writes them, every problem with its line, and Ozon's price rules before sending."""

from __future__ import annotations

import os
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from listing_fake import FakeOzon

from ozonctl import sellerfiles
from ozonctl.cli.fromfile import read_ids as read_tokens
from ozonctl.errors import UsageError

STOCKS = "/v2/products/stocks"
PRICES = "/v1/product/import/prices"


def sent_stocks(fake: FakeOzon) -> list[dict[str, Any]]:
    return [s for body in fake.calls(STOCKS) for s in body["stocks"]]


def sent_prices(fake: FakeOzon) -> list[dict[str, Any]]:
    return [p for body in fake.calls(PRICES) for p in body["prices"]]


# --- encodings and separators ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1251", b"")],
)
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_stock_file_in_every_encoding_and_separator(
    fake: FakeOzon, cli: Any, tmp_path: Path, encoding: str, bom: bytes, sep: str
) -> None:
    """Excel's "CSV UTF-8" (BOM), "Unicode text" (UTF-16, TAB), plain CSV (Windows-1251)."""
    path = tmp_path / "stock.csv"
    text = sep.join(["Артикул", "Остаток"]) + "\n" + f"OF-00001{sep}7\nOF-00002{sep}1 200\n"
    path.write_bytes(bom + text.encode(encoding))
    r = cli("listing", "stock", "import", "--yes", str(path), "--json")
    assert r.exit_code == 0, r.stderr
    assert sent_stocks(fake) == [
        {"product_id": 1001, "warehouse_id": 101, "stock": 7, "offer_id": "OF-00001"},
        {"product_id": 1002, "warehouse_id": 101, "stock": 1200, "offer_id": "OF-00002"},
    ]


def test_ozons_stock_template_with_warehouse_names(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    """Ozon's template: Склад (the warehouse's name), Артикул, Имя (необязательно),
    Количество, and its column of hints, saved by Russian Excel (Windows-1251, ``;``)."""
    fake.warehouses = [101, 102]
    path = tmp_path / "template.csv"
    path.write_bytes(
        (
            "Склад;Артикул;Имя (необязательно);Количество;Заполнение обязательных ячеек\n"
            "WH 102;OF-00003;Кружка;4;\n"
            "wh 101;OF-00004;;\u00a012;\n"
        ).encode("cp1251")
    )
    r = cli("listing", "stock", "import", "--yes", str(path))
    assert r.exit_code == 0, r.stderr
    assert [(s["offer_id"], s["warehouse_id"], s["stock"]) for s in sent_stocks(fake)] == [
        ("OF-00003", 102, 4),
        ("OF-00004", 101, 12),
    ]


def test_ozons_price_template_utf16_with_decimal_commas(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "prices.txt"
    path.write_text(
        "Артикул\tНаименование товара\tЦена до скидки, ₽\tТекущая цена (со скидкой), ₽\t"
        "Минимальная цена, ₽\n"
        "OF-00001\tКружка\t1\u00a0299,00\t999,50\t900\n",
        encoding="utf-16",
    )
    r = cli("listing", "price", "import", str(path), "--yes")
    assert r.exit_code == 0, r.stderr
    assert sent_prices(fake) == [
        {"offer_id": "OF-00001", "price": "999.50", "old_price": "1299.00", "min_price": "900"}
    ]


def test_a_first_line_that_is_no_header_stops_with_exit_2(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    """Today a file without a header takes its first row for one and does nothing."""
    path = tmp_path / "stock.csv"
    path.write_text("OF-00001;5\nOF-00002;6\n", encoding="utf-8")
    r = cli("listing", "stock", "import", "--yes", str(path))
    assert r.exit_code == 2
    line = r.stderr.strip().splitlines()[-1]
    assert "not a header" in line and "OF-00001, 5" in line
    assert "offer_id" in line and "Артикул" in line and "stock" in line
    assert fake.calls(STOCKS) == []
    r = cli("listing", "price", "import", "--yes", str(path))
    assert r.exit_code == 2 and "price" in r.stderr and fake.calls(PRICES) == []


def test_every_problem_on_its_own_line_and_nothing_sent(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "stock.csv"
    path.write_text(
        "offer_id,stock\n"
        "OF-00001,5\n"  # 2: good
        "OF-00002,-3\n"  # 3
        "NOPE-1,4\n"  # 4
        "\n"  # 5: blank, skipped
        "OF-00004,1e3\n"  # 6
        "OF-00001,6\n"  # 7: twice
        ",7\n",  # 8
        encoding="utf-8",
    )
    r = cli("listing", "stock", "import", "--yes", str(path))
    assert r.exit_code == 2
    errors = [x for x in r.stderr.splitlines() if x.startswith("error: ")]
    at = sorted(int(x.split("line ", 1)[1].split(":")[0]) for x in errors[:-1])
    assert at == [3, 4, 6, 7, 8], r.stderr
    assert "5 problems" in errors[-1] and "nothing was sent" in errors[-1]
    assert fake.calls(STOCKS) == []


def test_values_and_ids_are_checked_in_one_pass_in_line_order(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    """A row with an unknown product and a bad value gets both problems; every line's
    values are checked, known product or not, and the lines come in order."""
    path = tmp_path / "p.csv"
    path.write_text("offer_id;price\nNOPE-1;12e2\nOF-00002;abc\nNOPE-2;100\n", encoding="utf-8")
    r = cli("listing", "price", "import", "--yes", str(path))
    assert r.exit_code == 2
    errors = [x for x in r.stderr.splitlines() if x.startswith("error: ")][:-1]
    assert [x.split(str(path) + " ", 1)[1].split(":")[0] for x in errors] == [
        "line 2",
        "line 2",
        "line 3",
        "line 4",
    ], r.stderr
    assert fake.calls(PRICES) == []
    path.write_text("offer_id,stock\nNOPE-1,-1\nOF-00002,x\n", encoding="utf-8")
    r = cli("listing", "stock", "import", "--yes", str(path))
    assert r.exit_code == 2 and r.stderr.count("line 2:") == 2 and "line 3:" in r.stderr


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1299", "1299"),
        ("1 299,50", "1299.50"),
        ("1\u00a0299.5", "1299.5"),
        ("1,299.50", "1299.50"),
        ("1.299,50", "1299.50"),
        (" 0 ", "0"),
    ],
)
def test_money_as_excel_writes_it(text: str, value: str) -> None:
    assert sellerfiles.parse_money(text) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["12e2", "1e309", "nan", "NaN", "inf", "-Infinity", "-5", "١٢٣", "12.345", "1e9"]
)
def test_money_refuses_exponents_nan_signs_other_digits(text: str) -> None:
    with pytest.raises(UsageError):
        sellerfiles.parse_money(text)


@pytest.mark.parametrize("text", ["12e2", "1e309", "nan", "inf", "١٢٣", "1000000000"])
def test_price_set_refuses_what_would_go_out_as_an_exponent(
    fake: FakeOzon, cli: Any, text: str
) -> None:
    """Today ``12e2`` is sent as "1.2E+3" and ``1e309`` as "1E+309"."""
    r = cli("listing", "price", "set", "OF-00001", "--price", text, "--yes")
    assert r.exit_code == 2, r.stderr
    assert fake.calls(PRICES) == []


def test_stock_refuses_other_scripts_digits(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "stock", "set", "OF-00001", "٧", "--yes")
    assert r.exit_code == 2 and fake.calls(STOCKS) == []


# --- Ozon's price rules, before sending ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--price", "1000", "--min-price", "1001"], "min price"),
        (["--price", "1000", "--old-price", "900"], "must be above"),
        (["--price", "1000", "--old-price", "1040"], "too close"),  # 5 % = 50
        (["--price", "300", "--old-price", "315"], "too close"),  # 20 ₽ below 400
        (["--price", "20000", "--old-price", "20400"], "too close"),  # 500 ₽ above 10,000
        (["--price", "100", "--old-price", "1000"], "90 %"),
        (["--price", "0"], "above 0"),
        (["--min-price", "5000"], "min price"),  # above the current price 1000
    ],
)
def test_price_rules_are_checked_before_anything_is_sent(
    fake: FakeOzon, cli: Any, args: list[str], why: str
) -> None:
    fake.products[1001].price = "1000"
    r = cli("listing", "price", "set", "OF-00001", *args, "--yes")
    assert r.exit_code == 2, r.stderr
    assert why in r.stderr
    assert fake.calls(PRICES) == []


def test_prices_that_keep_the_rules_go_out_as_plain_decimals(fake: FakeOzon, cli: Any) -> None:
    fake.products[1001].price = "1000"
    r = cli(
        "listing", "price", "set", "--yes", "OF-00001", "--price", "1000", "--old-price", "1050"
    )
    assert r.exit_code == 0, r.stderr
    r = cli(
        "listing", "price", "set", "--yes", "OF-00001", "--price", "1 200,5", "--old-price", "0"
    )
    assert r.exit_code == 0, r.stderr
    assert sent_prices(fake) == [
        {"offer_id": "OF-00001", "price": "1000", "old_price": "1050"},
        {"offer_id": "OF-00001", "price": "1200.5", "old_price": "0"},
    ]


def test_one_bad_row_of_a_price_file_sends_nothing(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "offer_id;price;old_price;min_price\n"
        "OF-00002;990;1200;\n"
        "OF-00003;950;;960\n"  # min above price
        "OF-00004;500;510;\n",  # too close
        encoding="utf-8",
    )
    r = cli("listing", "price", "import", str(path), "--yes")
    assert r.exit_code == 2
    assert "line 3: min price" in r.stderr and "line 4: old price" in r.stderr
    assert fake.calls(PRICES) == []


def test_rows_that_change_nothing_are_not_sent(fake: FakeOzon, cli: Any, tmp_path: Path) -> None:
    fake.products[1002].price = "990"
    path = tmp_path / "p.csv"
    path.write_text("offer_id,price\nOF-00002,990.00\nOF-00003,800\n", encoding="utf-8")
    r = cli("listing", "price", "import", str(path), "--json", "--yes")
    assert r.exit_code == 0, r.stderr
    assert {i["offer_id"]: i["result"] for i in r.json()["items"]} == {
        "OF-00002": "unchanged",
        "OF-00003": "updated",
    }
    assert sent_prices(fake) == [{"offer_id": "OF-00003", "price": "800"}]


def test_price_show_prints_money_with_two_decimals(fake: FakeOzon, cli: Any) -> None:
    fake.products[1001].price = "9309"
    r = cli("listing", "price", "show", "OF-00001", "--json")
    assert r.json()[0]["price"] == "9309.00"
    r = cli("listing", "price", "show", "OF-00001")
    assert r.stdout.split("\t")[2] == "9309.00"


# --- writes by offer id do not trust the index ---------------------------------------------


def test_a_stale_index_does_not_change_another_product(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    """The index maps OF-00001 to 1001; then the seller gives that offer id to 1009's
    card on Ozon. Stock and price by offer id go to the product that has it now."""
    assert cli("sync").exit_code == 0
    fake.products[1001].offer_id, fake.products[1009].offer_id = "OLD-1", "OF-00001"
    fake.products[1009].price = "1000"
    r = cli("listing", "stock", "set", "OF-00001", "5", "--yes")
    assert r.exit_code == 0, r.stderr
    assert fake.products[1009].stock[101] == 5 and fake.products[1001].stock.get(101) != 5
    r = cli("listing", "price", "set", "OF-00001", "--price", "990", "--json", "--yes")
    assert r.exit_code == 0, r.stderr
    assert fake.products[1009].price == "990" and fake.products[1001].price != "990"
    assert "out of date" in r.json()["items"][0]["note"]


# --- token files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfOF-1\nOF-2\n",
        "OF-1\r\nOF-2\r\n".encode("utf-16"),
        "OF-1\nOF-2\n".encode("utf-16-be").join([b"\xfe\xff", b""]),
        "OF-1\nOF-2\n".encode("cp1251"),
    ],
)
def test_token_files_in_any_encoding(tmp_path: Path, data: bytes) -> None:
    """A BOM used to become part of the first token, leaving that product unprotected."""
    path = tmp_path / "exclude.txt"
    path.write_bytes(data)
    assert read_tokens(path) == ["OF-1", "OF-2"]


def test_cyrillic_tokens_from_windows_1251(tmp_path: Path) -> None:
    path = tmp_path / "exclude.txt"
    path.write_bytes("Кружка-1\nЧашка-2\n".encode("cp1251"))
    assert read_tokens(path) == ["Кружка-1", "Чашка-2"]


# --- special and huge files ------------------------------------------------------------------


def test_dev_zero_is_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(UsageError, match="not a regular file"):
        read_tokens("/dev/zero", source="--exclude")
    assert time.monotonic() - started < 2


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done: list[BaseException] = []

    def run() -> None:
        try:
            sellerfiles.read_text(fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            done.append(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(5)
    assert done and isinstance(done[0], UsageError) and "not a regular file" in str(done[0])


def test_stock_import_of_a_special_file_is_one_line_exit_2(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "stock", "import", "--yes", "/dev/zero")
    assert r.exit_code == 2 and "not a regular file" in r.stderr


def test_files_over_the_cap_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sellerfiles, "MAX_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("offer_id,stock\n" + "OF-1,1\n" * 200, encoding="utf-8")
    with pytest.raises(UsageError, match="larger than"):
        sellerfiles.read_table(
            path, [sellerfiles.Column("offer_id"), sellerfiles.Column("stock")], needs=[]
        )


def test_an_exclude_file_with_a_bom_protects_its_first_product_and_typos_are_warned(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    """Excel's "CSV UTF-8" starts with a BOM: it used to stick to the first entry, which
    then matched nothing and left that product to the delister, without a word."""
    exclude = tmp_path / "keep.txt"
    exclude.write_bytes(b"\xef\xbb\xbfOF-00000\nOF-0000l\n")  # the second: a typo
    r = cli("listing", "stale", "--exclude", str(exclude), "--json")
    assert r.exit_code == 0, r.stderr
    assert "OF-00000" not in {row["offer_id"] for row in r.json()}
    assert "--exclude: 1 entries match no product: OF-0000l" in r.stderr


# --- the lock and the journal of stock and price writes ------------------------------------


def test_stock_and_price_writes_wait_for_the_state_lock(
    fake: FakeOzon, cli: Any, tmp_path: Path, ozonctl_home: Path
) -> None:
    """Another run holds the state lock: exit 5 and nothing sent (today they sent)."""
    from ozonctl.state.lock import StateLock

    assert cli("sync").exit_code == 0
    path = tmp_path / "stock.csv"
    path.write_text("offer_id,stock\nOF-00001,5\n", encoding="utf-8")
    from ozonctl.settings import Paths

    with StateLock(Paths.from_env().lock_file("default", "1")):  # the lock of Client-Id 1
        r = cli("listing", "stock", "import", "--yes", str(path))
        assert r.exit_code == 5, r.stderr
        r = cli("listing", "price", "set", "OF-00001", "--price", "777", "--yes")
        assert r.exit_code == 5, r.stderr
    assert fake.calls(STOCKS) == [] and fake.calls(PRICES) == []


def test_a_stock_import_keeps_a_journal_with_its_outcome(
    fake: FakeOzon, cli: Any, tmp_path: Path, ozonctl_home: Path
) -> None:
    from ozonctl.state.journal import Journal

    path = tmp_path / "stock.csv"
    path.write_text("offer_id,stock\nOF-00001,5\nOF-00002,6\n", encoding="utf-8")
    r = cli("listing", "stock", "import", "--yes", str(path), "--json")
    assert r.exit_code == 0, r.stderr
    ref = r.json()["ref"]
    op = Journal(ozonctl_home / "state" / "profiles" / "default", "listing").get(ref)
    assert op.header["kind"] == "stock-import" and op.status == "done"
    assert [name for _, name, _ in op.entries()] == ["planned", "sent"]
