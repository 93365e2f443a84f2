"""``--all`` means one thing everywhere: every item, not the default subset (issue 18)."""

from __future__ import annotations

from cli_tree import commands

# docs/scripting.md "One vocabulary" names each of these
WITH_ALL = {
    "listing list": "Every product",  # not only the first 100
    "promo leave": "Every product",  # not only the products named
    "promo join": "Every product",  # --all-candidates: not only the products named
    "promo auto-add remove": "Every product",  # not only the products named
}


def test_all_means_every_item_wherever_it_appears() -> None:
    found = {}
    for path, command in commands():
        for p in command.params:
            if "--all" in getattr(p, "opts", ()):
                found[" ".join(path)] = p.help or ""
    assert set(found) == set(WITH_ALL), "document a new --all in docs/scripting.md and here"
    for name, help_text in found.items():
        assert help_text.startswith(WITH_ALL[name]), (name, help_text)


def test_promo_join_takes_all_as_well_as_all_candidates() -> None:
    command = dict(commands())[("promo", "join")]
    a = command.make_context("join", ["71003", "--all"], resilient_parsing=True).params
    b = command.make_context("join", ["71003", "--all-candidates"], resilient_parsing=True).params
    assert a == b and a["all_candidates"] is True
