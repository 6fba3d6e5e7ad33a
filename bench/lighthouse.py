"""Lighthouse 12.2.3 on every page, mobile and desktop: ours vs a default Material build.

    make bench-lighthouse            # or: .venv/bin/python bench/lighthouse.py [options]

1. Builds the guide (strict) with site_url = http://127.0.0.1:PORT/ and serves it from a local
   server that compresses text with gzip, as GitHub Pages does (``--no-gzip`` to compare).
2. Builds the same Korean pages with a default Material configuration (theme material only:
   no custom_dir, no font setting, no extra CSS, no hooks, no i18n; the same Markdown extensions
   so the content renders the same) and serves it the same way (``--no-default`` to skip).
3. Runs Lighthouse (node_modules/.bin/lighthouse, Debian /usr/bin/chromium, headless) on each
   page, mobile (Lighthouse's default) and desktop (``--preset=desktop``), and prints each page's
   four category scores, LCP, total bytes, requests and third-party requests, and the audits
   that lost points.

Offline by construction: Chromium resolves every host except 127.0.0.1 to "not found"
(``--host-resolver-rules``), so a page that asks for Google Fonts or unpkg.com shows the request
(counted as third-party) without contacting anything.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KFGUIDE_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


# --- a static server that compresses like GitHub Pages ---------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    use_gzip = True

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the parent redirects /dir to /dir/
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.use_gzip and accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(root: Path, port: int, use_gzip: bool) -> http.server.ThreadingHTTPServer:
    handler_cls = type("BenchHandler", (Handler,), {"use_gzip": use_gzip})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler_cls, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- builds ------------------------------------------------------------------------------------


def mkdocs_build(config: Path, site: Path, strict: bool, **env: str) -> None:
    full = dict(os.environ, NO_MKDOCS_2_WARNING="1", **env)
    full.pop("GITHUB_ACTIONS", None)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    if strict:
        cmd.insert(4, "--strict")
    result = subprocess.run(cmd, cwd=config.parent, env=full, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"mkdocs build of {config} failed:\n{result.stderr}")


def markdown_extensions_block(text: str) -> str:
    """The ``markdown_extensions:`` block of our mkdocs.yml, verbatim (it holds !!python tags)."""
    lines = text.splitlines()
    start = lines.index("markdown_extensions:")
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if line and not line.startswith((" ", "#")):
            break
        block.append(line)
    return "\n".join(block) + "\n"


def default_material_site(tmp: Path, ours: Path, port: int) -> Path:
    """Korean pages built with Material's defaults; returns the site folder."""
    project = tmp / "default-material"
    docs = project / "docs"
    shutil.copytree(
        ROOT / "docs", docs,
        ignore=lambda d, names: [n for n in names if n.endswith(".en.md") or n.endswith(".en.svg")],
    )
    # Figures our hooks generate at build time: give the default build the same files.
    for figure in (ours / "images").glob("*.svg"):
        if not (docs / "images" / figure.name).exists():
            shutil.copy(figure, docs / "images" / figure.name)
    (project / "snippets").symlink_to(ROOT / "snippets", target_is_directory=True)
    ours_config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    site_name = yaml.safe_load(ours_config.split("\ntheme:")[0].replace("!ENV", ""))["site_name"]
    config = project / "mkdocs.yml"
    config.write_text(
        f"site_name: {site_name}\n"
        f"site_url: http://127.0.0.1:{port}/\n"
        "theme:\n  name: material\n"
        + markdown_extensions_block(ours_config),
        encoding="utf-8",
    )
    site = tmp / "default-site"
    mkdocs_build(config, site, strict=False)
    return site


def page_urls(site: Path, korean_only: bool) -> list[str]:
    urls = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site)
        if rel.parts and rel.parts[0] in ("assets", "search"):
            continue
        if korean_only and rel.parts and rel.parts[0] == "en":
            continue
        urls.append("" if str(rel) == "." else f"{rel}/")
    return urls


# --- Lighthouse ----------------------------------------------------------------------------------


@dataclass
class Result:
    site: str
    page: str
    mode: str
    scores: dict[str, float]
    lcp_ms: float
    bytes: int
    requests: int
    third_party: int
    lost: list[str] = field(default_factory=list)
    error: str = ""


def lighthouse(url: str, mode: str, out: Path) -> dict:
    flags = [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ]
    cmd = [
        str(LIGHTHOUSE), url, f"--chrome-flags={' '.join(flags)}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json", f"--output-path={out}", "--quiet",
    ]
    if mode == "desktop":
        cmd.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}


