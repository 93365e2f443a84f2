"""Typer's parameter values without pydantic, where pydantic would change nothing.

typer 0.29 coerces every parameter value through a pydantic ``TypeAdapter``: the first
value a command coerces imports pydantic (~45 ms), and each parameter builds an adapter,
also for the values that already are what the adapter returns (``False`` for a ``bool``,
``0.0`` for the root's ``--wait-lock``, ``"x"`` for a ``str``, ``None`` for any unset
option). :func:`install` has typer build a :class:`LazyRuntimeParam` instead. It returns
such values as typer's adapter would, without pydantic: exact ``str``/``bool``/``int``/
``float`` values (in range when the option has ``min``/``max``), plain decimal strings for
``int``, lists of those for ``list[...]``, and ``Path`` values checked by typer's own
``coerce_cli_path``. Any other value (``"1"`` for a ``bool``, ``"2.5"`` for a ``float``,
choices, dates, parsers, tuples, out-of-range numbers…) builds typer's own runtime param,
once, on first use, and is coerced by it, so results and error messages stay typer's.

``install()`` patches ``typer.core.build_runtime_param`` (the name typer's parameters
look up) only on the typer versions in :data:`TYPER_VERSIONS`, and only when typer's
internals are the ones this module was written against; on any other typer it does
nothing and typer works as it always does (a unit test then fails, so that the patch is
checked against the new typer, or removed). Why it exists, with figures:
docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import inspect
import pathlib
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, cast, get_args, get_origin

try:
    from typer import _coercion as _typer_coercion
    from typer import core as _typer_core
    from typer._click import Context
    from typer._coercion import FileRuntimeParam, RuntimeParam, TypeDescriptor
    from typer._param_types import coerce_cli_path, lenient_issubclass, routes_to_path
    from typer._typing import is_literal_type, is_number_type
    from typer.core import _TyperParameter
    from typer.models import OptionInfo, ParameterInfo
except ImportError:  # pragma: no cover - another typer: install() does nothing
    _TYPER_INTERNALS = False
else:
    _TYPER_INTERNALS = True

TYPER_VERSIONS = ("0.29.",)
"""Prefixes of the typer versions this module was written and tested against."""

MISS: Any = object()
"""A fast coercion's answer for "not known without typer's own runtime param"."""

Fast = Callable[[Any, "_TyperParameter", "Context"], Any]
"""``fast(value, param, ctx)``: the coerced value, or :data:`MISS`."""

_PATH_TYPES = (pathlib.Path, pathlib.PosixPath)
"""Path classes pydantic makes from a str as ``cls(value)`` (and coerce_cli_path allows)."""
_FLOAT_EXACT = 2**53
"""Ints up to this size are floats exactly (pydantic's float from an int: ``float(n)``)."""
_INT_DIGITS = 18


def _plain_int(text: str) -> bool:
    """``-?[0-9]{1,18}``: a string pydantic's lax int turns into ``int(text)``."""
    digits = text[1:] if text[:1] == "-" else text
    return 0 < len(digits) <= _INT_DIGITS and digits.isascii() and digits.isdigit()


def _plain_bounds(cls: type[Any], info: ParameterInfo) -> bool:
    """min/max that pydantic takes as they are: small ints, or floats for a float."""
    kinds = (int,) if cls is int else (int, float)
    return all(
        bound is None
        or (type(bound) in kinds and (type(bound) is float or abs(bound) <= _FLOAT_EXACT))
        for bound in (info.min, info.max)
    )


