"""Reply templates: a TOML file the seller keeps (``templates`` in config.toml, else
``templates.toml`` in ozonctl's config folder), one text per name, with placeholders
filled from the item being answered.

    thanks = "Здравствуйте, {buyer}! Спасибо за отзыв о «{product}»."
    [when]
    text = "Заказ {posting} отправим сегодня."

A name holds a string, or a table with ``text`` (room for more keys later). Placeholders
are ``{buyer}`` (the buyer's name, where Ozon gives it: questions), ``{product}`` (the
product's name), ``{sku}``, ``{posting}`` (the posting of a chat, where known) and
``{order}``; ``{{`` and ``}}`` are literal braces. An unknown template or placeholder,
or one the item has no value for, is one line and exit 2: nothing is sent with a hole in
it. ozonctl only reads the file; it never writes or moves it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path

from ozonctl.errors import UsageError

PLACEHOLDERS = ("buyer", "product", "sku", "posting", "order")
DEFAULT_NAME = "templates.toml"


def load(path: Path) -> dict[str, str]:
    """The file's templates by name (``{}`` when it does not exist)."""
    from ozonctl.state.files import read_user_toml

    raw = read_user_toml(path)
    found: dict[str, str] = {}
    for name, value in raw.items():
        text = value.get("text") if isinstance(value, dict) else value
        if not isinstance(text, str):
            raise UsageError(
                f'{path}: template {name!r} must be a string or a table with text = "…"',
                hint="fix the file; ozonctl left it as it is",
            )
        placeholders(name, text, path)
        found[str(name)] = text
    return found


def placeholders(name: str, text: str, path: Path | str = "") -> list[str]:
    """The placeholders ``text`` uses; an unknown one (or a stray brace) is exit 2."""
    where = f"{path}: " if path else ""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise UsageError(
            f"{where}template {name!r}: {exc}", hint="write a literal brace as {{ or }}"
        ) from None
    for f in fields:
        if f not in PLACEHOLDERS:
            raise UsageError(
                f"{where}template {name!r} uses {{{f}}}, which ozonctl does not know",
                hint="placeholders: " + ", ".join("{" + p + "}" for p in PLACEHOLDERS),
            )
    return fields


def render(path: Path, name: str, values: Mapping[str, object]) -> str:
    """Template ``name`` of the file, filled with ``values`` (missing or empty values are
    exit 2, naming the placeholder)."""
    templates = load(path)
    if name not in templates:
        known = ", ".join(sorted(templates)) or f"none: {path} has no templates"
        raise UsageError(
            f"no template {name!r} in {path}",
            hint=f"known: {known}" if templates else f"write one into {path}",
        )
    text = templates[name]
    for f in placeholders(name, text, path):
        if values.get(f) in (None, ""):
            raise UsageError(
                f"template {name!r} uses {{{f}}}, but this item has none; nothing was sent",
                hint="use --text, or a template without it",
            )
    return text.format_map({k: str(v) for k, v in values.items() if v not in (None, "")})