def summarise(site: str, page: str, mode: str, report: dict) -> Result:
    if not report or report.get("runtimeError"):
        err = (report or {}).get("runtimeError", {}).get("message", "no report")
        return Result(site, page, mode, {}, 0, 0, 0, 0, error=err)
    audits = report["audits"]
    scores = {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}
    items = audits.get("network-requests", {}).get("details", {}).get("items", [])
    third = [i for i in items if urlsplit(i["url"]).hostname not in ("127.0.0.1", None)]
    lost = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{cat}:{ref['id']}={audit['score']:.2f}")
    return Result(
        site, page, mode, scores,
        lcp_ms=audits["largest-contentful-paint"].get("numericValue", 0),
        bytes=int(audits["total-byte-weight"].get("numericValue", 0)),
        requests=len(items), third_party=len(third), lost=lost,
    )


def print_table(results: list[Result]) -> None:
    head = f"{'site':<9} {'page':<22} {'mode':<8} perf  a11y  bp    seo   {'LCP':>7} {'KiB':>7} {'req':>4} {'3rd':>4}"
    print(head)
    print("-" * len(head))
    for r in results:
        if r.error:
            print(f"{r.site:<9} {r.page or '/':<22} {r.mode:<8} ERROR {r.error}")
            continue
        s = r.scores
        print(
            f"{r.site:<9} {r.page or '/':<22} {r.mode:<8} "
            + " ".join(f"{(s[c] if s[c] is not None else float('nan')):.2f} " for c in CATEGORIES)
            + f"{r.lcp_ms / 1000:6.2f}s {r.bytes / 1024:7.1f} {r.requests:>4} {r.third_party:>4}"
        )


def print_summary(results: list[Result]) -> None:
    print()
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        if not r.error:
            groups.setdefault((r.site, r.mode), []).append(r)
    print(f"{'site':<9} {'mode':<8} pages  min perf  min a11y  min bp  min seo  max LCP  max KiB  3rd-party")
    for (site, mode), rs in groups.items():
        mins = {c: min(r.scores[c] or 0 for r in rs) for c in CATEGORIES}
        print(
            f"{site:<9} {mode:<8} {len(rs):>5}  {mins['performance']:8.2f}  {mins['accessibility']:8.2f}"
            f"  {mins['best-practices']:6.2f}  {mins['seo']:7.2f}  {max(r.lcp_ms for r in rs) / 1000:6.2f}s"
            f"  {max(r.bytes for r in rs) / 1024:7.1f}  {sum(r.third_party for r in rs):>9}"
        )
    lost = [r for r in results if r.lost]
    if lost:
        print("\naudits that lost points:")
        for r in lost:
            print(f"  {r.site:<9} {r.page or '/':<22} {r.mode:<8} {' '.join(r.lost)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", default="mobile,desktop", help="mobile,desktop (default both)")
    parser.add_argument("--no-default", action="store_true", help="skip the default Material build")
    parser.add_argument("--no-gzip", action="store_true", help="serve without compression")
    parser.add_argument("--pages", help="comma-separated page URLs to run (e.g. ',notebooks/,en/')")
    parser.add_argument("--json", type=Path, help="also write all results to this JSON file")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (lighthouse is pinned in package.json)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    modes = [m for m in args.modes.split(",") if m]

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kfguide-lh-") as tmpname:
        tmp = Path(tmpname)
        port = free_port()
        ours = tmp / "site"
        print(f"building the guide for http://127.0.0.1:{port}/ ...", flush=True)
        mkdocs_build(ROOT / "mkdocs.yml", ours, strict=True, KFGUIDE_SITE_URL=f"http://127.0.0.1:{port}/")
        sites = [("ours", ours, port, page_urls(ours, korean_only=False))]
        if not args.no_default:
            dport = free_port()
            print(f"building the same Korean pages with default Material for http://127.0.0.1:{dport}/ ...", flush=True)
            default = default_material_site(tmp, ours, dport)
            sites.append(("default", default, dport, page_urls(default, korean_only=True)))
        servers = [serve(root, p, use_gzip=not args.no_gzip) for _, root, p, _ in sites]
        try:
            for name, _root, p, urls in sites:
                if args.pages is not None:
                    urls = [u for u in urls if u in args.pages.split(",")]
                for url in urls:
                    for mode in modes:
                        report = lighthouse(f"http://127.0.0.1:{p}/{url}", mode, tmp / "lh.json")
                        (tmp / "lh.json").unlink(missing_ok=True)
                        result = summarise(name, url, mode, report)
                        results.append(result)
                        print_table([result]) if len(results) == 1 else print_table_row(result)
        finally:
            for server in servers:
                server.shutdown()
    print()
    print(f"served {'without compression' if args.no_gzip else 'with gzip (as GitHub Pages does)'}")
    print_summary(results)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2), encoding="utf-8")
    return 0


def print_table_row(result: Result) -> None:
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        print_table([result])
    print(buffer.getvalue().splitlines()[-1], flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
