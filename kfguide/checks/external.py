"""Opt-in external link checking: HTTP(S) links of every page, fetched politely and cached.

Not run by default (the build and ``python -m kfguide check`` stay offline). Enabled by
``KFGUIDE_EXTERNAL=1`` or ``python -m kfguide check --external``; kfguide.checks.run_checks then
calls :func:`check_external`.

Check ids:

``link-external-broken``    the URL answers HTTP >= 400 (after redirects), or cannot be reached
                            after the retries (DNS, refused connection, TLS, timeout)
``link-external-redirect``  warning: the URL redirects permanently (301/308); link the target

Search-engine results links (``google.com/search?q=``, ``google.com/url?q=``, Bing, DuckDuckGo,
``search.naver.com``, Daum, Yahoo) are never fetched: :func:`is_search_redirect` recognises them
and kfguide.checks.links reports them as ``link-search-redirect`` in every mode, offline included
(one implementation: :func:`is_search_redirect` uses ``kfguide.checks.links.search_redirect``).

How it fetches (standard library only: http.client, threads):

* one request per distinct URL (the fragment is dropped), findings for every place it occurs;
* ``HEAD`` first, ``GET`` (reading at most 1 KB of the body) when the server answers 405 or 501
  to ``HEAD``; redirects followed by hand, up to 5;
* separate connect and read timeouts (defaults 5 s and 10 s);
* retries with exponential backoff (0.5 s, 1 s, ... capped at 8 s; ``Retry-After`` honoured up
  to the cap) on 429, 5xx, timeouts and connection errors; 2 retries by default;
* at most 2 requests at a time per host (a semaphore per ``host:port``), 8 worker threads;
* an on-disk cache, JSON at ``.cache/kfguide/external.json`` (``KFGUIDE_EXTERNAL_CACHE``), keyed
  by URL, valid for a day (``KFGUIDE_EXTERNAL_TTL`` seconds). Definite answers are cached (2xx,
  3xx, 4xx except 429); transient failures (429, 5xx, timeouts, connection errors) are not, so
  the next run tries again;
* loopback and documentation hosts (``localhost``, ``127.0.0.1``, ``[::1]``, ``example.com``...)
  are skipped: ``http://localhost:8080`` in the guide is the reader's port forward
  (``KFGUIDE_EXTERNAL_SKIP_HOSTS`` replaces the list, comma-separated).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import ssl
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urljoin, urlsplit

from kfguide import ROOT
from kfguide.model import memo
from kfguide.model.findings import ERROR, WARNING, Finding

DEFAULT_CACHE = Path(".cache") / "kfguide" / "external.json"
SKIP_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "example.com", "example.org", "example.net")
PERMANENT = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)


def is_search_redirect(url: str) -> bool:
    """True when ``url`` is a search-engine results or redirect page (never fetched)."""
    from kfguide.checks.links import search_redirect  # one implementation, shared with the offline check

    return search_redirect(url) is not None


@dataclass
class Settings:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 8.0
    per_host: int = 2
    workers: int = 8
    max_redirects: int = 5
    ttl: float = 86400.0
    cache_path: Path | None = None  # None: no cache
    skip_hosts: tuple[str, ...] = SKIP_HOSTS
    user_agent: str = "kfguide-linkcheck/1.0 (Kubeflow Korean guide docs checks)"
    report_redirects: bool = True

    @classmethod
    def from_env(cls, root: Path | None = None, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        root = root or ROOT
        cache = env.get("KFGUIDE_EXTERNAL_CACHE")
        settings = cls(cache_path=Path(cache) if cache else root / DEFAULT_CACHE)
        if env.get("KFGUIDE_EXTERNAL_TTL"):
            settings.ttl = float(env["KFGUIDE_EXTERNAL_TTL"])
        if "KFGUIDE_EXTERNAL_SKIP_HOSTS" in env:  # comma-separated; empty: skip none
            settings.skip_hosts = tuple(h.strip().lower() for h in env["KFGUIDE_EXTERNAL_SKIP_HOSTS"].split(",") if h.strip())
        return settings


@dataclass
class Result:
    url: str
    status: int | None = None  # final HTTP status; None when no answer
    reason: str = ""
    error: str | None = None  # connection error text when status is None
    final_url: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, location) per hop
    attempts: int = 0
    checked_at: float = 0.0
    cached: bool = False

    @property
    def broken(self) -> bool:
        return self.status is None or self.status >= 400

    @property
    def cacheable(self) -> bool:
        return self.status is not None and self.status != 429 and self.status < 500

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("cached")
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Result":
        data = dict(data)
        data["redirects"] = [tuple(hop) for hop in data.get("redirects", [])]
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__}, cached=True)


class _Transient(Exception):
    """429 or 5xx: worth another try."""

    def __init__(self, status: int, reason: str, retry_after: float | None = None):
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status, self.reason, self.retry_after = status, reason, retry_after


class Checker:
    """Fetches URLs with the limits in :class:`Settings`; counts the requests it makes."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.requests = 0
        self._lock = threading.Lock()
        self._host_sems: dict[str, threading.BoundedSemaphore] = {}

    # -- one HTTP request ----------------------------------------------------------------------
    def _semaphore(self, netloc: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._host_sems.get(netloc)
            if sem is None:
                sem = self._host_sems[netloc] = threading.BoundedSemaphore(max(1, self.settings.per_host))
            return sem

    def _request(self, method: str, url: str) -> tuple[int, str, str | None, str | None]:
        """``(status, reason, location, retry_after)`` for one request (no redirects followed)."""
        s = self.settings
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, parts.port, timeout=s.connect_timeout, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, parts.port, timeout=s.connect_timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._semaphore(parts.netloc.lower()):
            with self._lock:
                self.requests += 1
            try:
                conn.connect()
                if conn.sock is not None:
                    conn.sock.settimeout(s.read_timeout)
                conn.request(method, target, headers={
                    "User-Agent": s.user_agent, "Accept": "*/*", "Accept-Encoding": "identity",
                })
                resp = conn.getresponse()
                if method == "GET":
                    resp.read(1024)
                return resp.status, resp.reason, resp.getheader("Location"), resp.getheader("Retry-After")
            finally:
                conn.close()

    # -- one URL: redirects, HEAD->GET -------------------------------------------------------
    def _follow(self, url: str, result: Result) -> None:
        current = url
        result.redirects = []
        for _ in range(self.settings.max_redirects + 1):
            status, reason, location, retry_after = self._request("HEAD", current)
            if status in (405, 501):
                status, reason, location, retry_after = self._request("GET", current)
            if status == 429 or status >= 500:
                raise _Transient(status, reason, _retry_after(retry_after))
            if status in REDIRECTS and location:
                nxt = urljoin(current, location)
                result.redirects.append((status, nxt))
                current = nxt
                continue
            result.status, result.reason, result.final_url = status, reason, current
            return
        result.status, result.reason, result.final_url = None, "", current
        result.error = f"more than {self.settings.max_redirects} redirects"

    def fetch(self, url: str) -> Result:
        """Check one URL with retries and backoff."""
        s = self.settings
        result = Result(url)
        delay = s.backoff
        for attempt in range(s.retries + 1):
            result.attempts = attempt + 1
            result.status, result.error = None, None
            try:
                self._follow(url, result)
                break
            except _Transient as exc:
                result.status, result.reason, result.error = exc.status, exc.reason, None
                wait = exc.retry_after if exc.retry_after is not None else delay
            except (OSError, http.client.HTTPException, ValueError) as exc:
                result.error = _describe(exc)
                wait = delay
            if attempt < s.retries:
                time.sleep(min(wait, s.max_backoff) * (1 + random.uniform(0, 0.1)))
                delay = min(delay * 2, s.max_backoff)
        result.checked_at = time.time()
        if not result.final_url:
            result.final_url = url
        return result

    # -- many URLs ---------------------------------------------------------------------------
    def fetch_all(self, urls: Iterable[str], cache: dict[str, Result] | None = None) -> dict[str, Result]:
        cache = {} if cache is None else cache
        now = time.time()
        results: dict[str, Result] = {}
        todo: list[str] = []
        for url in dict.fromkeys(urls):
            hit = cache.get(url)
            if hit is not None and hit.cacheable and now - hit.checked_at < self.settings.ttl:
                results[url] = hit
            else:
                todo.append(url)
        todo = _interleave_hosts(todo)
        if todo:
            with ThreadPoolExecutor(max_workers=max(1, self.settings.workers)) as pool:
                for url, result in zip(todo, pool.map(self.fetch, todo)):
                    results[url] = result
        return results


def _interleave_hosts(urls: Sequence[str]) -> list[str]:
    """Round-robin order over hosts, so one slow host does not hold every worker."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc.lower()].append(url)
    out: list[str] = []
    queues = list(by_host.values())
    while queues:
        for queue in list(queues):
            out.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return out


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc) or type(exc).__name__
    return text


# ---------------------------------------------------------------------------------------------
# Cache


def load_cache(path: Path | None) -> dict[str, Result]:
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        return {url: Result.from_json(entry) for url, entry in data.get("urls", {}).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # a missing or damaged cache is an empty cache


def save_cache(path: Path | None, results: dict[str, Result], ttl: float) -> None:
    if path is None:
        return
    path = Path(path)
    now = time.time()
    keep = {url: r.to_json() for url, r in results.items() if r.cacheable and now - r.checked_at < ttl}
    memo.write_atomic(path, json.dumps({"version": 1, "urls": keep}, ensure_ascii=False, indent=1) + "\n")


# ---------------------------------------------------------------------------------------------
# Findings


def should_fetch(url: str, settings: Settings) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname.lower() in settings.skip_hosts:
        return False
    return not is_search_redirect(url)


def check_urls(
    items: Iterable[tuple[str, str, int]],
    settings: Settings | None = None,
    checker: Checker | None = None,
) -> list[Finding]:
    """Findings for ``(url, path, line)`` items: each distinct URL is fetched (or read from the
    cache) once; every occurrence gets its own finding."""
    settings = settings or (checker.settings if checker else Settings())
    checker = checker or Checker(settings)
    occurrences: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for url, path, line in items:
        if should_fetch(url, settings):
            occurrences[url.split("#", 1)[0]].append((url, path, line))
    if not occurrences:
        return []
    cache = load_cache(settings.cache_path)
    results = checker.fetch_all(list(occurrences), cache)
    merged = dict(cache)
    merged.update({u: r for u, r in results.items() if not r.cached})
    save_cache(settings.cache_path, merged, settings.ttl)
    out: list[Finding] = []
    for key, places in occurrences.items():
        result = results[key]
        for url, path, line in places:
            out.extend(_findings(result, url, path, line, settings))
    return sorted(out)


def _findings(result: Result, url: str, path: str, line: int, settings: Settings) -> list[Finding]:
    if result.broken:
        if result.status is not None:
            what = f"answers HTTP {result.status} {result.reason}".rstrip()
            if result.redirects:
                what += f" at {result.final_url}"
        else:
            what = f"cannot be reached ({result.error})"
        tries = f" after {result.attempts} attempts" if result.attempts > 1 else ""
        return [Finding(path, line, "link-external-broken", f"external link {url} {what}{tries}",
                        "fix the address or link a page that exists", ERROR)]
    if settings.report_redirects and any(status in PERMANENT for status, _ in result.redirects):
        return [Finding(path, line, "link-external-redirect",
                        f"external link {url} redirects permanently to {result.final_url}",
                        f"link {result.final_url} directly", WARNING)]
    return []


def collect_urls(pages) -> list[tuple[str, str, int]]:
    """``(url, path, line)`` for every http(s) link and image of ``pages`` (path -> Document)."""
    out: list[tuple[str, str, int]] = []
    for path in sorted(pages):
        for link in pages[path].links:
            target = link.target.strip()
            if target.lower().startswith(("http://", "https://")):
                out.append((target, path, link.line))
    return out


def check_external(site, root: Path | None = None) -> list[Finding]:
    """Entry point for kfguide.checks.run_checks (``--external`` / ``KFGUIDE_EXTERNAL=1``); the
    cache goes under ``root`` (the repository root, from kfguide.checks.call_check)."""
    return check_urls(collect_urls(site.pages), Settings.from_env(root))
