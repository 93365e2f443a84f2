"""``promo list`` on a terminal (issue 18): start, end and freeze times in the seller's
time zone, the zone named in the header; pipes and JSON keep ISO 8601 with the offset."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from ozonctl.cli.output import Output
from ozonctl.client.models.promos import Action
from ozonctl.commands.promo.listing import LIST_COLUMNS, action_row, rules_text


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


ACTION = Action.model_validate(
    {
        "id": 71001,
        "title": "Распродажа",
        "action_type": "DISCOUNT",
        "date_start": "2026-11-30T21:00:00Z",
        "date_end": "2026-12-14T20:59:59Z",
        "freeze_date": "2026-12-10T21:00:00Z",
    }
)
MOSCOW = ZoneInfo("Europe/Moscow")


def test_promo_list_shows_times_in_the_sellers_zone_named_in_the_header() -> None:
    out = Tty()
    Output(stdout=out, stderr=io.StringIO(), zone=lambda: MOSCOW, no_color=True).rows(
        LIST_COLUMNS, [action_row(ACTION)]
    )
    text = out.getvalue()  # a table, or "Header: value" lines where it does not fit
    assert "Start (MSK)" in text and "End (MSK)" in text and "Freeze (MSK)" in text
    assert "2026-12-01 00:00" in text and "2026-12-14 23:59" in text
    assert "2026-12-11 00:00" in text
    pipe = io.StringIO()
    Output(stdout=pipe, stderr=io.StringIO(), zone=lambda: MOSCOW).rows(
        LIST_COLUMNS, [action_row(ACTION)]
    )
    assert "2026-11-30T21:00:00+00:00" in pipe.getvalue()


def test_promo_show_rules_name_the_freeze_time_in_the_sellers_zone() -> None:
    assert any("2026-12-11 00:00 MSK" in line for line in rules_text(ACTION, MOSCOW))
