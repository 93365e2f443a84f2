"""The output contract in one place (cli/output.py, cli/table.py, cli/times.py,
cli/csvout.py): --json=FIELDS, --excel, times and their zone, tables that keep IDs whole."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from ozonctl._entry import hoist_global_options
from ozonctl.cli import times
from ozonctl.cli.csvout import CsvTarget
from ozonctl.cli.output import Column, Output, dumps, plain
from ozonctl.cli.table import is_free_text, print_table
from ozonctl.errors import UsageError

MOSCOW = ZoneInfo("Europe/Moscow")
COLUMNS = [
    Column("posting_number", "Posting"),
    Column("ship_by", "Ship by"),
    Column("name", "Name"),
    Column("price", "Price", justify="right"),
    Column("currency", "Currency"),
]
WHEN = dt.datetime(2026, 11, 27, 14, 5, tzinfo=dt.UTC)
ROWS = [
    {
        "posting_number": f"42838022-{k:04d}-1",
        "ship_by": WHEN,
        "name": "Чехол для смартфона, синий, 6.7″, силиконовый, с подставкой " * 2,
        "price": Decimal("1809.00") * k,
        "currency": "RUB",
        "extra": k,
    }
    for k in range(1, 4)
]


def json_out(fields: list[str] | None, rows: list[dict[str, Any]]) -> tuple[Output, io.StringIO]:
    out = io.StringIO()
    return Output(json_mode=True, stdout=out, json_fields=fields), out


def test_json_fields_keep_those_keys_in_that_order() -> None:
    output, out = json_out(["price", "posting_number"], ROWS)
    assert output.rows(COLUMNS, iter(ROWS)) == 3
    assert json.loads(out.getvalue())[0] == {
        "price": "1809.00",
        "posting_number": "42838022-0001-1",
    }


def test_an_unknown_json_field_is_a_usage_error_naming_the_valid_ones() -> None:
    output, out = json_out(["posting_number", "shipby"], ROWS)
    with pytest.raises(UsageError) as caught:
        output.rows(COLUMNS, iter(ROWS))
    assert caught.value.message == "unknown JSON field: 'shipby'"
    assert caught.value.hint is not None
    assert "posting_number, ship_by, name, price, currency, extra" in caught.value.hint
    assert out.getvalue() == ""  # nothing written before the check
    empty, out = json_out(["shipby"], [])
    with pytest.raises(UsageError):
        empty.rows(COLUMNS, iter([]))  # an empty result checks against the columns


def test_json_equals_fields_on_the_command_line() -> None:
    assert hoist_global_options(["order", "list", "--json=a,b"]) == [
        "--json",
        "--json-fields",
        "a,b",
        "order",
        "list",
    ]


def test_times_are_iso_with_their_offset_everywhere() -> None:
    naive = dt.datetime(2026, 11, 27, 14, 5)  # Ozon's, UTC
    assert times.iso(naive) == "2026-11-27T14:05:00+00:00"
    assert plain(naive) == dumps(naive).strip('"') == "2026-11-27T14:05:00+00:00"
    assert times.human(naive, MOSCOW) == "2026-11-27 17:05"
    assert times.zone_label(MOSCOW) == "MSK"
    assert times.zone_label(dt.timezone(dt.timedelta(hours=8))) == "UTC+08:00"


def test_the_timezone_setting_then_tz_then_the_system(
    monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    assert times.local_zone() == ZoneInfo("Asia/Shanghai")
    assert times.local_zone("Europe/Moscow") == MOSCOW
    r = cli("config", "set", "timezone", "Europe/Nowhere")
    assert r.exit_code == 2 and "unknown time zone 'Europe/Nowhere'" in r.stderr
    assert cli("config", "set", "timezone", "Europe/Moscow").exit_code == 0
    from ozonctl.cli.context import AppContext

    assert AppContext().time_zone() == MOSCOW


def table(width: int, rows: list[dict[str, Any]] = ROWS) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, color_system=None)
    print_table(console, COLUMNS, iter(rows), zone=MOSCOW)
    return out.getvalue()


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_table_keeps_ids_times_and_money_whole_and_shortens_names(width: int) -> None:
    text = table(width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "Ship by (MSK)" in text and "Price, ₽" in text and "Currency" not in text
    for k, row in enumerate(ROWS, start=1):
        assert row["posting_number"] in text
        assert f"{Decimal('1809.00') * k}" in text
    assert text.count("2026-11-27 17:05") == 3
    assert "…" in text  # the long names, only them


def test_a_terminal_too_narrow_for_the_whole_values_gets_records() -> None:
    text = table(40)
    assert "Posting:" in text and "42838022-0001-1" in text
    assert all(len(line) <= 40 for line in text.splitlines())


def test_free_text_is_named_by_the_key() -> None:
    assert is_free_text(Column("name", "Name")) and is_free_text(Column("type_name", "T"))
    assert not is_free_text(Column("type_id", "T"))
    assert not is_free_text(Column("posting_number", "P", max_width=24))


def test_excel_is_bom_semicolons_and_a_decimal_comma(tmp_path: Path) -> None:
    output = Output(stdout=io.StringIO(), stderr=io.StringIO())
    output.csv_target = CsvTarget(tmp_path / "x.csv", excel=True)
    output.rows(COLUMNS, iter(ROWS[:1]))
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfposting_number;ship_by;name;price;currency\r\n")
    assert ";1809,00;RUB\r\n" in raw.decode("utf-8-sig")
    assert "2026-11-27T14:05:00+00:00" in raw.decode("utf-8-sig")


def test_eight_thousand_rows_render_in_a_fraction_of_what_one_rich_table_took() -> None:
    """A month of transactions on a terminal: the table's lines are made directly from
    the computed widths (one rich Table over them took ~1.5 s of CPU here, ~10 s in the command; the figures
    of the whole command are in docs/performance.md)."""
    import time

    rows = [
        {
            "posting_number": f"42838022-{k:04d}-1",
            "ship_by": WHEN,
            "name": "Логистика" if k % 2 else "Sale amount",
            "price": Decimal(k) / 100,
            "currency": "RUB",
        }
        for k in range(8000)
    ]
    start = time.process_time()
    text = table(120, rows)
    spent = time.process_time() - start
    assert text.count("\n") == 8002 and "42838022-7999-1" in text
    assert spent < 0.75, f"{spent:.2f} s of CPU for 8,000 rows"  # rich's Table: ~1.5 s
