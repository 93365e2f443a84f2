"""One module (or package) per command group; each exposes ``app: typer.Typer``.

Command modules import only typer and light helpers at the top; the client, pydantic
models and rich tables are imported inside the commands, so ``--help`` stays fast.
"""
