"""The docs site builds with no warnings (`mkdocs build --strict`), as CI requires."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None,
    reason="mkdocs and mkdocs-material are not installed (pip install -e '.[dev]')",
)
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    problems = [line for line in out.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert out.returncode == 0 and not problems, out.stderr[-4000:]
    for page in ("index.html", "getting-started/index.html", "reference/index.html"):
        assert (tmp_path / page).is_file(), page
    html = (tmp_path / "reference" / "promo" / "index.html").read_text(encoding="utf-8")
    assert 'id="ozonctl-promo-leave"' in html
