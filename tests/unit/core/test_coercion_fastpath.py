"""ozonctl.cli._coercion: typer's parameter values without pydantic.

Each case builds one typer parameter and coerces a value twice: with typer's own runtime
param (pydantic adapters) and with ozonctl's lazy one. Both must return the same value
(same type, same repr) or raise the same exception class with the same message."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import math
import os
import re
import string
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from uuid import UUID

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer import _coercion as typer_coercion
from typer import core as typer_core
from typer._click import Context
from typer.core import TyperCommand
from typer.main import _get_param
from typer.models import ParamMeta

from ozonctl.cli import _coercion


class Colour(enum.Enum):
    red = "red"
    green = "green"


def ident(value: Any) -> str:
    """A test id without memory addresses (xdist workers must collect the same ids)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def make(annotation: Any, **info: Any) -> tuple[Any, Context]:
    """A typer option ``--x`` of ``annotation`` with ``info``, and a context for it."""
    default = info.pop("default", None)
    param = _get_param(
        ParamMeta(name="x", default=typer.Option(default, **info), annotation=annotation)
    )
    return param, Context(TyperCommand("cmd", params=[param]))


def outcome(build: Any, value: Any, param: Any, ctx: Context) -> tuple[Any, ...]:
    """What typer's parameter does: build its runtime param (first use), coerce."""
    try:
        result = build(param.type_descriptor).coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - any exception must be the same
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return ("raised", type(exc), message, getattr(exc, "param", None) is param)
    if isinstance(result, list):
        return ("list", [(type(r), repr(r)) for r in result])
    if isinstance(result, float) and math.isnan(result):
        return ("nan", type(result))
    return ("value", type(result), repr(result))


def compare(annotation: Any, value: Any, **info: Any) -> tuple[Any, ...]:
    """typer's outcome, asserting that ozonctl's is the same."""
    param, ctx = make(annotation, **info)
    expected = outcome(typer_coercion.build_runtime_param, value, param, ctx)
    got = outcome(_coercion.build_runtime_param, value, param, ctx)
    assert got == expected, (annotation, info, value)
    return expected


def built_original(annotation: Any, value: Any, **info: Any) -> bool:
    """Whether coercing ``value`` needed typer's own runtime param (pydantic)."""
    param, ctx = make(annotation, **info)
    lazy = _coercion.build_runtime_param(param.type_descriptor)
    with contextlib.suppress(Exception):  # only whether it was built matters here
        lazy.coerce(value, param=param, ctx=ctx)
    return lazy.__dict__.get("original") is not None


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "f").write_text("x")
    (tmp_path / "d").mkdir()
    (tmp_path / "unreadable").write_text("x")
    (tmp_path / "unreadable").chmod(0)
    (tmp_path / "link").symlink_to(tmp_path / "d")
    monkeypatch.chdir(tmp_path)
    return tmp_path


SCALARS = (str, bool, int, float)
COMMON_VALUES: list[Any] = [
    *("", " ", "x", "1", "0", "-1", "true", "True", "false", "no", "on", "yes", "y", "t"),
    *("007", "-0", "-007", " 5", "5 ", "1_000", "+5", "1.5", "1.0", "1e3", "nan", "inf"),
    *("-inf", "abc", "٣", "a\udcff", "a\x00b", "-", "123456789012345678"),
    "1234567890123456789",
    "9" * 5000,
    True,
    False,
    0,
    1,
    -1,
    2**53,
    2**53 + 1,
    10**30,
    0.0,
    -0.0,
    1.5,
    -2.5,
    float("nan"),
    float("inf"),
    float("-inf"),
    b"x",
    b"\xff",
    [],
    ["a"],
    ("a", "b"),
    Path("f"),
    Decimal("1.5"),
    Colour.red,
    object(),
]


@pytest.mark.parametrize("annotation", SCALARS)
@pytest.mark.parametrize("value", COMMON_VALUES, ids=ident)
def test_scalars_match_typer(annotation: Any, value: Any) -> None:
    compare(annotation, value)


