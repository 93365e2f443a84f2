"""The output contract of docs/scripting.md, walked through the real process: the
vocabulary (plurals, "did you mean"), a declined confirmation, times, CSV, --json FIELDS
and tables on a pseudo-terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from pty_support import run_on_tty, sandbox_env
from rich.cells import cell_len

from ozonctl.cli import schemas, times, write_schemas
from ozonctl.cli.output import Column
from ozonctl.cli.schema import Schema
from ozonctl.cli.table import CURRENCY_KEYS, SYMBOLS, is_free_text
from ozonctl.commands.listing.price import price_file_columns
from ozonctl.commands.listing.stock import stock_columns


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
LIST_COMMANDS: list[tuple[tuple[str, ...], Schema]] = [
    (("listing", "list", "--limit", "60"), schemas.PRODUCT),
    (("listing", "stock", "show"), schemas.STOCK_LINE),
    (("listing", "price", "show"), schemas.PRICE),
    (("order", "list"), schemas.POSTING),
    (("order", "at-risk"), schemas.AT_RISK),
    (("order", "cancel-requests", "--state", "all"), schemas.CANCEL_REQUEST),
    (("order", "rfbs-returns"), schemas.RFBS_RETURN),
    (("order", "penalties"), schemas.PENALTY),
    (("order", "warehouses"), schemas.WAREHOUSE),
    (("order", "giveouts"), schemas.GIVEOUT),
    (("order", "rating", "--history"), schemas.RATING_POINT),
    (("order", "returns"), schemas.RETURN),
    (("order", "rating"), schemas.RATING),
    (("promo", "list"), schemas.PROMOTION),
    (("promo", "requests"), schemas.PROMO_REQUEST),
    (("promo", "auto-add", "list"), schemas.PLACEMENT),
    (("promo", "audit"), schemas.PLACEMENT),
    (("payout", "transactions", *PERIOD), schemas.TRANSACTION),
    (("payout", "report", "--month", "2026-10"), schemas.REPORT_LINE),
    (("payout", "totals", *PERIOD), schemas.TOTALS),
    (("payout", "cashflow", "--from", "2026-10-01", "--to", "2026-11-26"), schemas.CASHFLOW_PERIOD),
    (("payout", "balance", *PERIOD), schemas.BALANCE),
    (("analytics", "sales", *PERIOD), schemas.SALES_LINE),
    (("listing", "stock", "cover", "--below", "30"), schemas.STOCK_COVER),
]
"""Every list command that reads the sandbox's shop (writes are walked by their own
tests) and the schema of its JSON; with the sandbox's data each prints rows."""

IMPORTERS = {
    ("listing", "stock", "show"): (stock_columns, {"offer_id", "warehouse_id", "free_stock"}),
    ("listing", "price", "show"): (price_file_columns, {"offer_id", "price", "min_price"}),
}
"""The list commands whose CSV an importer reads back: its columns, and those the CSV
must name as the importer does."""

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WHOLE = re.compile(r"[\w\-./:+]{1,40}")
"""A cell that is one token (an ID, a number, an amount, a date, a status)."""
DIGIT_GROUPS = re.compile(r"(?<=\d)[  \u2009](?=\d{3}\b)")
ZONE = "Europe/Moscow"
MOVING = ("hours_left",)
"""Keys whose value moves with the clock between the CSV run and the terminal's."""


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


@dataclass
class Shop:
    """One sandbox and one synced profile, shared by every command of the walk (the
    commands only read)."""

    env: dict[str, str]
    csv_dir: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ozonctl", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )


