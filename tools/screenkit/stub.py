"""A stub back end on 127.0.0.1 (standard library only): build output plus JSON routes.

A ``Mount`` serves one app under a path prefix: its JSON routes first, then files of its build
output, then what the app's real server does with anything else (``fallback``: e.g. the
dashboard answers ``index.html`` for every other path and a JSON 404 under ``/api``). Routes
are ``(method, regex, handler)``; a handler gets the match, the query and the current data
view and returns ``(status, body)`` (sent as JSON), a ready ``Response`` (e.g. an SVG), or None
to let the next route or the files answer. The runner switches the data view between shots
(``StubServer.data``), so one server answers every scenario.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

Handler = Callable[[re.Match, dict[str, list[str]], dict], "tuple[int, Any] | Response"]
Fallback = Callable[[str, str], tuple[int, Any] | None]

mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("image/svg+xml", ".svg")


@dataclass
class Route:
    method: str
    pattern: re.Pattern
    handler: Handler
    with_body: bool = False  # the handler also gets the request: (match, query, data, Request)

    @classmethod
    def get(cls, regex: str, handler: Handler) -> "Route":
        return cls("GET", re.compile(regex + r"\Z"), handler)

    @classmethod
    def post(cls, regex: str, handler) -> "Route":
        """A POST route; its handler gets the request body and headers as a 4th argument."""
        return cls("POST", re.compile(regex + r"\Z"), handler, with_body=True)


@dataclass
class Request:
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


@dataclass
class Mount:
    prefix: str  # "/" or "/jupyter/"
    static_dir: Path | None
    routes: list[Route] = field(default_factory=list)
    # (method, path) -> response for paths no route or file answers; None means 404 text
    fallback: Fallback | None = None


class Response:
    """A file or JSON body with its status and type."""

    def __init__(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None):
        self.status, self.body, self.content_type = status, body, content_type
        self.headers = headers or {}


def json_response(status: int, value: Any) -> Response:
    body = json.dumps(value, ensure_ascii=False, sort_keys=False).encode("utf-8")
    return Response(status, body, "application/json; charset=utf-8")


def file_response(path: Path) -> Response:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(200, path.read_bytes(), kind)


def bytes_response(name: str, body: bytes, status: int = 200) -> Response:
    """``body`` served with the type its file ``name`` implies (e.g. a logo held in a ConfigMap)."""
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(status, body, kind)


class StubServer:
    """ThreadingHTTPServer on 127.0.0.1 with the given mounts; ``requests`` logs every path."""

    def __init__(self, mounts: list[Mount], data: dict | None = None, host: str = "127.0.0.1", port: int = 0):
        self.mounts = sorted(mounts, key=lambda mount: len(mount.prefix), reverse=True)
        self.data = data or {}
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        stub = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.rfile.read(length) if length else b"",
                                  {name.lower(): value for name, value in self.headers.items()})
                response = stub.respond(self.command, self.path, request)
                with stub._lock:
                    stub.requests.append((self.command, self.path, response.status))
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = _answer

            def log_message(self, *args) -> None:  # quiet: the runner reports
                pass

        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, method: str, raw_path: str, request: Request | None = None) -> Response:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        for mount in self.mounts:
            if not (path == mount.prefix.rstrip("/") or path.startswith(mount.prefix)):
                continue
            for route in mount.routes:
                match = route.pattern.match(path)
                if match and route.method == method:
                    if route.with_body:
                        answer = route.handler(match, query, self.data, request or Request())
                    else:
                        answer = route.handler(match, query, self.data)
                    if answer is None:  # the route declines: try the next, then the files
                        continue
                    if isinstance(answer, Response):  # a file or text the app serves as it is
                        return answer
                    return json_response(*answer)
            if method in ("GET", "HEAD") and mount.static_dir is not None:
                relative = path[len(mount.prefix):] if path.startswith(mount.prefix) else ""
                candidate = (mount.static_dir / relative).resolve()
                inside = candidate == mount.static_dir.resolve() or mount.static_dir.resolve() in candidate.parents
                if relative and inside and candidate.is_file():
                    return file_response(candidate)
            if mount.fallback is not None:
                answer = mount.fallback(method, path)
                if isinstance(answer, Response):
                    return answer
                if answer is not None:
                    return json_response(*answer)
            break
        return Response(404, b"Not Found\n", "text/plain; charset=utf-8")

    def start(self) -> "StubServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "StubServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