def _number(cls: type[Any], info: ParameterInfo) -> Fast | None:
    """int/float: exact values (and plain digits for int) inside min/max, else MISS."""
    low, high = info.min, info.max
    if not _plain_bounds(cls, info):
        return None  # pydantic's own rules (a float min of an int cannot be built)

    def fast(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        kind = type(value)
        if kind is cls:
            number = value
        elif cls is int and kind is str and _plain_int(value):
            number = int(value)
        elif cls is float and kind is int and abs(value) <= _FLOAT_EXACT:
            number = float(value)
        else:
            return MISS
        # out of range (or NaN): typer's error, or its clamp
        if (low is not None and not number >= low) or (high is not None and not number <= high):
            return MISS
        return number

    return fast


def _exact(cls: type[Any]) -> Fast:
    """str/bool: a value of exactly this type is what typer's adapter returns."""

    def fast(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        return value if type(value) is cls else MISS

    return fast


def _path(annotation: Any, info: ParameterInfo) -> Fast | None:
    """What ``typer._adapters._build_path_adapter`` does, for a str or a Path value."""
    path_type: Any = info.path_type
    if path_type is None and lenient_issubclass(annotation, pathlib.Path):
        path_type = annotation
    if path_type is None or path_type is str or path_type is bytes:

        def as_given(value: Any, param: _TyperParameter, ctx: Context) -> Any:
            if type(value) is not str:
                return MISS
            return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)

        return as_given
    if path_type not in _PATH_TYPES:
        return None
    cls: type[pathlib.Path] = path_type

    def as_path(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if isinstance(value, cls):
            return coerce_cli_path(value, info, path_type=cls, param=param, ctx=ctx)
        # typer makes cls(value) with pydantic, checks it and returns it (or the resolved
        # path). For a value cls(value) keeps as it is ("x/" and "" are not: "x", "."),
        # checking the str itself is the same check, reported with the same value; "-"
        # is a dash only as a str.
        if type(value) is not str or (info.allow_dash and value == "-"):
            return MISS
        if str(cls(value)) != value:
            return MISS
        checked = coerce_cli_path(value, info, path_type=None, param=param, ctx=ctx)
        return cls(cast(str, checked))  # value, or its os.path.realpath (resolve_path)

    return as_path


def _leaf(annotation: Any, info: ParameterInfo) -> Fast | None:
    """The fast coercion of one value, in ``typer._adapters.build_leaf_adapter``'s order."""
    if info.parser is not None:
        return None
    if lenient_issubclass(annotation, Enum) or is_literal_type(annotation):
        return None
    if annotation is datetime:
        return None
    if annotation is int or annotation is float:
        return _number(annotation, info)
    if is_number_type(annotation):
        return None
    if annotation is bool or annotation is str:
        return _exact(annotation)
    if routes_to_path(annotation, info):
        return _path(annotation, info)
    return None


def _list(item: Fast) -> Fast:
    """``list[X]`` given a list or tuple: each item as X (typer's ``parse_list``)."""

    def fast(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if type(value) is not list and type(value) is not tuple:
            return MISS
        out = []
        for one in value:
            coerced = item(one, param, ctx)
            if coerced is MISS:
                return MISS
            out.append(coerced)
        return out

    return fast


def typer_now(annotation: Any, info: ParameterInfo) -> bool:
    """A number with bounds pydantic may refuse: typer's own param, built when typer
    builds it (typer's error then comes when typer raises it, also for no value)."""
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return (
        info.parser is None
        and (annotation is int or annotation is float)
        and not _plain_bounds(annotation, info)
    )


def fast_coercion(annotation: Any, info: ParameterInfo) -> Fast | None:
    """The fast path for a parameter, or None when every value needs typer's own."""
    origin = get_origin(annotation)
    if origin is list:
        item = _leaf(get_args(annotation)[0], info)
        return None if item is None else _list(item)
    if origin is not None:
        return None  # tuples, and anything else typer may route
    return _leaf(annotation, info)


if _TYPER_INTERNALS:

    class LazyRuntimeParam(RuntimeParam):
        """A runtime param whose typer original (and pydantic) is built on first need."""

        def __init__(self, descriptor: TypeDescriptor) -> None:
            super().__init__(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
            fast = fast_coercion(descriptor.annotation, descriptor.parameter_info)
            # frozen dataclass fields are parameter_info and annotation; these are not
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "fast", fast)
            object.__setattr__(self, "original", None)

        def typer_param(self) -> RuntimeParam:
            """typer's own runtime param for this parameter (built once)."""
            original: RuntimeParam | None = self.__dict__["original"]
            if original is None:
                original = _typer_coercion.build_runtime_param(self.__dict__["descriptor"])
                object.__setattr__(self, "original", original)
            return original

        def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
            fast: Fast | None = self.__dict__["fast"]
            if fast is not None:
                try:
                    result = fast(value, param, ctx)
                except (ValueError, AssertionError):
                    # pydantic turns these into its validation error: typer's message
                    result = MISS
                if result is not MISS:
                    return result
            return self.typer_param().coerce(value, param=param, ctx=ctx)

    def build_runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
        """``typer._coercion.build_runtime_param`` without importing pydantic."""
        if descriptor.file_annotation is not None:
            # typer's own, built as typer builds it (it needs no adapter)
            return FileRuntimeParam(
                annotation=descriptor.annotation,
                parameter_info=descriptor.parameter_info,
                file_annotation=descriptor.file_annotation,
            )
        if typer_now(descriptor.annotation, descriptor.parameter_info):
            return _typer_coercion.build_runtime_param(descriptor)
        return LazyRuntimeParam(descriptor)


def _names(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def _fields(cls: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _expected_typer() -> bool:
    """typer's internals are the ones this module mirrors (typer 0.29)."""
    if not _TYPER_INTERNALS:
        return False
    import typer

    if not str(getattr(typer, "__version__", "")).startswith(tuple(TYPER_VERSIONS)):
        return False
    try:
        info = OptionInfo()
        return (
            vars(_typer_core).get("build_runtime_param") is _typer_coercion.build_runtime_param
            and _names(_typer_coercion.build_runtime_param) == ["descriptor"]
            and callable(getattr(_typer_core._TyperParameter, "get_runtime_param", None))
            and _fields(TypeDescriptor) == ["annotation", "parameter_info", "file_annotation"]
            and _fields(RuntimeParam) == ["parameter_info", "annotation"]
            and _fields(FileRuntimeParam) == ["parameter_info", "annotation", "file_annotation"]
            and _names(RuntimeParam.coerce) == ["self", "value", "param", "ctx"]
            and _names(RuntimeParam._coerce_value) == ["self", "value", "param", "ctx"]
            and _names(coerce_cli_path) == ["value", "parameter_info", "path_type", "param", "ctx"]
            and all(
                hasattr(info, name)
                for name in ("parser", "min", "max", "clamp", "path_type", "allow_dash")
            )
        )
    except (AttributeError, TypeError, ValueError):
        return False


def install() -> bool:
    """Have typer build :class:`LazyRuntimeParam`; True when installed (now or before)."""
    if not _TYPER_INTERNALS:
        return False
    names = vars(_typer_core)  # where _TyperParameter.get_runtime_param looks it up
    if names.get("build_runtime_param") is build_runtime_param:
        return True
    if not _expected_typer():
        return False
    names["build_runtime_param"] = build_runtime_param
    return True
