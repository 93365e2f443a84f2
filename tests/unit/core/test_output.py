"""Output follows its reader: TSV in a pipe, a table on a terminal, streamed JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ozonctl.cli.output import Column, Output

COLS = [Column("id", "ID", justify="right"), Column("name", "Name"), Column("price", "Price")]
ROWS = [
    {"id": 1, "name": "Mug\tred", "price": Decimal("199.90"), "extra": True},
    {"id": 2, "name": "Cup", "price": None, "extra": False},
]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pipe_gets_tab_separated_rows_without_header() -> None:
    out, err = io.StringIO(), io.StringIO()
    n = Output(stdout=out, stderr=err).rows(COLS, ROWS)
    assert n == 2
    assert out.getvalue() == "1\tMug red\t199.90\n2\tCup\t\n"
    assert err.getvalue() == ""


def test_json_is_one_array_with_whole_rows_and_exact_decimals() -> None:
    out = io.StringIO()
    Output(json_mode=True, stdout=out, stderr=io.StringIO()).rows(COLS, ROWS)
    data = json.loads(out.getvalue())
    assert data[0] == {"id": 1, "name": "Mug\tred", "price": "199.90", "extra": True}
    assert len(data) == 2


def test_json_streams_rows_as_they_come() -> None:
    out = io.StringIO()
    seen: list[str] = []

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(3):
            seen.append(out.getvalue())
            yield {"id": i}

    Output(json_mode=True, stdout=out, stderr=io.StringIO()).rows(COLS, rows())
    assert seen[2].count('"id"') == 2  # earlier rows were written before the third was made
    assert json.loads(out.getvalue()) == [{"id": 0}, {"id": 1}, {"id": 2}]


def test_empty_result_is_success_and_quiet_in_a_pipe() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert Output(stdout=out, stderr=err).rows(COLS, []) == 0
    assert out.getvalue() == "" and err.getvalue() == ""
    jout = io.StringIO()
    Output(json_mode=True, stdout=jout, stderr=err).rows(COLS, [])
    assert json.loads(jout.getvalue()) == []


def test_terminal_gets_a_table_and_the_empty_note() -> None:
    out, err = Tty(), Tty()
    Output(stdout=out, stderr=err, no_color=True).rows(COLS, ROWS)
    text = out.getvalue()
    assert "ID" in text and "Name" in text and "199.90" in text
    Output(stdout=Tty(), stderr=err, no_color=True).rows(COLS, [], empty="no promotions")
    assert "no promotions" in err.getvalue()


def test_document_and_datetimes() -> None:
    out = io.StringIO()
    when = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    Output(json_mode=True, stdout=out, stderr=io.StringIO()).document({"at": when})
    assert json.loads(out.getvalue()) == {"at": "2026-11-27T10:00:00+00:00"}


def test_messages_go_to_stderr_only() -> None:
    out, err = io.StringIO(), io.StringIO()
    o = Output(stdout=out, stderr=err)
    o.info("hello")
    o.warn("careful")
    o.error("bad")
    assert out.getvalue() == ""
    assert err.getvalue() == "hello\nwarning: careful\nerror: bad\n"


def test_progress_is_silent_off_a_terminal() -> None:
    err = io.StringIO()
    with Output(stdout=io.StringIO(), stderr=err).progress("work", 10) as bar:
        bar.advance(3)
    assert bar.done == 3 and err.getvalue() == ""


# -- page_rows: a page at a time -------------------------------------------------------


class CountingIO(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.flushes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        return super().write(s)

    def flush(self) -> None:
        self.flushes += 1


def test_page_rows_json_is_the_same_array_as_rows() -> None:
    when = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    rows = [*ROWS, {"id": 3, "at": when, "day": when.date(), "tags": ("a",), "name": "Ёж"}]
    by_rows, by_pages = io.StringIO(), io.StringIO()
    Output(json_mode=True, stdout=by_rows, stderr=io.StringIO()).rows(COLS, rows)
    n = Output(json_mode=True, stdout=by_pages, stderr=io.StringIO()).page_rows(
        COLS, [rows[:2], [], rows[2:]]
    )
    assert n == 3
    assert by_pages.getvalue() == by_rows.getvalue()
    assert json.loads(by_pages.getvalue())[2]["at"] == "2026-11-27T10:00:00+00:00"
    assert '"Ёж"' in by_pages.getvalue()


def test_page_rows_tsv_matches_rows() -> None:
    by_rows, by_pages = io.StringIO(), io.StringIO()
    Output(stdout=by_rows, stderr=io.StringIO()).rows(COLS, ROWS)
    assert Output(stdout=by_pages, stderr=io.StringIO()).page_rows(COLS, [ROWS[:1], ROWS[1:]]) == 2
    assert by_pages.getvalue() == by_rows.getvalue() == "1\tMug red\t199.90\n2\tCup\t\n"


def test_page_rows_writes_and_flushes_each_page_once_before_the_next() -> None:
    for json_mode in (True, False):
        out = CountingIO()
        seen: list[tuple[int, int]] = []

        def pages(
            out: CountingIO = out, seen: list[tuple[int, int]] = seen
        ) -> Iterator[list[dict[str, Any]]]:
            for p in range(3):
                seen.append((out.writes, out.flushes))
                yield [{"id": p * 10 + i, "name": "x", "price": Decimal("1.5")} for i in range(5)]

        n = Output(json_mode=json_mode, stdout=out, stderr=io.StringIO()).page_rows(COLS, pages())
        assert n == 15
        opening = 1 if json_mode else 0  # the "[" of the array
        assert seen == [(opening, 0), (opening + 1, 1), (opening + 2, 2)]


def test_page_rows_json_rows_and_empty() -> None:
    out = io.StringIO()
    Output(json_mode=True, stdout=out, stderr=io.StringIO()).page_rows(
        COLS, [ROWS], json_rows=lambda r: {"id": r["id"]}
    )
    assert json.loads(out.getvalue()) == [{"id": 1}, {"id": 2}]
    jout, err = io.StringIO(), Tty()
    assert Output(json_mode=True, stdout=jout, stderr=err).page_rows(COLS, [[], []]) == 0
    assert jout.getvalue() == "[]\n"
    Output(stdout=Tty(), stderr=err, no_color=True).page_rows(COLS, [[]], empty="no rows here")
    assert "no rows here" in err.getvalue()
    table = Tty()
    Output(stdout=table, stderr=Tty(), no_color=True).page_rows(COLS, [ROWS[:1], ROWS[1:]])
    assert "Mug" in table.getvalue() and "Cup" in table.getvalue()


def test_rows_are_encoded_as_dumps_would() -> None:
    import enum

    from ozonctl.cli.output import dumps, encode_row

    class Colour(enum.Enum):
        RED = "red"

    when = dt.datetime(2026, 11, 27, 10, 0, 1, 5, tzinfo=dt.UTC)
    row = {
        "s": 'Ёж "x"\t\n',
        "n": 1,
        "f": 1.5,
        "d": Decimal("199.90"),
        "at": when,
        "day": when.date(),
        "e": Colour.RED,
        "t": (1, 2),
        "nested": {"l": [Decimal("1"), None, True]},
    }
    assert encode_row(row) == dumps(row)
    assert encode_row([1, Decimal("2")]) == dumps([1, Decimal("2")])
    bad = {"x": object()}
    for _ in range(2):  # a failure leaves nothing behind that breaks the next row
        try:
            encode_row(bad)
        except TypeError:
            pass
        else:
            raise AssertionError("object() is not JSON")
    assert encode_row(row) == dumps(row)
    loop: dict[str, Any] = {}
    loop["self"] = loop
    try:
        encode_row(loop)
    except ValueError:
        pass
    else:
        raise AssertionError("a circular row is an error")
    assert encode_row(row) == dumps(row)


# -- Ozon's text on one line, without terminal escapes ------------------------------------

SEPARATORS = [chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2]
HOSTILE = "Mug\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\x9b31m\x07\x00!"


def test_every_line_separator_splitlines_knows_is_one_space_in_a_pipe() -> None:
    assert set(SEPARATORS) >= set("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
    rows = [{"id": k, "name": f"a{sep}OTHER-1\tb"} for k, sep in enumerate(SEPARATORS)]
    out = io.StringIO()
    Output(stdout=out, stderr=io.StringIO()).rows(COLS[:2], rows)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(SEPARATORS)
    assert [line.split("\t") for line in lines] == [
        [str(k), "a OTHER-1 b"] for k in range(len(SEPARATORS))
    ]


def test_terminal_escapes_and_controls_are_stripped_in_a_pipe_and_in_a_table() -> None:
    out = io.StringIO()
    Output(stdout=out, stderr=io.StringIO()).rows(COLS[:2], [{"id": 1, "name": HOSTILE}])
    assert out.getvalue() == "1\tMuglink!\n"
    table = Tty()
    Output(no_color=True, stdout=table, stderr=io.StringIO()).rows(
        [*COLS[:2], Column("note", "Note", fmt=str)],
        [{"id": 1, "name": HOSTILE, "note": "a\u2028b\x1b[1mc"}],
    )
    text = table.getvalue()
    assert "Muglink!" in text and "a bc" in text
    for bad in ("\x1b[2J", "\x1b]", "pwned", "\x9b", "\x07", "\x00", "\u2028", "\x1b[1mc"):
        assert bad not in text  # (rich's own bold header is the only escape left)


def test_other_text_is_kept_as_it_is() -> None:
    from ozonctl.cli.output import plain

    for text in ("Кружка «Зима», 0,5 л", "杯子 红色", "a\xa0b", "x — y", "emoji ☕"):
        assert plain(text) == text
