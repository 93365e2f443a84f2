"""docs/troubleshooting.md has an entry for every error message ozonctl prints."""

from __future__ import annotations

from typing import Any


def test_every_error_message_has_an_entry(errors_script: Any) -> None:
    missing = errors_script.missing()
    assert not missing, (
        f"docs/troubleshooting.md has no entry for {len(missing)} error message(s); add each "
        "as `message` (values as …) with what it means and what to do "
        "(`.venv/bin/python scripts/list_errors.py --missing` lists them):\n"
        + "\n".join(f"  {m.where}: `{m.text}`" for m in missing)
    )


def test_the_collector_finds_every_kind_of_message(errors_script: Any) -> None:
    texts = {m.text for m in errors_script.collect()}
    assert len(texts) > 100
    # OzonctlError subclasses, with f-string values as …
    assert "no credentials for profile …" in texts  # AuthError
    assert "another ozonctl run holds the lock …" in texts  # LockHeldError
    assert "…: --yes required when not running interactively" in texts  # UsageError
    # the client's exceptions and the lines cli/failures.py and cli/run.py print
    assert "cannot connect to …: …" in texts
    assert "Ozon refused the credentials (HTTP 401: …)…" in texts
    assert "interrupted" in texts
    # messages that only pass another message through are not entries of their own
    assert "…" not in texts and "…: …" not in texts


def test_a_new_message_without_an_entry_is_reported(errors_script: Any) -> None:
    doc = (errors_script.DOC).read_text(encoding="utf-8")
    entry = "`no credentials for profile …`"
    assert entry in doc
    before = {m.text for m in errors_script.missing(doc)}
    missing = [m for m in errors_script.missing(doc.replace(entry, "`removed`"))]
    added = [m for m in missing if m.text not in before]
    assert [m.text for m in added] == ["no credentials for profile …"]
    assert added[0].where.startswith("src/ozonctl/")


def test_normalising_a_message(errors_script: Any) -> None:
    import ast

    tree = ast.parse('f"{a}{b}: x {c!r} y" + " tail" + suffix', mode="eval")
    text = errors_script.template(tree.body)
    assert text == "……: x … y tail…"
    assert errors_script.normalise(text) == "…: x … y tail…"
    assert errors_script.normalise("what — what to do") == "what"
    assert errors_script.is_only_values("…: …") and not errors_script.is_only_values("… is empty")


def test_no_entry_for_a_message_ozonctl_no_longer_prints(errors_script: Any) -> None:
    stale = errors_script.stale_entries()
    assert not stale, (
        "docs/troubleshooting.md lists messages ozonctl no longer prints; update or remove: "
        + "; ".join(f"`{text}`" for text in stale)
    )


def test_entries_are_read_from_the_message_tables(errors_script: Any) -> None:
    doc = "\n".join(
        [
            "| Check | What |",
            "|---|---|",
            "| `home` | not a message table |",
            "",
            "| Message | What it means and what to do |",
            "|---|---|",
            "| `no products given` | … |",
            "| `` run `ozonctl sync` `` | … |",
        ]
    )
    assert errors_script.entries(doc) == ["no products given", "run `ozonctl sync`"]


def test_format_templates_given_where_a_run_fails_are_messages(errors_script: Any) -> None:
    import ast

    tree = ast.parse(
        'REFUSED = {"join": "{n} product(s) refused before sending"}\n'
        'finish(ctx, failed="{n} changes failed; listed above", empty="nothing")\n'
    )
    found = [text for text, _ in errors_script.format_templates(tree)]
    assert sorted(found) == [
        "… changes failed; listed above",
        "… product(s) refused before sending",
    ]
