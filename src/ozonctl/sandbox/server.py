"""The HTTP side: a keep-alive HTTP/1.1 server on stdlib threads, and ``SandboxServer``.

``SandboxServer`` is the Python API for tests and benchmarks::

    with SandboxServer(products=300, seed=1, port=0) as sb:
        httpx.post(sb.base_url + "/v3/product/list", headers=sb.headers, json={...})
        sb.shop        # the state (take ``sb.shop.lock`` to change it while serving)
        sb.requests    # the request log

Each connection gets a thread (``ThreadingHTTPServer``); handlers share one lock on the
shop, so the state is consistent. Responses go out in one ``send`` per request (two for
bodies over 64 KiB).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys
import threading
from collections.abc import Iterable
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .app import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, Answer, SandboxApp
from .faults import FaultPlan, FaultRule, parse_fault, parse_rule
from .shop import Shop

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8642
IDLE_TIMEOUT_S = 120.0
_REASONS = {s.value: s.phrase for s in HTTPStatus}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Fields(dict[str, str]):
    """Request headers by lower-case name; ``get`` takes any case."""

    def get(self, name: str, default: str = "", /) -> str:  # type: ignore[override]
        return super().get(name.lower(), default)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ozonctl-sandbox"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    server: _HTTPServer
    fields: _Fields
    raw_requestline: bytes

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def parse_request(self) -> bool:
        """The request line and headers, parsed lean (``http.server`` builds an
        ``email.message.Message`` per request, a third of the cost of a small call)."""
        self.command = ""
        self.request_version = "HTTP/0.9"
        self.close_connection = True
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.requestline = line
        words = line.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request line {line!r}")
            return False
        self.command, self.path, self.request_version = words
        fields = _Fields()
        while True:
            raw = self.rfile.readline(65_537)
            if len(raw) > 65_536 or len(fields) > 100:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("iso-8859-1").partition(":")
            fields[name.strip().lower()] = value.strip()
        self.fields = fields
        connection = fields.get("connection", "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if fields.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return True

    def _read_body(self) -> bytes:
        if "chunked" in self.fields.get("transfer-encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.fields.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self, method: str) -> None:
        body = self._read_body()
        host = self.fields.get("host") or self.server.authority
        answer = self.server.app.handle(method, self.path, self.fields, body, f"http://{host}")
        if answer.reset:
            self._reset()
            return
        self._send(answer)

    def _send(self, answer: Answer) -> None:
        head = (
            f"HTTP/1.1 {answer.status} {_REASONS.get(answer.status, 'Unknown')}\r\n"
            f"Content-Type: {answer.content_type}\r\n"
            f"Content-Length: {len(answer.body)}\r\n"
            f"x-o3-trace-id: {self.server.trace_id()}\r\n"
        ) + "".join(f"{name}: {value}\r\n" for name, value in answer.headers)
        if self.close_connection:
            head += "Connection: close\r\n"
        data = head.encode("latin-1") + b"\r\n"
        if len(answer.body) > 65_536:
            self.wfile.write(data)  # rather than copy megabytes to prepend a head
            self.wfile.write(answer.body)
        else:
            self.wfile.write(data + answer.body)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, answering nothing."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is ``/__sandbox/requests``."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._trace = 0
        self._trace_lock = threading.Lock()
        super().__init__(address, _Handler)
        host, port = str(self.server_address[0]), int(self.server_address[1])
        self.port = port
        self.authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up before its answer was written (the write failed with
        a broken pipe or a reset) is no fault of the sandbox: nothing is printed, and
        serving goes on. Anything else is printed as ``socketserver`` does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def trace_id(self) -> str:
        with self._trace_lock:
            self._trace += 1
            return f"{self.port:04x}{self._trace:028x}"

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._open_lock:
            self._open.add(conn)
        with self.app._lock:
            self.app.stats.connections += 1
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            open_now = list(self._open)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class SandboxServer:
    """A running sandbox: ``start()``/``stop()`` or a ``with`` block (background thread)."""

    def __init__(
        self,
        products: int = 300,
        seed: int = 1,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        rps: float | None = None,
        latency_ms: float = 0,
        today: date | str | None = None,
        faults: Iterable[str | FaultRule] = (),
        validate: bool = True,
        client_id: str = DEFAULT_CLIENT_ID,
        api_key: str = DEFAULT_API_KEY,
        shop: Shop | None = None,
        stock_pair_interval_s: float = 30.0,
        label_polls: int = 2,
    ) -> None:
        self.shop = shop or Shop(
            products,
            seed,
            today,
            stock_pair_interval_s=stock_pair_interval_s,
            label_polls=label_polls,
        )
        rules = [parse_rule(f) if isinstance(f, str) else f for f in faults]
        self.app = SandboxApp(
            self.shop,
            client_id=client_id,
            api_key=api_key,
            rps=rps,
            latency_ms=latency_ms,
            faults=FaultPlan(rules),
            validate=validate,
        )
        self.client_id = client_id
        self.api_key = api_key
        self._address = (host, port)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._serving = False

    # --- life cycle -----------------------------------------------------------------------

    def bind(self) -> SandboxServer:
        """Open the listening socket (clients can connect; answers start with ``serve``)."""
        if self._httpd is None:
            self._httpd = _HTTPServer(self._address, self.app)
        return self

    def start(self) -> SandboxServer:
        """Bind and serve in a daemon thread; returns at once."""
        httpd = self.bind()._httpd
        assert httpd is not None
        if self._thread is None:
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="ozonctl-sandbox",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until ``stop()`` is called from another one."""
        httpd = self.bind()._httpd
        assert httpd is not None
        self._serving = True
        httpd.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        """Stop serving, drop open connections, close the socket (safe to call twice)."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        if self._thread is not None or self._serving:
            httpd.shutdown()  # waits for the serving loop, so only when one runs
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- where and how to call it ---------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._bound()[0])

    @property
    def port(self) -> int:
        return int(self._bound()[1])

    def _bound(self) -> tuple[Any, ...]:
        if self._httpd is None:
            raise RuntimeError("the sandbox is not bound; call start() or use it in a with block")
        return tuple(self._httpd.server_address)

    @property
    def base_url(self) -> str:
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Client-Id": self.client_id, "Api-Key": self.api_key}

    # --- introspection --------------------------------------------------------------------

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The request log: method, path, body, status, client_id, time, fault."""
        return self.app.requests()

    def stats(self) -> dict[str, Any]:
        with self.app._lock:
            return self.app.stats.as_dict()

    def reset_log(self) -> None:
        self.app.reset_log()

    def add_fault(self, path: str, kind: str, count: int | None = None) -> None:
        """The first ``count`` calls to ``path`` (``*``: any) get fault ``kind``."""
        self.app.faults.add(FaultRule(path, parse_fault(kind), count))

    def clear_faults(self) -> None:
        self.app.faults.clear()