@pytest.mark.parametrize(
    "info",
    [
        {"min": 0},
        {"max": 10},
        {"min": -5, "max": 5},
        {"min": 0, "max": 10, "clamp": True},
        {"min": 1},
        {"min": 0.5},
        {"max": 2.5},
        {"min": 0.5, "max": 2.5, "clamp": True},
        {"min": 10**30},
    ],
    ids=ident,
)
@pytest.mark.parametrize("annotation", [int, float])
@pytest.mark.parametrize("value", COMMON_VALUES, ids=ident)
def test_ranged_numbers_match_typer(annotation: Any, info: dict[str, Any], value: Any) -> None:
    # an int with a float bound: typer cannot build the adapter (the same error, raised
    # when the first value is coerced, as typer builds it)
    compare(annotation, value, **info)


@pytest.mark.parametrize("annotation", [str | None, int | None, float | None, bool | None])
@pytest.mark.parametrize("value", [None, "1", 1, 1.0, True, "x"], ids=ident)
def test_optional_matches_typer(annotation: Any, value: Any) -> None:
    compare(annotation, value)


@pytest.mark.parametrize("annotation", [list[str], list[int], list[float], list[bool], list[Path]])
@pytest.mark.parametrize(
    "value",
    [
        None,
        (),
        [],
        ("a",),
        ["a", "b"],
        ("1", "2"),
        (1, 2),
        [1.5],
        (True,),
        "a",
        ("f", "d"),
        ("a", 1),
        ("x", None),
        (Path("f"),),
        ("nope",),
        [b"x"],
    ],
    ids=ident,
)
def test_lists_match_typer(files: Path, annotation: Any, value: Any) -> None:
    compare(annotation, value)


PATH_INFOS: list[dict[str, Any]] = [
    {},
    {"exists": True},
    {"exists": True, "dir_okay": False},
    {"exists": True, "file_okay": False},
    {"exists": True, "readable": True},
    {"exists": True, "writable": True},
    {"resolve_path": True},
    {"exists": True, "resolve_path": True, "dir_okay": False},
    {"allow_dash": True},
    {"allow_dash": True, "exists": True},
    {"allow_dash": True, "exists": True, "file_okay": False},
    {"path_type": str, "exists": True},
    {"path_type": bytes},
    {"path_type": PurePosixPath},
]
PATH_VALUES: list[Any] = [
    *("f", "d", "nope", "link", "unreadable", "", ".", "-", "./f", "f/", "d/", "d/.", "d//"),
    *("link/", "f/x", "a\x00b", "a\udcff", "//f", "/", "../", "nope/x", " f"),
    Path("f"),
    Path("d"),
    Path("nope"),
    Path("-"),
    b"f",
    1,
    None,
    Colour.red,
]


@pytest.mark.parametrize("annotation", [Path, Path | None, str])
@pytest.mark.parametrize("info", PATH_INFOS, ids=ident)
@pytest.mark.parametrize("value", PATH_VALUES, ids=ident)
def test_paths_match_typer(files: Path, annotation: Any, info: dict[str, Any], value: Any) -> None:
    compare(annotation, value, **info)


def test_absolute_paths_match_typer(files: Path) -> None:
    for name in ("f", "d", "nope", "f/", "d/", "link", "unreadable"):
        for info in PATH_INFOS:
            compare(Path, f"{files}/{name}", **info)


@pytest.mark.parametrize(
    ("annotation", "info"),
    [
        (Colour, {}),
        (Colour, {"case_sensitive": False}),
        (Literal["a", "b"], {}),
        (Literal[1, 2], {}),
        (dt.datetime, {}),
        (dt.datetime, {"formats": ["%Y-%m-%d"]}),
        (tuple[int, str], {}),
        (int, {"parser": lambda v: int(v) * 2}),
        (str, {"parser": str.upper}),
        (UUID, {}),
        (Decimal, {}),
        (list[Colour], {}),
    ],
    ids=ident,
)
@pytest.mark.parametrize(
    "value",
    [
        "red",
        "RED",
        Colour.green,
        "a",
        "1",
        1,
        "2026-11-27",
        dt.datetime(2026, 11, 27),
        ("1", "x"),
        (1, "x"),
        "x",
        "12345678-1234-5678-1234-567812345678",
        "1.5",
        None,
        ["red"],
    ],
    ids=ident,
)
def test_other_types_use_typer_itself(annotation: Any, info: dict[str, Any], value: Any) -> None:
    compare(annotation, value, **info)


