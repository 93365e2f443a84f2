"""The id-list reader (``cli/fromfile``): the quick path for plain files makes exactly what the line loop does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozonctl.cli.fromfile import read_ids as read_tokens
from ozonctl.errors import UsageError


def by_lines(text: str) -> list[str]:
    """The rule, one line at a time (the loop the quick path stands in for): a line's
    first tab-separated field holds its ids (issue 18: TSV output pipes back in)."""
    tokens = []
    for line in text.splitlines():
        line = line.split("\t", 1)[0].split("#", 1)[0].strip()
        for part in line.replace(";", ",").replace(",", " ").split():
            tokens.append(part.strip().strip('"'))
    return [t for t in tokens if t]


# every kind of line boundary and whitespace str.splitlines/str.split know, and ASCII
_CHARS = st.sampled_from(
    list("ab0Я7-_.") + list("\n\r\t \x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029\u3000")
)


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=60), st.booleans())
def test_quick_path_equals_the_line_rule(
    tmp_path_factory: pytest.TempPathFactory, text: str, sep: bool
) -> None:
    if sep:  # the loop's path: a separator somewhere
        text = text[: len(text) // 2] + ',"x";#y\n' + text[len(text) // 2 :]
    path = tmp_path_factory.mktemp("t") / "tokens.txt"
    path.write_bytes(text.encode("utf-8"))
    assert read_tokens(path) == by_lines(path.read_text(encoding="utf-8"))


def test_file_forms(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text('A-1\n\n  B-2  \n# a comment\nC-3, "D-4"; E-5 # tail\n', encoding="utf-8")
    assert read_tokens(path) == ["A-1", "B-2", "C-3", "D-4", "E-5"]
    path.write_text("A-1\r\nB-2\r\n", encoding="utf-8")
    assert read_tokens(path) == ["A-1", "B-2"]


def test_missing_file_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--from-file"):
        read_tokens(tmp_path / "none.txt", source="--from-file")
