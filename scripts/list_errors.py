#!/usr/bin/env python3
"""List every error message ozonctl can print, from the source, and check that
``docs/troubleshooting.md`` has an entry for each.

Collected (by reading the code, not running it):
- the first argument of every ``UsageError(``, ``OzonctlError(``, ``AuthError(``,
  ``LockHeldError(``, ``PartialFailure(``, ``Declined(`` and ``BadParameter(`` call, and of every
  ``output.error(`` (a line printed as ``error: …``);
- the message of every exception of ``ozonctl/client/errors.py`` raised in the client;
- the lines ``cli/failures.py`` and ``cli/run.py`` print for other failures;
- message templates that reach an error through ``str.format``: the ``failed=`` keyword
  of a call (a cron job's or bulk run's exit-3 line, ``commands/_cron.finish``) and the
  values of a module-level dict named ``REFUSED`` (``{n}`` and other fields are ``…``).

A message is written the way the docs show it: every value filled in at run time is
``…``, and the hint after " — " is left out (the docs say what to do). Messages that are
only values (``{…}: {…}``) pass other messages through and are skipped.

    .venv/bin/python scripts/list_errors.py            # every message, with where
    .venv/bin/python scripts/list_errors.py --missing  # those the docs lack, and entries
                                                       # for messages no longer printed
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "ozonctl"
DOC = ROOT / "docs" / "troubleshooting.md"
ERRORS = {
    "UsageError",
    "OzonctlError",
    "AuthError",
    "LockHeldError",
    "PartialFailure",
    "Declined",
    "BadParameter",
}
CLIENT_ERRORS_FILE = SRC / "client" / "errors.py"
SKIP_DIRS = {"sandbox"}
"""The sandbox's own errors are answers to the client, not messages to the user."""
HOLE = "…"


@dataclass(frozen=True)
class Message:
    text: str
    where: str


def client_error_names() -> set[str]:
    tree = ast.parse(CLIENT_ERRORS_FILE.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.ClassDef)} | {"cls", "status_cls"}


def template(node: ast.expr) -> str:
    """The text of a message expression, ``…`` for what is filled in at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else HOLE for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return template(node.left) + template(node.right)
    return HOLE


FORMAT_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")
TEMPLATE_KEYWORDS = {"failed"}
TEMPLATE_DICTS = {"REFUSED"}


def format_templates(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Messages written as ``str.format`` templates where they are given, not raised."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in TEMPLATE_KEYWORDS and isinstance(kw.value, ast.Constant):
                    yield FORMAT_FIELD.sub(HOLE, str(kw.value.value)), kw.value.lineno
    for stmt in tree.body:
        target = stmt.target if isinstance(stmt, ast.AnnAssign) else None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
        value = getattr(stmt, "value", None)
        if (
            isinstance(target, ast.Name)
            and target.id in TEMPLATE_DICTS
            and isinstance(value, ast.Dict)
        ):
            for v in value.values:
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    yield FORMAT_FIELD.sub(HOLE, v.value), v.lineno


def normalise(text: str) -> str:
    text = text.split(" — ", 1)[0]
    text = re.sub(rf"(?:{HOLE}\s*)+{HOLE}", HOLE, text)  # adjacent holes are one
    return " ".join(text.split()).strip()


def is_only_values(text: str) -> bool:
    return not re.search(r"[A-Za-z]{2}", text.replace(HOLE, ""))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _on_output(node: ast.Call) -> bool:
    """``ctx.output.error(…)`` / ``out.error(…)``: a line printed as ``error: …``."""
    func = node.func
    assert isinstance(func, ast.Attribute)
    base = func.value
    name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
    return name in ("output", "out")


def _sources() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if not SKIP_DIRS & set(path.relative_to(SRC).parts[:-1]):
            yield path


def collect() -> list[Message]:
    client_errors = client_error_names()
    found: dict[str, Message] = {}

    def add(text: str, path: Path, line: int) -> None:
        text = normalise(text)
        if text and not is_only_values(text) and text not in found:
            found[text] = Message(text, f"{path.relative_to(ROOT)}:{line}")

    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_client = path.relative_to(SRC).parts[0] == "client"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = _call_name(node)
                if (
                    name in ERRORS
                    or (is_client and name in client_errors)
                    or (name == "error" and _on_output(node))
                ):
                    add(template(node.args[0]), path, node.lineno)
        for text, line in format_templates(tree):
            add(text, path, line)
        if path.relative_to(SRC).as_posix() == "cli/failures.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                    add(template(node.value.elts[0]), path, node.lineno)
        if path.relative_to(SRC).as_posix() == "cli/run.py":
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _call_name(node) == "print" and node.args:
                    add(template(node.args[0]).strip().removeprefix("error: "), path, node.lineno)
    return sorted(found.values(), key=lambda m: m.where)


def documented(text: str, doc: str) -> bool:
    """The docs show the message as code: `message`, or `` message `` when it has a `."""
    if "`" in text:
        return f"`` {text} ``" in doc
    return f"`{text}`" in doc


def entries(doc: str) -> list[str]:
    """The messages the docs list: the code span opening each row of a Message table."""
    out: list[str] = []
    in_table = False
    for line in doc.splitlines():
        if line.startswith("| Message |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            match = re.match(r"\| `` (.+?) `` \|", line) or re.match(r"\| `([^`]+)` \|", line)
            if match:
                out.append(match[1])
    return out


def stale_entries(doc_text: str | None = None) -> list[str]:
    """Entries of the docs whose message ozonctl no longer prints."""
    doc = DOC.read_text(encoding="utf-8") if doc_text is None else doc_text
    known = {m.text for m in collect()}
    return [e for e in entries(doc) if e not in known]


def missing(doc_text: str | None = None) -> list[Message]:
    doc = DOC.read_text(encoding="utf-8") if doc_text is None else doc_text
    return [m for m in collect() if not documented(m.text, doc)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--missing", action="store_true", help="list the messages docs/troubleshooting.md lacks"
    )
    args = parser.parse_args(argv)
    messages = missing() if args.missing else collect()
    for m in messages:
        print(f"{m.where}\t{m.text}")
    if not args.missing:
        return 0
    if messages:
        print(
            f"{len(messages)} message(s) have no entry in docs/troubleshooting.md: add each "
            "as `message` (values as …) with what it means and what to do",
            file=sys.stderr,
        )
    old = stale_entries()
    for text in old:
        print(f"docs/troubleshooting.md: `{text}` is no longer printed: remove or update it")
    return 1 if messages or old else 0


if __name__ == "__main__":
    sys.exit(main())
