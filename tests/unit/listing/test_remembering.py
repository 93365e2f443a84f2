"""``remembering``: the index is marked and written while the body runs, and waited for."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from ozonctl.catalog import index as index_module
from ozonctl.catalog.index import CatalogEntry, CatalogIndex
from ozonctl.commands.listing.archive import remembering
from ozonctl.domain.product_outcome import Outcome


def _index(path: Path) -> CatalogIndex:
    CatalogIndex.from_entries(
        [
            CatalogEntry(10, "A-1", 501, "one", False, dt.date(2025, 1, 2)),
            CatalogEntry(20, "B-2", 502, "two", False, None),
            CatalogEntry(30, "C-3", 503, "three", True, None),
        ],
        refreshed=dt.datetime(2026, 11, 27, tzinfo=dt.UTC),
    ).write(path)
    return CatalogIndex.read(path)


def _outcomes(index: CatalogIndex) -> list[Outcome]:
    a, b, c = (index.by_offer(t) for t in ("A-1", "B-2", "C-3"))
    assert a and b and c
    return [Outcome(a, "archived"), Outcome(b, "failed", "no"), Outcome(c, "unchanged")]


def test_the_write_runs_beside_the_body_and_is_done_on_leaving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index.toml"
    index = _index(path)
    started, release = threading.Event(), threading.Event()
    real = index_module.atomic_write_bytes

    def slow_write(target: Path, data: bytes, *, mode: int = 0o644) -> None:
        started.set()
        assert release.wait(5)
        real(target, data, mode=mode)

    monkeypatch.setattr(index_module, "atomic_write_bytes", slow_write)
    with remembering(index, _outcomes(index), True):
        assert started.wait(5)  # the write has begun while the body runs …
        assert CatalogIndex.read(path).archived == [False, False, True]  # … not finished
        release.set()
    # … and is finished when the block is left: archived and unchanged marked, failed not
    assert CatalogIndex.read(path).archived == [True, False, True]


def test_a_failed_write_is_raised_after_the_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _index(tmp_path / "index.toml")

    def no_space(target: Path, data: bytes, *, mode: int = 0o644) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_module, "atomic_write_bytes", no_space)
    body_ran = False
    with pytest.raises(OSError, match="No space"), remembering(index, _outcomes(index), True):
        body_ran = True
    assert body_ran


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "index.toml"
    index = _index(path)
    before = path.stat().st_mtime_ns
    a = index.by_offer("A-1")
    assert a is not None
    with remembering(index, [Outcome(a, "failed", "no")], True):
        pass
    assert path.stat().st_mtime_ns == before


def test_the_index_is_parsed_again_only_when_its_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index.toml"
    index = _index(path)
    reads: list[Path] = []
    real = CatalogIndex.read.__func__  # type: ignore[attr-defined]

    def counting(cls: type[CatalogIndex], where: Path) -> CatalogIndex:
        reads.append(where)
        return real(cls, where)

    monkeypatch.setattr(CatalogIndex, "read", classmethod(counting))
    # the file is the one it was read from: no second parse of 100,000 products
    assert index.as_stored() is index
    assert reads == []
    # another run wrote it meanwhile (an atomic write: a new file): its changes are read
    other = CatalogIndex.read(path)
    other.mark_archived([20], True)
    other.write()
    reads.clear()
    again = index.as_stored()
    assert reads == [path] and again is not index
    assert again.archived == [False, True, True]
    # changed in memory and not written: no longer what the file holds
    again.mark_archived([10], True)
    assert again.as_stored().archived == [False, True, True]
    with remembering(index, _outcomes(index), True):
        pass
    assert CatalogIndex.read(path).archived == [True, True, True]  # both runs' changes


class _Unread(list[str]):
    """A column that fails when it is gone through."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged column was joined again")


def test_marking_archived_writes_back_the_other_columns_as_read(tmp_path: Path) -> None:
    """An archive changes one column of 100,000 rows: the others are written back as
    the file held them, not joined again (the same bytes as a full write)."""
    path = tmp_path / "index.toml"
    index = _index(path)
    index.mark_archived([10], True)
    expected = CatalogIndex.from_entries(index, refreshed=index.refreshed)
    expected.write(tmp_path / "expected.toml")
    names, offers = index.names, index.offer_ids
    index.names, index.offer_ids = _Unread(names), _Unread(offers)
    index.write()
    assert path.read_bytes() == (tmp_path / "expected.toml").read_bytes()
    back = CatalogIndex.read(path).by_offer("A-1")
    assert back is not None and back.archived and back.name == "one"
    index.names, index.offer_ids = names, offers
    # a product added: every column is joined again
    index.add([CatalogEntry(40, "D-4", 504, "four", False, None)])
    index.write()
    assert CatalogIndex.read(path).by_offer("D-4") is not None