@pytest.fixture(scope="module")
def shop(module_sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Shop:
    home = tmp_path_factory.mktemp("walk") / "ozonctl-home"
    walk = Shop(module_sandbox.environ(home), home.parent)
    synced = walk.run("sync")
    assert synced.returncode == 0, synced.stderr
    return walk


@pytest.mark.parametrize(
    ("command", "schema"),
    LIST_COMMANDS,
    ids=[" ".join(w for w in c[:3] if not w.startswith("-")) for c, _ in LIST_COMMANDS],
)
def test_every_list_command_keeps_the_output_contract(
    shop: Shop, command: tuple[str, ...], schema: Schema
) -> None:
    """``--json`` is valid against the command's documented schema (every key, typed);
    the CSV (written by the same run) has a header of schema keys, the importer's names
    where an importer reads it back; at 80, 100 and 120 columns on a pseudo-terminal no
    ID, date, number or amount of any row is wrapped or cut, no line is wider than the
    terminal, and a time column names its zone."""
    name = " ".join(command)
    target = shop.csv_dir / f"{'-'.join(command[:2])}.csv"
    shown = shop.run(*command, "--json", "--csv", str(target))
    assert shown.returncode == 0, f"{name}: {shown.stderr}"
    doc = json.loads(shown.stdout)
    items = doc if isinstance(doc, list) else [doc]
    validator = jsonschema.Draft202012Validator(schema.json_schema())
    invalid = [
        f"{list(e.path)}: {e.message}" for item in items for e in validator.iter_errors(item)
    ]
    assert not invalid, f"{name}: not the {schema.name} schema: {invalid[:5]}"
    keys, rows = csv_rows(target.read_text(encoding="utf-8"))
    assert rows, f"{name}: no rows in the sandbox"
    assert set(keys) <= set(schema.keys) or schema in (schemas.TOTALS, schemas.BALANCE), keys
    if command in IMPORTERS:
        columns, needed = IMPORTERS[command]
        read = {header.lower() for c in columns() for header in c.headers()}
        assert needed <= set(keys) and needed <= read, (keys, needed)
    env = {**shop.env, "TZ": ZONE}
    problems: dict[str, None] = {}
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
                if value in ("true", "false") or key in MOVING:
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
    raw = ozonctl("order", "show", posting, "--json").json()["created"]
    created = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    env = sandbox_env(sandbox, ozonctl_home)
    shown = ANSI.sub("", run_on_tty(["order", "show", posting], env).text)
    assert f"{times.human(created, ZoneInfo('Asia/Shanghai'))} CST" in shown
    piped = ozonctl("order", "show", posting)
    assert f"created\t{times.iso(created)}" in piped.stdout
    promo = ANSI.sub("", run_on_tty(["promo", "show", "71001"], env).text)
    assert re.search(r"Starts:\s+\d{4}-\d\d-\d\d \d\d:\d\d CST", promo), promo


ENVELOPE = {
    "type": "object",
    "properties": {
        "ref": {"type": ["string", "null"]},
        "dry_run": {"type": "boolean"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "items": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["ref", "dry_run", "counts", "items"],
    "additionalProperties": False,
}
"""The bulk-write envelope of docs/scripting.md."""


ITEM_SCHEMAS: dict[tuple[str, ...], Schema] = {
    ("listing", "archive"): write_schemas.PRODUCT_CHANGE,
    ("listing", "unarchive"): write_schemas.PRODUCT_CHANGE,
    ("listing", "stock"): write_schemas.PRODUCT_CHANGE,
    ("listing", "price"): write_schemas.PRODUCT_CHANGE,
    ("promo", "join"): write_schemas.PROMO_CHANGE,
    ("promo", "leave"): write_schemas.PROMO_CHANGE,
    ("promo", "guard"): write_schemas.PROMO_CHANGE,
    ("promo", "requests"): write_schemas.REQUEST_OUTCOME,
    ("listing", "delist-stale"): write_schemas.STALE_OUTCOME,
    ("order", "ship"): write_schemas.SHIP_OUTCOME,
    ("order", "cancel"): write_schemas.CANCEL_OUTCOME,
    ("order", "deliver"): write_schemas.STATUS_CHANGE,
    ("order", "last-mile"): write_schemas.STATUS_CHANGE,
    ("order", "delivered"): write_schemas.STATUS_CHANGE,
    ("review", "reply"): write_schemas.SERVICE_OUTCOMES["review"],
    ("question", "answer"): write_schemas.SERVICE_OUTCOMES["question"],
}
"""The schema of each bulk write's items (docs/scripting.md, cli/write_schemas.py)."""


def test_every_bulk_write_answers_json_with_one_envelope(shop: Shop, tmp_path: Path) -> None:
    """The plan (``--dry-run``) of every bulk write is ``{ref, dry_run, counts, items}``,
    each item valid against its documented schema (``ITEM_SCHEMAS``), its counts those of
    its items; nothing is sent (the walk's shop stays as it was)."""

    def first(*command: str, key: str, where: dict[str, Any] | None = None) -> Any:
        r = shop.run(*command, "--json")
        assert r.returncode == 0, r.stderr
        rows = [x for x in json.loads(r.stdout) if (where or {}).items() <= x.items()]
        return rows[0][key]

    offer = first("listing", "list", "--limit", "5", key="offer_id", where={"archived": False})
    warehouse = first("listing", "stock", "show", offer, key="warehouse_id")
    posting = first(
        "order", "list", "--unfulfilled", key="posting_number",
        where={"status": "awaiting_packaging"},
    )  # fmt: skip
    request = first("promo", "requests", key="id", where={"status": "NEW"})
    stock_file = tmp_path / "stock.csv"
    stock_file.write_text(f"offer_id,stock,warehouse_id\n{offer},3,{warehouse}\n")
    price_file = tmp_path / "price.csv"
    price_file.write_text(f"offer_id,price\n{offer},1999\n")
    postings_file = tmp_path / "postings.txt"
    postings_file.write_text(f"{posting}\n")
    policy = tmp_path / "policy.toml"
    policy.write_text("max_discount_pct = 1\n")
    review = first("review", "list", "--unanswered", key="id")
    question = first("question", "list", "--unanswered", key="id")
    replies = tmp_path / "replies.csv"
    replies.write_text(f"{review},Спасибо за отзыв!\n", encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_text(f"{question},Да, подойдёт\n", encoding="utf-8")
    writes: list[tuple[str, ...]] = [
        ("listing", "archive", offer),
        ("listing", "unarchive", offer),
        ("listing", "delist-stale", "--max", "1000", "--max-percent", "100"),
        ("listing", "stock", "set", offer, "3", "-w", str(warehouse)),
        ("listing", "stock", "import", str(stock_file)),
        ("listing", "price", "set", offer, "--price", "1999"),
        ("listing", "price", "import", str(price_file)),
        ("promo", "join", "71001", "--all-candidates"),
        ("promo", "leave", "71001", "--all"),
        ("promo", "requests", "approve", str(request)),
        ("promo", "requests", "decline", str(request)),
        ("promo", "guard", "--policy", str(policy), "--max", "100000", "--max-percent", "100"),
        ("order", "ship", posting),
        ("order", "ship", "--from-file", str(postings_file)),
        ("order", "deliver", posting),
        ("order", "last-mile", posting),
        ("order", "delivered", "--from-file", str(postings_file)),
        ("order", "cancel", posting, "--reason", "352", "--force"),
        ("review", "reply", "--from-file", str(replies)),
        ("question", "answer", "--from-file", str(answers)),
    ]
    own_counts = ("delist-stale", "guard")  # matched, delisted/left, failed, skipped, …
    validator = jsonschema.Draft202012Validator(ENVELOPE)
    for command in writes:
        name = " ".join(command[:3])
        r = shop.run(*command, "--dry-run", "--json")
        assert r.returncode == 0, f"{name}: {r.stderr}"
        doc = json.loads(r.stdout)
        errors = [e.message for e in validator.iter_errors(doc)]
        assert not errors, f"{name}: {errors[:3]}"
        item_schema = ITEM_SCHEMAS[command[:2]]  # each item in its documented schema, typed
        items = jsonschema.Draft202012Validator(item_schema.json_schema())
        bad = [f"{list(e.path)}: {e.message}" for it in doc["items"] for e in items.iter_errors(it)]
        assert not bad, f"{name}: not the {item_schema.name} schema: {bad[:3]}"
        assert doc["items"], f"{name}: no items to validate"
        assert doc["dry_run"] is True and doc["ref"] is None, name
        if command[1] not in own_counts:
            assert sum(doc["counts"].values()) == len(doc["items"]), name


SHOWS = [
    (("order", "list"), ("order", "show"), "posting_number", schemas.POSTING),
    (("listing", "list", "--limit", "3"), ("listing", "show"), "offer_id", schemas.PRODUCT),
    (("promo", "list"), ("promo", "show"), "id", schemas.PROMOTION),
    (("review", "list"), ("review", "show"), "id", schemas.REVIEW),
]


def test_list_and_show_write_the_same_keys(shop: Shop) -> None:
    """The same entity has the same keys in its list and its show command (a posting in
    ``order list`` and ``order show``, …): the keys of its schema."""
    for listing, show, key, schema in SHOWS:
        r = shop.run(*listing, "--json")
        assert r.returncode == 0, r.stderr
        listed = json.loads(r.stdout)[0]
        r = shop.run(*show, str(listed[key]), "--json")
        assert r.returncode == 0, r.stderr
        shown = json.loads(r.stdout)
        assert list(listed) == list(shown) == schema.keys, " ".join(show)
        assert shown[key] == listed[key]
