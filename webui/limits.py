"""Connection limits and timeouts of `bayon serve` (waitress), and the request deadline waitress lacks.

waitress closes a connection only after `channel_timeout` seconds with no bytes at all, so a client
that sends one header line every few seconds keeps its connection (and, past `connection_limit`,
everyone else's chance to connect) for ever. `serve` therefore adds a request deadline: a request's
line, headers and body must arrive within `request_timeout` seconds of its first byte, else the
connection is closed. The maintenance pass that enforces both runs every `cleanup_interval` seconds.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from webui.security import MAX_CONTENT_LENGTH, MAX_QUERY_STRING

# A query longer than this (characters of `q`) is "long": its analysis, suggestions and highlighting
# cost up to hundreds of times a short query's. Long queries are searched `heavy_slots` at a time;
# one arriving while all slots are busy is answered at once with 429 and Retry-After, so that long
# queries can never hold every worker thread while short ones wait.
HEAVY_QUERY_CHARS = 200
RETRY_AFTER_SECONDS = 2
HEAVY_BUSY = "the server is busy with other long queries; retry in a moment or shorten the query"


@dataclass(frozen=True)
class ServeLimits:
    threads: int = 4  # worker threads running the app
    connection_limit: int = 1000  # open connections; past it waitress stops accepting (they queue in the backlog)
    channel_timeout: int = 20  # seconds a connection may stay silent (keep-alive idle included)
    request_timeout: int = 10  # seconds from a request's first byte to its last (line, headers, body)
    cleanup_interval: int = 2  # seconds between two passes closing silent or too slow connections
    backlog: int = 1024  # connections the kernel queues before waitress accepts them
    recv_bytes: int = 8192  # bytes read from a socket at once
    max_request_header_size: int = MAX_QUERY_STRING + 8 * 1024  # request line + headers: 431 beyond
    max_request_body_size: int = MAX_CONTENT_LENGTH  # 413 beyond (the UI is GET-only)
    heavy_slots: int = 1  # long queries (over HEAVY_QUERY_CHARS) searched at once; one more: 429 at once

    def waitress_options(self) -> dict:
        """Keyword arguments of `waitress.create_server` for these limits."""
        options = asdict(self)
        options.pop("request_timeout")
        options.pop("heavy_slots")
        # poll() rather than select(): select cannot watch more than 1,024 descriptors
        options["asyncore_use_poll"] = True
        return options


def create_server(app, limits: ServeLimits, **kw):
    """A waitress server for `app` with `limits`, enforcing the request deadline."""
    import waitress
    from waitress.channel import HTTPChannel

    class DeadlineChannel(HTTPChannel):
        """An HTTP channel that remembers when the request now arriving began."""

        request_started = 0.0

        def received(self, data):
            before = self.request
            result = super().received(data)
            if self.request is not None and self.request is not before:
                self.request_started = time.time()
            return result

    server = waitress.create_server(app, **limits.waitress_options(), **kw)
    server.channel_class = DeadlineChannel
    idle_maintenance = server.maintenance

    def maintenance(now):
        idle_maintenance(now)
        close_slow_requests(server.active_channels.values(), now, limits.request_timeout)

    server.maintenance = maintenance
    return server


def close_slow_requests(channels, now: float, request_timeout: float) -> int:
    """Mark for closing each channel whose incomplete request began more than `request_timeout`
    seconds before `now`; returns how many."""
    closed = 0
    for channel in list(channels):
        request = getattr(channel, "request", None)
        started = getattr(channel, "request_started", 0.0)
        if request is not None and not request.completed and started and now - started > request_timeout:
            channel.will_close = True
            closed += 1
    return closed


def public_base_url(value: str | None) -> str | None:
    """`value` checked as the site's public address (http or https, a host, ending in "/"); None
    stays None. Raises ValueError for anything else."""
    if value is None or not value.strip():
        return None
    from urllib.parse import urlsplit

    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"--base-url {value!r} is not an http(s) address such as https://search.example.org/")
    return value if value.endswith("/") else value + "/"


def install_heavy_query_gate(app, slots: int) -> None:
    """Let at most `slots` requests whose `q` is longer than HEAVY_QUERY_CHARS run at once; answer
    another one 429 (naming `q`, with Retry-After) without waiting. It sits in front of Flask (a
    WSGI wrapper), so a refusal costs a small fraction of a search: a client repeating long queries
    in a loop takes little from the worker threads."""
    app.wsgi_app = HeavyQueryGate(app.wsgi_app, slots)


class HeavyQueryGate:
    """WSGI middleware: the long-query slots (see install_heavy_query_gate)."""

    def __init__(self, wsgi_app, slots: int):
        import threading

        self.wsgi_app = wsgi_app
        self.slots = threading.BoundedSemaphore(slots)

    def __call__(self, environ, start_response):
        if not _long_query(environ.get("QUERY_STRING", "")):
            return self.wsgi_app(environ, start_response)
        if not self.slots.acquire(blocking=False):
            return _busy(environ, start_response)
        try:
            body = self.wsgi_app(environ, start_response)
        except BaseException:
            self.slots.release()
            raise
        return _Releasing(body, self.slots)


class _Releasing:
    """A response body that gives its slot back when the server closes it."""

    def __init__(self, body, slots):
        self.body, self.slots, self.released = body, slots, False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            if not self.released:
                self.released = True
                self.slots.release()


def _long_query(query_string: str) -> bool:
    """Whether the request's `q` (any of them) is longer than HEAVY_QUERY_CHARS once decoded."""
    if "q=" not in query_string or len(query_string) <= HEAVY_QUERY_CHARS:
        return False
    from urllib.parse import parse_qsl

    return any(name == "q" and len(value.strip()) > HEAVY_QUERY_CHARS
               for name, value in parse_qsl(query_string, keep_blank_values=True, errors="replace"))


def _busy(environ, start_response):
    import html
    import json

    from webui.security import HEADERS

    if environ.get("PATH_INFO", "").startswith("/api/"):
        body = json.dumps({"error": HEAVY_BUSY, "parameter": "q"}).encode()
        kind = "application/json"
    else:
        text = html.escape(HEAVY_BUSY)
        body = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>429 Too Many Requests · bayon'
                f'</title><h1>429 Too Many Requests</h1><p>q: {text}</p><p><a href="/">bayon</a></p></html>').encode()
        kind = "text/html; charset=utf-8"
    headers = [("Content-Type", kind), ("Content-Length", str(len(body))),
               ("Retry-After", str(RETRY_AFTER_SECONDS)), *HEADERS.items()]
    start_response("429 Too Many Requests", headers)
    return [body]
