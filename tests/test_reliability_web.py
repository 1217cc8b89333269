"""Web hardening: debug mode stays off, security headers on every status (errors included), no internals
leak on a server error, and over real HTTP (`bayon serve`, waitress): request size limits, raw path
traversal that no client library would send, and only GET/HEAD."""
from __future__ import annotations

import http.client
import logging
import socket

import pytest

from bench.http_fuzz import free_port, start_server
from indexer.search import SearchService
from webui import create_app

SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}


class BrokenService(SearchService):
    """A real service over the real index whose searches fail with an internal error (a bug stand-in)."""

    def search(self, request=None, **params):
        raise RuntimeError("internal detail /srv/secret-path")


def assert_hardened(response_headers, status):
    csp = response_headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, status
    assert "script-src 'self'" in csp
    for name, value in SECURITY_HEADERS.items():
        assert response_headers[name] == value, (status, name)


def test_debug_stays_off_even_with_flask_debug_set(monkeypatch, real_index_dir):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(service=BrokenService(real_index_dir))
    app.logger.setLevel(logging.CRITICAL)
    assert app.debug is False
    client = app.test_client()
    page = client.get("/search?q=rights")
    assert page.status_code == 500 and b"secret-path" not in page.data and b"Traceback" not in page.data
    api = client.get("/api/search?q=rights")
    assert api.status_code == 500 and api.get_json() == {"error": "Internal Server Error", "parameter": None}
    assert_hardened(api.headers, 500)


def test_security_headers_on_every_status(search_service, real_index_dir, tmp_path):
    app = create_app(service=search_service).test_client()
    broken = create_app(service=BrokenService(real_index_dir))
    broken.logger.setLevel(logging.CRITICAL)
    no_index = create_app(index_dir=tmp_path / "none")
    no_index.logger.setLevel(logging.CRITICAL)
    cases = [(app.get("/search?q=rights"), 200), (app.get("/api/search?page=0"), 400), (app.get("/search?page=0"), 400),
             (app.get("/no/such/page"), 404), (app.get("/api/documents/nope"), 404), (app.post("/search"), 405),
             (app.get("/api/search?q=" + "x" * 9000), 414), (no_index.test_client().get("/search"), 503),
             (no_index.test_client().get("/api/search"), 503), (broken.test_client().get("/search"), 500),
             (app.get("/static/style.css"), 200)]
    for response, status in cases:
        assert response.status_code == status
        assert_hardened(response.headers, status)


# --------------------------------------------------------------------------- over real HTTP
@pytest.fixture(scope="module")
def server(real_index_dir):
    port = free_port()
    proc = start_server(real_index_dir, port, threads=2)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def raw(port: int, request: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are; return status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock, method=request.split(b" ", 1)[0].decode())
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def get(port: int, target: bytes, extra: bytes = b"", method: bytes = b"GET") -> tuple[int, dict, bytes]:
    return raw(port, method + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra + b"\r\n")


def test_served_by_waitress_with_the_headers(server):
    status, headers, body = get(server, b"/search?q=rights")
    assert status == 200 and b"<mark>" in body
    assert headers["Server"] == "bayon" and "Werkzeug" not in str(headers)
    assert_hardened(headers, status)


def test_request_size_limits(server):
    status, _, _ = get(server, b"/api/search?q=rights", b"Content-Length: 10\r\n\r\n0123456789")
    assert status == 200  # a small body is ignored (GET only)
    big_body = b"x" * (20 * 1024)
    status, _, _ = get(server, b"/api/search?q=rights", b"Content-Length: %d\r\n\r\n" % len(big_body) + big_body)
    assert status == 413  # body cap: 16 kB
    status, _, body = get(server, b"/api/search?q=" + b"x" * 9000)
    assert status == 414 and b'"parameter":"q"' in body  # query-string cap: 8 kB, the app's clear message
    status, _, _ = get(server, b"/api/search?q=rights", b"X-Padding: " + b"y" * (20 * 1024) + b"\r\n")
    assert status == 431  # request line + headers cap: 16 kB (waitress)


@pytest.mark.parametrize("target", [
    b"/static/../webui/app.py", b"/static/%2e%2e/webui/app.py", b"/static/%2e%2e/app.py", b"/static/..%5capp.py",
    b"/static/%2e%2e%2f%2e%2e%2fpyproject.toml", b"/static/..\\..\\pyproject.toml", b"/static/style.css%00.py",
    b"/static/%00", b"/static/fonts/..%2f..%2f..%2fMakefile", b"/../../../etc/passwd", b"/..%2f..%2fetc%2fpasswd",
    b"/documents/..%2f..%2fpyproject.toml", b"/documents/%2e%2e%5c%2e%2e%5cMakefile", b"/documents/a%00b",
    b"/api/documents/%2e%2e%2f%2e%2e%2fMakefile", b"/api/documents/..\\..\\webui\\app.py", b"/api/documents/%00",
    b"/static/%252e%252e/app.py", b"/static/%c0%ae%c0%ae/app.py",
])
def test_raw_path_traversal_reaches_no_file(server, target):
    status, headers, body = get(server, target)
    assert 400 <= status < 500, (target, status)
    for leak in (b"root:", b"create_app", b"[project]", b"PYTHON ?=", b"import "):
        assert leak not in body, (target, leak)


def test_only_get_and_head(server):
    for method in (b"POST", b"PUT", b"DELETE", b"PATCH", b"TRACE"):
        status, headers, body = get(server, b"/search?q=x", b"Content-Length: 0\r\n", method=method)
        assert status == 405, method
        assert b"q=x" not in body  # TRACE never echoes the request
    status, headers, body = get(server, b"/search?q=rights", method=b"HEAD")
    assert status == 200 and body == b""
