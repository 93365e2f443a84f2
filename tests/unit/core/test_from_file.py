"""One reader of id lists (``cli/fromfile``) for every ``--from-file`` and ``--exclude``
(issue 18, "One vocabulary")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ozonctl.cli.fromfile import ids_from, ids_in, read_ids
from ozonctl.errors import UsageError


def test_a_tsv_line_gives_its_first_field_only() -> None:
    """`listing list > f; listing archive --from-file f` archived the names' words too
    (the listing reader split every field); the promo reader kept the first field."""
    tsv = "OF-1\t1001\t5001\tКружка белая 0,3 л\nOF-2\t1002\t5002\tChair; oak\n"
    assert ids_in(tsv) == ["OF-1", "OF-2"]


def test_the_plain_forms_stay() -> None:
    text = 'A-1\n\n  B-2  \n# a comment\nC-3, "D-4"; E-5 # tail\n'
    assert ids_in(text) == ["A-1", "B-2", "C-3", "D-4", "E-5"]
    assert ids_in("1\r\n2\r\n") == ["1", "2"]


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffАртикул-1;\nАртикул-2;\n".encode(),  # Excel's CSV UTF-8
        "Артикул-1;\r\nАртикул-2;\r\n".encode("cp1251"),  # Russian Excel's plain CSV
        "Артикул-1\tx\r\nАртикул-2\ty\r\n".encode("utf-16"),  # Excel's Unicode text
    ],
)
def test_russian_excel_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "ids.csv"
    path.write_bytes(data)
    assert read_ids(path) == ["Артикул-1", "Артикул-2"]


def test_ids_from_args_then_file_each_once(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("B\nC\nA\n", encoding="utf-8")
    assert ids_from(["A", " B "], str(path)) == ["A", "B", "C"]
    assert ids_from(["A"], None) == ["A"]


def test_an_empty_file_or_a_missing_one_is_one_usage_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no ids in it"):
        ids_from([], str(empty))
    with pytest.raises(UsageError, match=r"--from-file .*none\.txt"):
        read_ids(tmp_path / "none.txt")


# --- the walk: every command that takes many ids takes --from-file FILE|- ------------------

ID_OPTIONS = {"--sku", "--offer", "--posting"}
"""Repeatable options that name ids (the others repeat statuses, types, faults …)."""
PAIR_FILES = {"order track", "review reply", "question answer"}
"""Their --from-file holds pairs (a posting and its tracking number, an id and a text)."""


def many_id_commands() -> dict[str, Any]:
    """Every command with a many-id argument or a repeatable id option, by name."""
    from cli_tree import commands

    found = {}
    for path, command in commands():
        for p in command.params:
            many_args = p.param_type_name == "argument" and p.nargs == -1
            id_option = getattr(p, "multiple", False) and ID_OPTIONS & set(p.opts)
            if many_args or id_option:
                found[" ".join(path)] = command
    return found


def test_every_command_that_takes_many_ids_takes_from_file() -> None:
    found = many_id_commands()
    assert {"listing archive", "promo leave", "order label", "promo requests approve"} <= set(found)
    for name, command in found.items():
        (option,) = [p for p in command.params if "--from-file" in getattr(p, "opts", ())]
        assert option.metavar == "FILE|-", f"{name}: --from-file is not the shared option"
    from cli_tree import commands

    with_file = {
        " ".join(p) for p, c in commands() if any("--from-file" in x.opts for x in c.params)
    }
    assert with_file - set(found) == PAIR_FILES
