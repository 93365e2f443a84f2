"""Reply templates (``domain/templates.py``): a file the seller keeps, read and never
changed; placeholders filled; an unknown template, placeholder or missing value refused
in one line (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ozonctl.domain.templates import load, render
from ozonctl.errors import UsageError

TEXT = 'hi = "Здравствуйте, {buyer}! {{скидка}} на {product}"\n[later]\ntext = "Заказ {order}"\n'


def test_filled_and_the_file_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert render(path, "hi", {"buyer": "王芳", "product": "Чайник"}) == (
        "Здравствуйте, 王芳! {скидка} на Чайник"
    )
    assert render(path, "later", {"order": "123-4"}) == "Заказ 123-4"
    assert path.read_text(encoding="utf-8") == TEXT
    assert load(tmp_path / "absent.toml") == {}


@pytest.mark.parametrize(
    ("text", "name", "values", "said"),
    [
        (TEXT, "nope", {}, "no template 'nope'"),
        (TEXT, "hi", {"buyer": "", "product": "x"}, "{buyer}, but this item has none"),
        ('x = "Привет, {name}"\n', "x", {}, "uses {name}, which ozonctl does not know"),
        ('x = "Привет, {buyer"\n', "x", {"buyer": "a"}, "template 'x'"),
        ("x = 3\n", "x", {}, "must be a string"),
    ],
)
def test_refused_in_one_line(
    tmp_path: Path, text: str, name: str, values: dict[str, str], said: str
) -> None:
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        render(path, name, values)
    assert said in str(caught.value) and "\n" not in caught.value.message