# -- property tests --------------------------------------------------------------------

ANY_VALUE = st.one_of(
    st.text(),
    st.text(alphabet="0123456789-+_ .e", max_size=25),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.binary(max_size=4),
    st.lists(st.text(max_size=3), max_size=3),
    st.tuples(st.integers(), st.text(max_size=2)),
)
ANNOTATIONS = st.sampled_from([str, bool, int, float, list[str], list[int], list[float]])
BOUND = st.one_of(st.none(), st.integers(-100, 100), st.floats(-100, 100, allow_nan=False))


@settings(max_examples=800, deadline=None)
@given(annotation=ANNOTATIONS, value=ANY_VALUE, low=BOUND, high=BOUND, clamp=st.booleans())
def test_any_value_matches_typer(
    annotation: Any, value: Any, low: Any, high: Any, clamp: bool
) -> None:
    compare(annotation, value, min=low, max=high, clamp=clamp)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("tree")
    (base / "f").write_text("x")
    (base / "d").mkdir()
    (base / "d" / "f").write_text("y")
    yield base


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.text(alphabet="fd/.-\x00", max_size=8),
    info=st.fixed_dictionaries(
        {},
        optional={
            "exists": st.booleans(),
            "file_okay": st.booleans(),
            "dir_okay": st.booleans(),
            "readable": st.booleans(),
            "resolve_path": st.booleans(),
            "allow_dash": st.booleans(),
        },
    ),
    relative=st.booleans(),
)
def test_any_path_matches_typer(
    tree: Path, suffix: str, info: dict[str, Any], relative: bool
) -> None:
    value = suffix if relative else f"{tree}/{suffix}"
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        compare(Path, value, **info)
    finally:
        os.chdir(cwd)


# -- what stays without pydantic -------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "value", "info"),
    [
        (str, "x", {}),
        (str, "", {}),
        (bool, True, {}),
        (int, 5, {}),
        (int, "5", {}),
        (int, "-17", {}),
        (int, 5, {"min": 0, "max": 10}),
        (float, 0.0, {"min": 0}),  # the root's --wait-lock default
        (float, 0, {"min": 0}),
        (float, 2.5, {}),
        (list[str], ("a", "b"), {}),
        (list[str], (), {}),
        (str, None, {}),
        (Colour, None, {}),
        (dt.datetime, None, {}),
        (Path, "f", {}),
        (Path, "f", {"exists": True, "dir_okay": False, "resolve_path": True}),
        (Path, Path("d"), {"exists": True}),
        (Path, "nope", {"exists": True}),  # typer's error, raised by typer's check
        (str, "f", {"path_type": str, "exists": True}),
    ],
    ids=ident,
)
def test_exact_values_build_no_typer_adapter(
    files: Path, annotation: Any, value: Any, info: dict[str, Any]
) -> None:
    assert not built_original(annotation, value, **info)


@pytest.mark.parametrize(
    ("annotation", "value", "info"),
    [
        (bool, "1", {}),
        (bool, "", {}),
        (int, " 5", {}),
        (int, "1.0", {}),
        (int, "9" * 19, {}),
        (int, 11, {"max": 10}),
        (float, "2.5", {}),
        (float, -1.0, {"min": 0}),
        (float, float("nan"), {"min": 0}),
        (str, b"x", {}),
        (Path, "./f", {}),
        (Path, "f/", {}),
        (Path, "", {}),
        (Path, "-", {"allow_dash": True}),
        (Path, "a\x00b", {}),
        (Colour, "red", {}),
        (list[int], ("1", "x"), {}),
    ],
    ids=ident,
)
def test_other_values_use_typer_itself(
    files: Path, annotation: Any, value: Any, info: dict[str, Any]
) -> None:
    assert built_original(annotation, value, **info)


def test_file_params_are_typers_own() -> None:
    param, _ = make(typer.FileText)
    built = _coercion.build_runtime_param(param.type_descriptor)
    assert type(built) is typer_coercion.FileRuntimeParam
    assert built == typer_coercion.build_runtime_param(param.type_descriptor)


# -- install() -------------------------------------------------------------------------


@pytest.fixture
def typer_unpatched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(vars(typer_core), "build_runtime_param", typer_coercion.build_runtime_param)


