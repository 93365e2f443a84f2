"""``_common.outcome_row``: the one way a write's outcome is printed (order
cancel-requests and rfbs-returns, review/question/chat writes): the whole document with
--json, else one row of the named keys."""

from __future__ import annotations

import io
import json

from ozonctl.cli.output import Output
from ozonctl.commands.order._common import outcome_row

DOC = {
    "return_id": 7,
    "posting_number": "1-2-3",
    "action": "approve",
    "outcome": "done",
    "state": "WAITING_FOR_PRODUCT",
    "journal_ref": "r1",
}
KEYS = ("return_id", "posting_number", "action", "outcome", "state", "absent")


def test_a_pipe_gets_one_row_of_the_keys_in_order() -> None:
    out = io.StringIO()
    outcome_row(Output(stdout=out, stderr=io.StringIO()), DOC, KEYS)
    assert out.getvalue() == "7\t1-2-3\tapprove\tdone\tWAITING_FOR_PRODUCT\t\n"


def test_json_gets_the_whole_document() -> None:
    out = io.StringIO()
    outcome_row(Output(json_mode=True, stdout=out, stderr=io.StringIO()), DOC, KEYS)
    assert json.loads(out.getvalue()) == DOC
