"""Stand-in for ``ozonctl sandbox serve`` while that command does not exist yet: the same
``SandboxServer`` with the same flags and the same ``export`` lines. The harness uses it
only when ``ozonctl sandbox serve --help`` fails, and says so in the results."""

from __future__ import annotations

import argparse
import signal
import sys


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--today")
    p.add_argument("--products", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rps", type=float)
    args = p.parse_args()
    from ozonctl.sandbox import SandboxServer

    server = SandboxServer(
        args.products, args.seed, host="127.0.0.1", port=args.port, rps=args.rps, today=args.today
    ).bind()
    print(f"export OZON_API_URL={server.base_url}")
    print(f"export OZON_CLIENT_ID={server.client_id}")
    print(f"export OZON_API_KEY={server.api_key}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
