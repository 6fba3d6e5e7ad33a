"""Shared pytest fixtures: a strict build of the real guide, a local HTTP server, a browser.

* ``built_site``: the real guide built once per session with ``mkdocs build --strict`` into a
  temporary folder, with ``site_url`` set to the local server's address (so absolute hreflang
  links and Material's sitemap requests stay on 127.0.0.1).
* ``site_server``: a static HTTP server for ``built_site`` on 127.0.0.1 (ephemeral port).
* ``browser`` / ``page``: Debian Chromium driven by Playwright; never downloads a browser.
* ``run_mkdocs_build``: build any mkdocs.yml (fixture sites) and return the completed process.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KFGUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mkdocs_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner; see README
    env.pop("GITHUB_ACTIONS", None)
    env.update(extra)
    return env


def run_mkdocs_build(config: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` (plain: no -q, no -v) for ``config`` into ``site_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        env=mkdocs_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


@dataclass
class Served:
    root: Path
    url: str  # with trailing slash
    requests: list[str]


def serve_directory(root: Path, port: int | None = None, base: type | None = None):
    """Start a threaded static server for ``root``; return (server, Served). ``base``: a
    handler class to serve with (a subclass of ``_QuietHandler``; default: that class)."""
    requests: list[str] = []

    class Handler(base or _QuietHandler):
        def do_GET(self):  # noqa: N802 - stdlib name
            requests.append(self.path)
            super().do_GET()

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, real_port = server.server_address[:2]
    return server, Served(root, f"http://127.0.0.1:{real_port}/", requests)


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def guide_build(tmp_path_factory, site_port) -> tuple[Path, str]:
    """(site folder, build stderr) of one strict build of the real guide."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(
        ROOT / "mkdocs.yml",
        site,
        KFGUIDE_SITE_URL=f"http://127.0.0.1:{site_port}/",
        KFGUIDE_REPORT=str(site.parent / "checks.json"),
    )
    if result.returncode != 0:
        pytest.fail(f"strict build of the guide failed:\n{result.stdout}\n{result.stderr}")
    return site, result.stderr


@pytest.fixture(scope="session")
def built_site(guide_build) -> Path:
    return guide_build[0]


@pytest.fixture(scope="session")
def build_log(guide_build) -> str:
    return guide_build[1]


@pytest.fixture(scope="session")
def site_server(built_site, site_port):
    server, served = serve_directory(built_site, site_port)
    yield served
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with playwright_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class PageLog:
    console_errors: list[str]
    failed: list[str]
    hosts: set[str]


@pytest.fixture
def page(browser):
    """A fresh browser page that records console errors, failed requests and hosts contacted."""
    from urllib.parse import urlsplit

    context = browser.new_context()
    tab = context.new_page()
    log = PageLog([], [], set())

    tab.on("console", lambda msg: msg.type == "error" and log.console_errors.append(msg.text))
    tab.on("pageerror", lambda exc: log.console_errors.append(str(exc)))
    tab.on("requestfailed", lambda req: log.failed.append(f"{req.url} ({req.failure})"))
    tab.on(
        "response",
        lambda res: res.status >= 400 and log.failed.append(f"{res.url} (HTTP {res.status})"),
    )
    tab.on(
        "request",
        lambda req: urlsplit(req.url).hostname and log.hosts.add(urlsplit(req.url).hostname),
    )
    tab.kfguide_log = log  # type: ignore[attr-defined]
    yield tab
    context.close()


def fixture_site(
    tmp: Path,
    pages: dict[str, str | bytes],
    *,
    nav: list[str] | None = None,
    features_add: tuple[str, ...] = (),
    hooks: list[str] | None = None,
) -> Path:
    """Write a small site that uses the real mkdocs.yml settings; return its mkdocs.yml path.

    ``pages`` maps paths under docs/ to content. The real theme overrides, snippets and assets
    are copied and data/, hooks/ and kfguide/ linked in, so fixture builds behave like the
    guide. ``nav=None`` drops the real
    nav (MkDocs then lists every page); ``hooks`` replaces the hook list (repo-relative paths).
    """
    import re

    import shutil

    # Folders whose files reach the built site are copied: the checks refuse symlinks in them
    # that lead out of the project folder (a pull request could publish the runner's files).
    for name in ("overrides", "snippets"):
        shutil.copytree(ROOT / name, tmp / name)
    for name in ("data", "hooks", "kfguide"):
        (tmp / name).symlink_to(ROOT / name, target_is_directory=True)
    docs = tmp / "docs"
    for rel, content in pages.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    (docs / "assets").mkdir(exist_ok=True)
    for name in ("stylesheets", "javascripts"):
        shutil.copytree(ROOT / "docs" / "assets" / name, docs / "assets" / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Replace the nav block (a "nav:" line and the list items below it).
    new_nav = "nav:\n" + "".join(f"  - {p}\n" for p in nav) if nav else ""
    text = re.sub(r"(?m)^nav:\n(?:  - .*\n)+", new_nav, text)
    if hooks is not None:
        new_hooks = "hooks:\n" + "".join(f"  - {h}\n" for h in hooks) if hooks else ""
        text = re.sub(r"(?m)^hooks:\n(?:  - .*\n)+", new_hooks, text)
    for feature in features_add:
        text = text.replace("  features:\n", f"  features:\n    - {feature}\n", 1)
    config = tmp / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config
