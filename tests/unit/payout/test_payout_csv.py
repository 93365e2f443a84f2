"""``--csv``: UTF-8, a header row, decimal points, atomic replacement, stdout, and the
tee with --json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import locale
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ozonctl.cli.csvout import (
    check_csv_target,
    csv_cell,
    emit_rows,
    emit_table,
    write_csv,
)
from ozonctl.cli.output import Column, Output
from ozonctl.errors import UsageError

COLUMNS = [Column("name", "Name"), Column("amount", "Amount"), Column("day", "Day")]
ROWS = [
    {"name": "Чайник, белый", "amount": Decimal("1234.50"), "day": dt.date(2026, 10, 1)},
    {"name": 'say "hi"\nthere', "amount": Decimal("-0.01"), "day": None, "extra": 1},
    {"name": "big", "amount": Decimal("1E+3"), "day": dt.date(2026, 10, 2)},
]


def read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a BOM
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_header_utf8_quoting_and_exact_decimals(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert write_csv(out, COLUMNS, ROWS) == 3
    assert read(out) == [
        ["name", "amount", "day"],
        ["Чайник, белый", "1234.50", "2026-10-01"],
        ['say "hi"\nthere', "-0.01", ""],
        ["big", "1000", "2026-10-02"],
    ]
    assert out.read_bytes().count(b"\r\n") == 4  # RFC 4180 line ends; the cell keeps its \n
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_decimal_point_whatever_the_locale(tmp_path: Path) -> None:
    try:
        old = locale.setlocale(locale.LC_NUMERIC)
        locale.setlocale(locale.LC_NUMERIC, "ru_RU.UTF-8")
    except locale.Error:
        old = None
    try:
        assert csv_cell(Decimal("1234.5")) == "1234.5"
        write_csv(tmp_path / "l.csv", COLUMNS, ROWS[:1])
        assert read(tmp_path / "l.csv")[1][1] == "1234.50"
    finally:
        if old is not None:
            locale.setlocale(locale.LC_NUMERIC, old)


def test_a_failure_mid_way_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("old content\n", encoding="utf-8")

    def rows() -> Iterator[dict[str, Any]]:
        yield ROWS[0]
        raise RuntimeError("network went away")

    with pytest.raises(RuntimeError):
        write_csv(out, COLUMNS, rows())
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_target_checks_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        check_csv_target(tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        check_csv_target(tmp_path / "no" / "x.csv")
    check_csv_target(None)
    check_csv_target(Path("-"))


def test_emit_rows_without_csv_is_output_rows() -> None:
    out = io.StringIO()
    n = emit_rows(Output(stdout=out, stderr=io.StringIO()), COLUMNS, ROWS)
    assert n == 3
    assert out.getvalue().splitlines()[0] == "Чайник, белый\t1234.50\t2026-10-01"


def test_emit_rows_to_a_file_then_nothing_on_stdout(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "r.csv"
    emit_rows(Output(stdout=out, stderr=err), COLUMNS, iter(ROWS), csv=target)
    assert out.getvalue() == ""
    assert f"wrote 3 rows to {target}" in err.getvalue()
    assert len(read(target)) == 4


def test_emit_rows_with_json_writes_both_from_one_pass(tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "r.csv"
    consumed = []

    def rows() -> Iterator[dict[str, Any]]:
        for r in ROWS:
            consumed.append(r)
            yield r

    emit_rows(Output(json_mode=True, stdout=out, stderr=io.StringIO()), COLUMNS, rows(), csv=target)
    assert len(consumed) == 3
    data = json.loads(out.getvalue())
    assert data[1]["extra"] == 1 and data[0]["amount"] == "1234.50"
    assert read(target)[1] == ["Чайник, белый", "1234.50", "2026-10-01"]


def test_csv_to_stdout_and_its_conflict_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    emit_rows(Output(stderr=io.StringIO()), COLUMNS, ROWS[:1], csv=Path("-"))
    assert (
        capsys.readouterr().out
        == "name,amount,day\r\nЧайник, белый,1234.50,2026-10-01\r\n".replace(
            "Чайник, белый", '"Чайник, белый"'
        )
    )
    with pytest.raises(UsageError):
        emit_rows(Output(json_mode=True), COLUMNS, ROWS, csv=Path("-"))


def test_emit_table_document_for_json_rows_for_csv(tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "t.csv"
    output = Output(json_mode=True, stdout=out, stderr=io.StringIO())
    emit_table(output, COLUMNS, ROWS, csv=target, document={"total": Decimal("1.10")})
    assert json.loads(out.getvalue()) == {"total": "1.10"}
    assert len(read(target)) == 4
