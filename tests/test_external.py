"""Opt-in external link checking (kfguide.checks.external) against a local HTTP server on 127.0.0.1.

Nothing here contacts another host: every URL is on the test server, except search-engine and
skipped URLs, for which the tests assert that no request is made at all.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from kfguide.checks.external import Checker, Settings, check_urls, is_search_redirect


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def do_HEAD(self):
        self._route(body=False)

    def do_GET(self):
        self._route(body=True)

    def _send(self, status, headers=(), body=False):
        self._leave()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def _route(self, body):
        srv = self.server
        path = self.path
        with srv.lock:
            srv.hits[(self.command, path)] += 1
            n = srv.hits[("HEAD", path)] + srv.hits[("GET", path)]
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        self._left = False
        try:
            if path == "/ok":
                self._send(200, body=body)
            elif path == "/missing":
                self._send(404, body=body)
            elif path == "/flaky":  # 500 on the first request, then 200
                self._send(500 if n == 1 else 200, body=body)
            elif path == "/ratelimit":  # 429 with Retry-After on the first request
                self._send(429, [("Retry-After", "0")], body) if n == 1 else self._send(200, body=body)
            elif path == "/down":
                self._send(503, body=body)
            elif path == "/slow":
                time.sleep(1.5)
                self._send(200, body=body)
            elif path == "/nohead":
                self._send(405 if self.command == "HEAD" else 200, body=body)
            elif path == "/moved":
                self._send(301, [("Location", "/ok")], body)
            elif path == "/temporary":
                self._send(302, [("Location", "/ok")], body)
            elif path == "/moved-to-missing":
                self._send(308, [("Location", "/missing")], body)
            elif path == "/loop":
                self._send(302, [("Location", "/loop")], body)
            elif path.startswith("/busy/"):
                time.sleep(0.15)
                self._send(200, body=body)
            else:
                self._send(404, body=body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)
        finally:
            self._leave()

    def _leave(self):
        # A request stops counting as active just before its response leaves. The client frees
        # its per-host slot once it has read the response, so a count that ran until this
        # handler thread finished could overlap the client's next request and exceed a limit
        # the client really kept (seen once: 5 active with per_host=4).
        if not self._left:
            self._left = True
            with self.server.lock:
                self.server.active -= 1


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: Counter = Counter()
        self.active = 0
        self.max_active = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())

    def handle_error(self, request, client_address):  # a client that timed out is not an error
        pass


@pytest.fixture
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def fast(tmp_path=None, **kwargs) -> Settings:
    """Settings for tests: loopback allowed, short timeouts and backoff, cache in tmp_path."""
    base = dict(connect_timeout=2, read_timeout=2, retries=2, backoff=0.01, max_backoff=0.05,
                skip_hosts=(), cache_path=(tmp_path / "external.json") if tmp_path else None)
    base.update(kwargs)
    return Settings(**base)


def by_check(findings):
    return {(f.path, f.line, f.check) for f in findings}


def test_ok_page_and_temporary_redirect_give_no_finding(server, tmp_path):
    findings = check_urls([(server.base + "/ok", "a.md", 3), (server.base + "/temporary#part", "a.md", 4)], fast(tmp_path))
    assert findings == []
    assert server.hits[("HEAD", "/ok")] == 2  # once directly, once at the end of the redirect


def test_404_is_broken_and_every_occurrence_is_reported(server, tmp_path):
    url = server.base + "/missing"
    findings = check_urls([(url, "a.md", 3), (url + "#x", "b.md", 9)], fast(tmp_path))
    assert by_check(findings) == {("a.md", 3, "link-external-broken"), ("b.md", 9, "link-external-broken")}
    assert "HTTP 404" in findings[0].message and findings[0].severity == "error"
    assert server.hits[("HEAD", "/missing")] == 1  # one request per distinct URL, no retry on 404


def test_500_then_200_is_retried_and_passes(server, tmp_path):
    checker = Checker(fast(tmp_path))
    assert check_urls([(server.base + "/flaky", "a.md", 1), (server.base + "/ratelimit", "a.md", 2)], checker=checker) == []
    assert server.hits[("HEAD", "/flaky")] == 2 and server.hits[("HEAD", "/ratelimit")] == 2


def test_persistent_5xx_gives_up_after_the_retries(server, tmp_path):
    findings = check_urls([(server.base + "/down", "a.md", 5)], fast(tmp_path, retries=2))
    assert by_check(findings) == {("a.md", 5, "link-external-broken")}
    assert "HTTP 503" in findings[0].message and "after 3 attempts" in findings[0].message
    assert server.hits[("HEAD", "/down")] == 3


def test_slow_endpoint_times_out(server, tmp_path):
    started = time.monotonic()
    findings = check_urls([(server.base + "/slow", "a.md", 7)], fast(tmp_path, read_timeout=0.3, retries=1))
    elapsed = time.monotonic() - started
    assert by_check(findings) == {("a.md", 7, "link-external-broken")}
    assert "timed out" in findings[0].message
    assert server.hits[("HEAD", "/slow")] == 2
    assert elapsed < 1.4  # the 1.5 s answer was not awaited


def test_refused_connection_is_broken(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    findings = check_urls([(f"http://127.0.0.1:{port}/", "a.md", 2)], fast(tmp_path, retries=1))
    assert by_check(findings) == {("a.md", 2, "link-external-broken")}
    assert "connection refused" in findings[0].message


def test_head_405_falls_back_to_get(server, tmp_path):
    assert check_urls([(server.base + "/nohead", "a.md", 1)], fast(tmp_path)) == []
    assert server.hits[("HEAD", "/nohead")] == 1 and server.hits[("GET", "/nohead")] == 1


def test_permanent_redirect_is_a_warning_and_redirect_to_404_is_broken(server, tmp_path):
    findings = check_urls([(server.base + "/moved", "a.md", 1), (server.base + "/moved-to-missing", "a.md", 2),
                           (server.base + "/loop", "a.md", 3)], fast(tmp_path))
    assert by_check(findings) == {("a.md", 1, "link-external-redirect"), ("a.md", 2, "link-external-broken"),
                                  ("a.md", 3, "link-external-broken")}
    moved = [f for f in findings if f.line == 1][0]
    assert moved.severity == "warning" and moved.hint == f"link {server.base}/ok directly"
    assert "redirects" in [f for f in findings if f.line == 3][0].message
    no_warn = check_urls([(server.base + "/moved", "a.md", 1)], fast(report_redirects=False))
    assert no_warn == []


def test_second_run_uses_the_cache_and_makes_no_request(server, tmp_path):
    items = [(server.base + p, "a.md", i) for i, p in enumerate(["/ok", "/moved", "/missing", "/nohead"], 1)]
    first = check_urls(items, fast(tmp_path))
    before = server.total()
    assert before >= 5
    cache = json.loads((tmp_path / "external.json").read_text("utf-8"))
    assert set(cache["urls"]) == {u for u, _, _ in items}
    checker = Checker(fast(tmp_path))
    second = check_urls(items, checker=checker)
    assert second == first
    assert checker.requests == 0 and server.total() == before
    # an expired entry is fetched again
    expired = Checker(fast(tmp_path, ttl=0))
    check_urls(items[:1], checker=expired)
    assert expired.requests == 1


def test_transient_failures_are_not_cached(server, tmp_path):
    check_urls([(server.base + "/down", "a.md", 1)], fast(tmp_path, retries=0))
    checker = Checker(fast(tmp_path, retries=0))
    check_urls([(server.base + "/down", "a.md", 1)], checker=checker)
    assert checker.requests == 1


def test_damaged_cache_is_ignored(server, tmp_path):
    (tmp_path / "external.json").write_text("{not json", "utf-8")
    assert check_urls([(server.base + "/ok", "a.md", 1)], fast(tmp_path)) == []


@pytest.mark.parametrize("per_host", [2, 4])
def test_per_host_limit_is_respected(server, per_host):
    items = [(f"{server.base}/busy/{i}", "a.md", i) for i in range(12)]
    assert check_urls(items, fast(per_host=per_host, workers=8)) == []
    assert server.max_active <= per_host
    assert server.max_active == per_host  # the limit, not the workers, bounded concurrency


def test_search_redirects_and_skipped_hosts_are_never_fetched():
    for url in ["https://www.google.com/search?q=scikit-learn", "https://www.google.com/url?q=https://scikit-learn.org",
                "https://www.bing.com/search?q=kubeflow", "https://duckduckgo.com/?q=kubeflow",
                "https://search.naver.com/search.naver?query=kubeflow"]:
        assert is_search_redirect(url), url
    for url in ["https://scikit-learn.org/stable/", "https://www.google.com/", "https://github.com/search-ui"]:
        assert not is_search_redirect(url), url
    checker = Checker(Settings(cache_path=None))
    items = [("https://www.google.com/search?q=scikit-learn", "a.md", 1), ("http://localhost:8080", "a.md", 2),
             ("mailto:someone@example.com", "a.md", 3), ("https://example.com/x", "a.md", 4)]
    assert check_urls(items, checker=checker) == []
    assert checker.requests == 0


def _run_cli(docs: Path, tmp_path: Path, *args: str, **env: str):
    full = {k: v for k, v in os.environ.items() if not k.startswith("KFGUIDE_") and k != "GITHUB_ACTIONS"}
    full.update(PYTHONPATH=str(ROOT), KFGUIDE_EXTERNAL_CACHE=str(tmp_path / "cache.json"),
                KFGUIDE_EXTERNAL_SKIP_HOSTS="", **env)
    return subprocess.run([sys.executable, "-m", "kfguide", "check", "--docs", str(docs), "--report",
                           str(tmp_path / "r.json"), *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=120)


def test_cli_is_offline_by_default_and_checks_with_the_flag_or_env(server, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        f"# 홈\n\n[공식 문서]({server.base}/ok)\n\n[없는 페이지]({server.base}/missing)\n\n"
        "[검색](https://www.google.com/search?q=Scikit-Learn)\n", "utf-8")
    offline = _run_cli(docs, tmp_path)
    assert server.total() == 0
    assert "index.md:7: [link-search-redirect]" in offline.stdout  # flagged without fetching
    assert "link-external" not in offline.stdout
    online = _run_cli(docs, tmp_path, "--external")
    assert online.returncode == 1
    assert "index.md:5: [link-external-broken]" in online.stdout and "index.md:3:" not in online.stdout
    assert server.hits[("HEAD", "/ok")] == 1 and server.hits[("HEAD", "/missing")] == 1
    by_env = _run_cli(docs, tmp_path, KFGUIDE_EXTERNAL="1")
    assert "index.md:5: [link-external-broken]" in by_env.stdout
    assert server.hits[("HEAD", "/ok")] == 1  # cached from the previous run
    assert server.hits[("HEAD", "/missing")] == 1  # 404 is a definite answer: cached too


def test_settings_from_env(tmp_path):
    s = Settings.from_env(tmp_path, env={})
    assert s.cache_path == tmp_path / ".cache" / "kfguide" / "external.json" and s.ttl == 86400
    assert "localhost" in s.skip_hosts and s.per_host == 2
    s = Settings.from_env(tmp_path, env={"KFGUIDE_EXTERNAL_TTL": "60", "KFGUIDE_EXTERNAL_CACHE": "/x/c.json",
                                         "KFGUIDE_EXTERNAL_SKIP_HOSTS": "a.test, b.test"})
    assert (s.ttl, s.cache_path, s.skip_hosts) == (60.0, Path("/x/c.json"), ("a.test", "b.test"))
