"""The command reference in docs/reference/ is generated from the CLI and never stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

REGENERATE = "run `.venv/bin/python scripts/gen_reference.py` and commit docs/reference/"


@pytest.fixture(scope="module")
def files(gen: Any) -> dict[Path, str]:
    return dict(gen.render())


def test_the_committed_reference_is_not_stale(gen: Any, files: dict[Path, str]) -> None:
    stale = gen.stale(files)
    assert not stale, f"the command reference is stale ({', '.join(map(str, stale))}): {REGENERATE}"


def test_every_command_and_option_is_in_its_page(gen: Any, files: dict[Path, str]) -> None:
    import typer
    from typer.core import TyperOption

    root = gen.root_command()
    ctx = typer.Context(root, info_name="ozonctl")
    seen = 0
    for command, sub_ctx in gen.walk(root, ctx):
        path = sub_ctx.command_path
        if path == "ozonctl":
            page = files[Path("docs/reference/index.md")]
        else:
            page = files[Path("docs/reference") / f"{path.split()[1]}.md"]
            assert f"# {path}\n" in page, path
        for param in command.get_params(sub_ctx):
            if param.hidden or "--help" in param.opts:
                continue
            record = param.get_help_record(sub_ctx)
            assert record is not None
            names = param.opts if isinstance(param, TyperOption) else [record[0]]
            for name in names:
                assert name in page, f"{path} {name} is missing from the reference"
        seen += 1
    assert seen > 60  # every group was loaded, not only the root


def test_index_lists_groups_env_vars_and_exit_codes(files: dict[Path, str]) -> None:
    from ozonctl.cli.app import GROUPS
    from ozonctl.exitcodes import ExitCode

    index = files[Path("docs/reference/index.md")]
    for name in GROUPS:
        assert f"[`ozonctl {name}`]({name}.md)" in index
    for var in ("OZONCTL_HOME", "OZON_CLIENT_ID", "OZON_API_KEY", "OZONCTL_PROFILE", "CI"):
        assert f"| `{var}` |" in index
    for code in ExitCode:
        assert f"| `{int(code)}` | `{code.name}` |" in index
    nav = files[Path("mkdocs.yml")]
    for name in GROUPS:
        assert f"- ozonctl {name}: reference/{name}.md" in nav


def test_an_undescribed_environment_variable_stops_the_generator(
    gen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert {"OZONCTL_HOME", "CI", "NO_COLOR", "OZON_CLIENT_ID"} <= gen.env_read_by_code()
    notes = dict(gen.ENV_NOTES)
    del notes["OZONCTL_HOME"]
    monkeypatch.setattr(gen, "ENV_NOTES", notes)
    with pytest.raises(SystemExit, match="OZONCTL_HOME: describe it in ENV_NOTES"):
        gen.render()


def test_check_mode_exits_1_and_names_the_stale_file(
    gen: Any,
    files: dict[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = Path("docs/reference/doctor.md")
    edited = {**files, page: files[page] + "\nchanged\n"}
    monkeypatch.setattr(gen, "render", lambda: edited)
    assert gen.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "stale: docs/reference/doctor.md" in err
    assert "scripts/gen_reference.py" in err
    assert (ROOT / page).read_text(encoding="utf-8") == files[page]  # --check writes nothing


def test_markdown_escaping_keeps_code_spans(gen: Any) -> None:
    assert gen.md("<offer id> and `<ID>`") == "&lt;offer id&gt; and `<ID>`"
    assert gen.cell("a | b\nc") == r"a \| b c"


def test_the_reference_does_not_depend_on_the_terminal_or_environment(
    gen: Any, files: dict[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "COLUMNS": "40",
        "CI": "true",
        "NO_COLOR": "1",
        "OZONCTL_PROFILE": "elsewhere",
        "OZON_API_URL": "http://127.0.0.1:9",
    }.items():
        monkeypatch.setenv(name, value)
    assert gen.render() == files


def test_a_command_that_exits_with_a_code_of_its_own_is_listed(
    gen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import enum

    import typer

    import ozonctl.exitcodes

    fewer = enum.IntEnum("ExitCode", {c.name: int(c) for c in ozonctl.exitcodes.ExitCode if c != 6})
    monkeypatch.setattr(ozonctl.exitcodes, "ExitCode", fewer)
    root = gen.root_command()
    found = gen.command_exit_codes(root, typer.Context(root, info_name="ozonctl"))
    assert [(code, path) for code, path, _ in found] == [(6, "ozonctl order at-risk")]
