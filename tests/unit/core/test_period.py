"""One period vocabulary (issue 18): ``--from``/``--to`` with a date, an ISO date-time or
a time ago, ``--month YYYY-MM``, on every command that takes a period; the old
``--since`` stays as a hidden alias."""

from __future__ import annotations

import datetime as dt

import pytest
from cli_tree import commands, options

from ozonctl.cli import period
from ozonctl.errors import UsageError


def test_every_form_of_a_moment() -> None:
    now = period.now_utc()
    assert period.moment("2026-11-01", "--from") == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert period.moment("2026-11-01", "--to", end_of_day=True) == dt.datetime(
        2026, 11, 1, 23, 59, 59, tzinfo=dt.UTC
    )
    assert period.moment("2026-11-01T08:00:00+03:00", "--from") == dt.datetime(
        2026, 11, 1, 5, tzinfo=dt.UTC
    )
    assert period.moment("2026-11-01T08:00:00Z", "--from").utcoffset() == dt.timedelta(0)
    for text, ago in (("7d", dt.timedelta(days=7)), ("24h", dt.timedelta(hours=24))):
        assert abs(period.moment(text, "--from") - (now - ago)) < dt.timedelta(seconds=5)
    assert abs(period.moment("2w", "--from") - (now - dt.timedelta(weeks=2))) < dt.timedelta(
        seconds=5
    )
    assert period.day("2w", "--from") == (now - dt.timedelta(weeks=2)).date()


def test_a_month_is_its_first_to_its_last_day() -> None:
    assert period.month("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    first, last = period.moments(None, None, "2026-11")
    assert first == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert last == dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "args",
    [
        ("yesterday", None, None),
        (None, None, "2026-13"),
        ("2026-11-01", None, "2026-11"),
        ("2026-11-05", "2026-11-01", None),
    ],
)
def test_bad_periods_are_usage_errors(args: tuple[str | None, str | None, str | None]) -> None:
    with pytest.raises(UsageError):
        period.moments(*args)


def test_from_and_its_old_name_together_are_refused() -> None:
    with pytest.raises(UsageError, match="same option"):
        period.moments("7d", None, None, since="3d")
    assert period.moments(None, None, None, since="2026-11-01")[0] == dt.datetime(
        2026, 11, 1, tzinfo=dt.UTC
    )


PERIOD_COMMANDS = {
    ("order", "list"),
    ("order", "returns"),
    ("order", "history"),
    ("review", "list"),
    ("payout", "transactions"),
    ("payout", "totals"),
    ("payout", "cashflow"),
    ("payout", "balance"),
    ("promo", "history"),
    ("promo", "impact"),
    ("listing", "history"),
}


def test_every_command_with_a_period_takes_from_to_and_month() -> None:
    taking = {}
    for path, command in commands():
        names = options(command)
        assert "--since" not in names, f"{path}: --since is the hidden old name of --from"
        if names & {"--from", "--to", "--month"}:
            taking[path] = names
    assert set(taking) >= PERIOD_COMMANDS
    for path, names in taking.items():
        if path in {("payout", "report"), ("payout", "summary")}:
            assert names & {"--from", "--to"} == set(), path  # monthly reports: --month only
            continue
        assert {"--from", "--to", "--month"} <= names, path
