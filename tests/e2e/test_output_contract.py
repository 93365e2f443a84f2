"""The output contract of docs/scripting.md, walked through the real process: the
vocabulary (plurals, "did you mean"), a declined confirmation, times, CSV, --json FIELDS
and tables on a pseudo-terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pty_support import run_on_tty, sandbox_env
from rich.cells import cell_len

from ozonctl.cli import times
from ozonctl.cli.output import Column
from ozonctl.cli.table import CURRENCY_KEYS, SYMBOLS, is_free_text


def test_a_declined_confirmation_says_aborted_and_sends_nothing(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    offer = ozonctl("listing", "list", "--json").json()[0]["offer_id"]
    r = run_on_tty(["listing", "archive", offer], sandbox_env(sandbox, ozonctl_home), answer="n")
    assert "aborted — nothing was sent" in r.text, r.text
    assert "error:" not in r.text and "cancelled" not in r.text
    assert r.code == 1
    assert sandbox.requests("/v1/product/archive") == []


PERIOD = ("--from", "2026-11-20", "--to", "2026-11-21")
LIST_COMMANDS: list[tuple[str, ...]] = [
    ("listing", "list", "--limit", "60"),
    ("listing", "stock", "show"),
    ("listing", "price", "show"),
    ("order", "list"),
    ("order", "at-risk"),
    ("order", "returns"),
    ("order", "rating"),
    ("promo", "list"),
    ("promo", "requests"),
    ("promo", "auto-add", "list"),
    ("promo", "audit"),
    ("payout", "transactions", *PERIOD),
    ("payout", "report", "--month", "2026-10"),
    ("payout", "totals", *PERIOD),
    ("payout", "cashflow", "--from", "2026-10-01", "--to", "2026-11-26"),
    ("payout", "balance", *PERIOD),
    ("analytics", "sales", *PERIOD),
    ("listing", "stock", "cover", "--below", "30"),
]
"""Every list command that reads the sandbox's shop (writes are walked by their own
tests); with the sandbox's data each prints rows."""

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WHOLE = re.compile(r"[\w\-./:+]{1,40}")
"""A cell that is one token (an ID, a number, an amount, a date, a status)."""
DIGIT_GROUPS = re.compile(r"(?<=\d)[  \u2009](?=\d{3}\b)")
ZONE = "Europe/Moscow"


def csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def expected_forms(key: str, value: str) -> list[str]:
    """How a whole cell of the CSV may show on the terminal."""
    if key in CURRENCY_KEYS:  # in its column, or in the money headers: "Price, ₽"
        return [value, f", {SYMBOLS.get(value, value)}"]
    if re.fullmatch(r"-?\d+\.\d\d", value):  # money; a table may leave out .00
        return [value, value.removesuffix(".00")]
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return [value]
    if "T" not in value:
        return [value]
    return [times.human(when, ZoneInfo(ZONE)), value[:10]]


def test_every_list_command_keeps_ids_dates_and_amounts_whole(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    """At 80, 100 and 120 columns on a pseudo-terminal no ID, date, number or amount of
    any row is wrapped or cut, no line is wider than the terminal, and a time column
    names its zone; the same command's CSV has a header of its JSON keys."""
    assert ozonctl("sync").exit_code == 0
    env = {**sandbox_env(sandbox, ozonctl_home), "TZ": ZONE}
    problems: dict[str, None] = {}
    for command in LIST_COMMANDS:
        name = " ".join(command)
        shown = ozonctl(*command, "--csv", "-")
        assert shown.exit_code == 0, f"{name}: {shown.stderr}"
        keys, rows = csv_rows(shown.stdout)
        assert rows, f"{name}: no rows in the sandbox"
        for width in (80, 100, 120):
            r = run_on_tty([*command, "--no-color"], env, columns=width)
            assert r.code == 0, f"{name} at {width}: {r.text[-500:]}"
            text = ANSI.sub("", r.text).replace("\r", "\n")  # progress lines too
            wide = [line for line in text.splitlines() if cell_len(line) > width]
            if wide:
                problems.setdefault(f"{name} at {width}: a line of {cell_len(wide[0])}")
            flat = DIGIT_GROUPS.sub("", text)
            for row in rows:
                for key in keys:
                    value = row[key]
                    if is_free_text(Column(key, key)) or not WHOLE.fullmatch(value):
                        continue
                    if value in ("true", "false"):
                        continue
                    if not any(form in flat for form in expected_forms(key, value)):
                        problems.setdefault(f"{name} at {width}: {key}={value} not shown whole")
                        break
            a_time = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", text)  # to the minute
            if a_time and "(MSK)" not in text:
                problems.setdefault(f"{name} at {width}: no (MSK) in a time header")
    assert not problems, "\n".join(list(problems)[:40])


def test_a_single_result_names_the_zone_of_its_times(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    """``order show`` and ``promo show`` on a terminal: times in the ``timezone`` setting,
    the zone after each; the pipe keeps ISO 8601 with the offset."""
    assert ozonctl("config", "set", "timezone", "Asia/Shanghai").exit_code == 0
    posting = ozonctl("order", "list", "--json=posting_number").json()[0]["posting_number"]
    raw = ozonctl("order", "show", posting, "--json").json()["in_process_at"]
    created = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    env = sandbox_env(sandbox, ozonctl_home)
    shown = ANSI.sub("", run_on_tty(["order", "show", posting], env).text)
    assert f"{times.human(created, ZoneInfo('Asia/Shanghai'))} CST" in shown
    piped = ozonctl("order", "show", posting)
    assert f"created\t{times.iso(created)}" in piped.stdout
    promo = ANSI.sub("", run_on_tty(["promo", "show", "71001"], env).text)
    assert re.search(r"Starts:\s+\d{4}-\d\d-\d\d \d\d:\d\d CST", promo), promo
