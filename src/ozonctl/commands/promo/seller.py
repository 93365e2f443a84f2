"""``promo pause`` / ``promo resume``: turn one of the seller's own promotions off or on
(``/v1/seller-actions/change-activity``). Idempotent: a promotion already in the asked
state is left alone and no write is sent."""

from __future__ import annotations

from typing import Annotated

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.promo.common import new_op
from ozonctl.errors import UsageError

IdArg = Annotated[
    int,
    typer.Argument(metavar="ID", help="The id of your promotion (see `promo list --type own`)."),
]


def _switch(action_id: int, turn_on: bool) -> None:
    ctx = app_context()
    client = ctx.client()
    verb = "resume" if turn_on else "pause"
    found = next(
        (s for s in client.promos.seller_actions([action_id]) if s.action_id == action_id), None
    )
    if found is None:
        hint = "see `ozonctl promo list --type own`"
        if client.promos.get_action(action_id) is not None:
            hint = f"Ozon's promotions are not paused; `ozonctl promo leave {action_id}` leaves"
        raise UsageError(f"no promotion {action_id} of yours", hint=hint)
    status = found.action_parameters.status
    if turn_on and status == "ENDED":
        raise UsageError(f"promotion {action_id} has ended; it cannot be turned on again")
    data = {
        "id": action_id,
        "title": found.title,
        "status": status,
        "was_on": found.is_turn_on,
        "is_turn_on": found.is_turn_on,
        "changed": found.is_turn_on != turn_on,
    }
    name = f"«{found.title}» ({action_id})" if found.title else str(action_id)
    if not data["changed"]:
        ctx.output.info(f"{name} is already {'on' if turn_on else 'off'}; nothing sent")
    elif ctx.dry_run:
        data["changed"] = False
        ctx.output.info(f"dry run: would {verb} {name}; nothing was sent")
    else:
        ctx.confirm(f"{verb.capitalize()} {name}?")
        with ctx.lock(f"promo {verb} {action_id}"):
            op = new_op(
                ctx,
                verb,
                writes=["seller_actions.change_activity"],
                action_id=action_id,
                title=found.title,
            )
            client.promos.change_activity(action_id, turn_on)
            op.update(status="done", products=found.sku_count)
        ctx.output.success(f"{name} is {'on' if turn_on else 'off'} now")

    data["is_turn_on"] = turn_on if data["changed"] else found.is_turn_on

    def human() -> None:
        ctx.output.stdout.write(f"{action_id}\t{'on' if data['is_turn_on'] else 'off'}\n")

    ctx.output.document(data, human=human)


def pause(action_id: IdArg) -> None:
    """Turn one of your own promotions off."""
    _switch(action_id, False)


def resume(action_id: IdArg) -> None:
    """Turn one of your own promotions back on."""
    _switch(action_id, True)