def test_install_patches_typer_core_once(typer_unpatched: None) -> None:
    assert _coercion.install() is True
    assert vars(typer_core)["build_runtime_param"] is _coercion.build_runtime_param
    assert _coercion.install() is True
    assert vars(typer_core)["build_runtime_param"] is _coercion.build_runtime_param
    param, ctx = make(float, min=0)
    assert type(param.get_runtime_param()) is _coercion.LazyRuntimeParam
    assert param.process_value(ctx, 0.0) == 0.0


def test_the_cli_installs_it() -> None:
    import ozonctl.cli.app  # noqa: F401 - installs at import

    assert vars(typer_core)["build_runtime_param"] is _coercion.build_runtime_param, (
        f"cli/_coercion.py no longer installs on typer {typer.__version__}: check it against "
        "this typer and add the version to TYPER_VERSIONS, or remove the patch"
    )


@pytest.mark.parametrize("versions", [("0.30.",), ("1.", "0.28.")])
def test_install_is_pinned_to_the_typer_versions_it_was_written_for(
    typer_unpatched: None, monkeypatch: pytest.MonkeyPatch, versions: tuple[str, ...]
) -> None:
    assert typer.__version__.startswith("0.29.")
    monkeypatch.setattr(_coercion, "TYPER_VERSIONS", versions)  # typer is not one of them
    before = vars(typer_core)["build_runtime_param"]
    assert _coercion.install() is False
    assert vars(typer_core)["build_runtime_param"] is before


def other_build(descriptor: Any) -> Any:
    return typer_coercion.build_runtime_param(descriptor)


def other_coerce_cli_path(value: Any, info: Any, path_type: Any) -> Any:
    return value


@pytest.mark.parametrize(
    ("target", "name", "replacement"),
    [
        (typer_core, "build_runtime_param", other_build),  # someone else's patch
        (_coercion, "coerce_cli_path", other_coerce_cli_path),
        (typer_coercion.RuntimeParam, "coerce", other_build),
        (_coercion, "_TYPER_INTERNALS", False),
    ],
)
def test_install_leaves_another_typer_alone(
    typer_unpatched: None, monkeypatch: pytest.MonkeyPatch, target: Any, name: str, replacement: Any
) -> None:
    monkeypatch.setattr(target, name, replacement)
    before = vars(typer_core)["build_runtime_param"]
    assert _coercion.install() is False
    assert vars(typer_core)["build_runtime_param"] is before


def test_plain_int_strings() -> None:
    assert all(_coercion._plain_int(s) for s in ("0", "7", "-0", "007", "-12", "9" * 18))
    bad = (
        "",
        "-",
        "+1",
        " 1",
        "1 ",
        "1_0",
        "1.0",
        "٣",
        "9" * 19,
        "0x1",
        "--1",
        string.ascii_letters,
    )
    assert not any(_coercion._plain_int(s) for s in bad)


# -- ozonctl's own parameters ----------------------------------------------------------


def ozonctl_params() -> list[tuple[str, Any, Any]]:
    """(command path, command, parameter) for every parameter of every ozonctl command."""
    from ozonctl.cli.app import GROUPS, app

    root = typer.main.get_command(app)
    found: list[tuple[str, Any, Any]] = []

    def walk(path: str, command: Any) -> None:
        found.extend((path, command, p) for p in command.params if hasattr(p, "type_descriptor"))
        ctx = Context(command)
        for name in getattr(command, "list_commands", lambda _: [])(ctx):
            walk(f"{path} {name}", command.get_command(ctx, name))

    walk("ozonctl", root)
    assert {path.split()[1] for path, _, _ in found if " " in path} == set(GROUPS)
    return found


def test_every_ozonctl_default_coerces_as_typer_does() -> None:
    # typer builds its runtime param on first use even for None; the lazy one builds it
    # only for a value it needs it for: every ozonctl parameter must build (no error
    # hidden until a value arrives), and its default must come out as typer's does
    params = ozonctl_params()
    assert len(params) > 100
    for path, command, param in params:
        typer_coercion.build_runtime_param(param.type_descriptor)
        ctx = Context(command)
        expected = outcome(typer_coercion.build_runtime_param, param.default, param, ctx)
        got = outcome(_coercion.build_runtime_param, param.default, param, ctx)
        assert got == expected, (path, param.name)
