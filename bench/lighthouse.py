"""Lighthouse 12.2.3 on every page, mobile and desktop: ours vs a default Material build.

    make bench-lighthouse            # or: .venv/bin/python bench/lighthouse.py [options]

1. Builds the guide (strict) with site_url = http://127.0.0.1:PORT/ and serves it from a local
   server that compresses text with gzip, as GitHub Pages does (``--no-gzip`` to compare).
2. Builds the same Korean pages with a default Material configuration (theme material only:
   no custom_dir, no font setting, no extra CSS, no hooks, no i18n; the same Markdown extensions
   so the content renders the same) and serves it the same way (``--no-default`` to skip).
3. Runs Lighthouse (node_modules/.bin/lighthouse, Debian /usr/bin/chromium, headless) on each
   page, ``--runs`` times (default 3), mobile (Lighthouse's default; ``--modes mobile,desktop``
   adds ``--preset=desktop``), each page of ours followed by the same page of the default build,
   and prints per page the median of the four category scores, LCP, total bytes, requests,
   third-party requests and the load average, then, for every page below 1.00, each audit that
   cost it points with its median value and the points it costs.

Lighthouse's simulated throttling multiplies the main-thread time it observes, so other work on
the machine lowers the performance score; ``--max-load 1.5`` waits before each run until the
1-minute load average is at most 1.5 (``uptime``), and the table shows the load of each page.

Offline by construction: Chromium resolves every host except 127.0.0.1 to "not found"
(``--host-resolver-rules``), so a page that asks for Google Fonts or unpkg.com shows the request
(counted as third-party) without contacting anything.
"""

from __future__ import annotations

import argparse
import statistics
import functools
import gzip
import http.server
import io
import json
import os
import re
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


# --- ablations: our build with one change of issue 15 taken back ----------------------------------

_IMG = re.compile(r"<img\b[^>]*>")
_EARLY_JS = '<script>document.documentElement.classList.replace("no-js", "js")</script>'
_CV_CSS = ".md-typeset .kfguide-cv{content-visibility:auto}"


def _ablate_html(html: str, name: str) -> str:
    if name == "no-sizes":  # the figures' width/height that kfguide/builders/imagesize.py adds
        return _IMG.sub(lambda m: re.sub(r'\s(?:width|height)="\d+"', "", m.group(0))
                        if re.search(r'src="[^"]+\.svg"', m.group(0)) else m.group(0), html)
    if name == "no-lazy":
        return _IMG.sub(lambda m: m.group(0).replace(' loading="lazy"', "").replace(' decoding="async"', ""), html)
    if name == "no-early-js":
        return html.replace(_EARLY_JS, "")
    if name == "plus-cv":  # the trial of issue 15: content-visibility on heavy blocks below the fold
        body = html.split('<article class="md-content__inner md-typeset">', 1)
        if len(body) != 2 or "<h2" not in body[1]:
            return html
        head, rest = body[1].split("<h2", 1)

        def mark(m: re.Match) -> str:
            tag, classes = m.group(1), m.group(2)
            height = 320 if tag == "figure" else 200
            return f'<{tag} class="{(classes + " kfguide-cv").strip()}" style="contain-intrinsic-size: auto {height}px">'

        rest = re.sub(r'<(div|figure|details) class="([^"]*(?:highlight|admonition|md-typeset__scrollwrap)[^"]*)">',
                      mark, rest)
        rest = re.sub(r"<(figure)()>", mark, rest)
        html = body[0] + '<article class="md-content__inner md-typeset">' + head + "<h2" + rest
        return html.replace("</head>", f"<style>{_CV_CSS}</style></head>", 1)
    raise ValueError(name)


ABLATIONS = ("no-sizes", "no-lazy", "no-early-js", "plus-cv")


def ablated_site(ours: Path, target: Path, name: str) -> Path:
    """A copy of our built site with one of ABLATIONS applied to every page."""
    shutil.copytree(ours, target)
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(_ablate_html(text, name), encoding="utf-8")
    return target


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
    #: audit id -> (score, numeric value, points it costs its category: weight share x (1 - score))
    audits: dict[str, tuple[float, float | None, dict[str, float]]] = field(default_factory=dict)
    load: float = 0.0  # 1-minute load average when the run started
    tbt_ms: float = 0.0
    cls: float = 0.0


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


def summarise(site: str, page: str, mode: str, report: dict, load: float = 0.0) -> Result:
    if not report or report.get("runtimeError"):
        err = (report or {}).get("runtimeError", {}).get("message", "no report")
        return Result(site, page, mode, {}, 0, 0, 0, 0, error=err, load=load)
    audits = report["audits"]
    scores = {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}
    items = audits.get("network-requests", {}).get("details", {}).get("items", [])
    third = [i for i in items if urlsplit(i["url"]).hostname not in ("127.0.0.1", None)]
    lost = []
    costs: dict[str, tuple[float, float | None, dict[str, float]]] = {}
    for cat in CATEGORIES:
        refs = report["categories"][cat]["auditRefs"]
        total = sum(ref.get("weight", 0) for ref in refs) or 1
        for ref in refs:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{cat}:{ref['id']}={audit['score']:.2f}")
                score, value, cats = costs.get(ref["id"], (audit["score"], audit.get("numericValue"), {}))
                cats[cat] = ref["weight"] / total * (1 - audit["score"])
                costs[ref["id"]] = (score, value, cats)
    return Result(
        site, page, mode, scores,
        lcp_ms=audits["largest-contentful-paint"].get("numericValue", 0),
        bytes=int(audits["total-byte-weight"].get("numericValue", 0)),
        requests=len(items), third_party=len(third), lost=lost, audits=costs, load=load,
        tbt_ms=audits["total-blocking-time"].get("numericValue", 0),
        cls=audits["cumulative-layout-shift"].get("numericValue", 0),
    )


def median_result(runs: list[Result]) -> Result:
    """One Result per page and mode: the median of each score and figure over the runs (an
    audit's cost is its median over all runs, counting the runs where it cost nothing)."""
    ok = [r for r in runs if not r.error]
    if not ok:
        return runs[0]
    med = statistics.median
    audit_ids = sorted({a for r in ok for a in r.audits})
    audits = {}
    for audit in audit_ids:
        present = [r.audits[audit] for r in ok if audit in r.audits]
        cats = sorted({c for _, _, cs in present for c in cs})
        cost = {c: med([r.audits[audit][2].get(c, 0.0) if audit in r.audits else 0.0 for r in ok]) for c in cats}
        values = [v for _, v, _ in present if v is not None]
        score = med([r.audits[audit][0] if audit in r.audits else 1.0 for r in ok])
        if any(cost.values()):
            audits[audit] = (score, med(values) if values else None, cost)
    first = ok[0]
    return Result(
        first.site, first.page, first.mode,
        {c: med([r.scores[c] for r in ok]) for c in CATEGORIES},
        lcp_ms=med([r.lcp_ms for r in ok]), bytes=int(med([r.bytes for r in ok])),
        requests=int(med([r.requests for r in ok])), third_party=max(r.third_party for r in ok),
        lost=[f"{a}={s:.2f}" for a, (s, _, _) in audits.items()], audits=audits,
        load=max(r.load for r in ok), tbt_ms=med([r.tbt_ms for r in ok]), cls=med([r.cls for r in ok]),
    )


def print_table(results: list[Result]) -> None:
    head = (f"{'site':<11} {'page':<20} {'mode':<8} perf  a11y  bp    seo   {'LCP':>7} {'KiB':>7} {'req':>4}"
            f" {'3rd':>4} {'load':>5}")
    print(head)
    print("-" * len(head))
    for r in results:
        print_table_row(r)


def print_table_row(r: Result) -> None:
    if r.error:
        print(f"{r.site:<11} {r.page or '/':<20} {r.mode:<8} ERROR {r.error}", flush=True)
        return
    s = r.scores
    print(
        f"{r.site:<11} {r.page or '/':<20} {r.mode:<8} "
        + " ".join(f"{(s[c] if s[c] is not None else float('nan')):.2f} " for c in CATEGORIES)
        + f"{r.lcp_ms / 1000:6.2f}s {r.bytes / 1024:7.1f} {r.requests:>4} {r.third_party:>4} {r.load:5.2f}",
        flush=True,
    )


def _value(audit: str, value: float | None) -> str:
    if value is None:
        return ""
    if audit == "cumulative-layout-shift":
        return f" {value:.3f}"
    return f" {value:.0f} ms" if value >= 1 or value == 0 else f" {value:.3f}"


def print_ablations(results: list[Result]) -> None:
    """Each ablated copy against ours, page by page: what each change of issue 15 buys."""
    ours = {(r.page, r.mode): r for r in results if r.site == "ours" and not r.error}
    rows = [r for r in results if r.site in ABLATIONS and not r.error and (r.page, r.mode) in ours]
    if not rows:
        return
    print("\nwhat each change buys: our build with one change taken back, against ours (medians; "
          "a negative delta means the change helps)")
    print(f"{'variant':<11} {'page':<20} perf (ours)  a11y (ours)   TBT ms (ours)   LCP s (ours)   CLS (ours)")
    for r in rows:
        o = ours[(r.page, r.mode)]
        print(f"{r.site:<11} {r.page or '/':<20} {r.scores['performance']:.2f} ({o.scores['performance']:.2f})  "
              f"{r.scores['accessibility']:.2f} ({o.scores['accessibility']:.2f})   "
              f"{r.tbt_ms:6.0f} ({o.tbt_ms:5.0f})   {r.lcp_ms / 1000:5.2f} ({o.lcp_ms / 1000:5.2f})   "
              f"{r.cls:.3f} ({o.cls:.3f})")


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
    short = [r for r in results if not r.error and any(round(r.scores[c], 2) < 1 for c in CATEGORIES)]
    if short:
        print("\nwhere a page is below 1.00: the audits that cost it points (median value, points lost)")
        for r in short:
            parts = []
            for audit, (score, value, cats) in sorted(r.audits.items(), key=lambda kv: -sum(kv[1][2].values())):
                for cat, cost in cats.items():
                    parts.append(f"{cat[:4]}:{audit}{_value(audit, value)} score {score:.2f} -{cost:.3f}")
            print(f"  {r.site:<9} {r.page or '/':<22} {r.mode:<8} " + "; ".join(parts))


def wait_for_quiet(max_load: float | None, max_wait: float) -> float:
    """Wait (up to ``max_wait`` s) until the 1-minute load average is at most ``max_load``;
    return the load average when the run starts. Lighthouse's simulated throttling scales the
    main-thread time it observes, so other processes on a shared machine lower the score."""
    import time

    deadline = time.monotonic() + max_wait
    while max_load is not None and os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", default="mobile", help="mobile,desktop (default: mobile)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and mode; the median is reported")
    parser.add_argument("--no-default", action="store_true", help="skip the default Material build")
    parser.add_argument("--no-gzip", action="store_true", help="serve without compression")
    parser.add_argument("--pages", help="comma-separated page URLs to run (e.g. ',notebooks/,en/')")
    parser.add_argument("--max-load", type=float, help="before each run, wait until the load average is at most this")
    parser.add_argument("--max-wait", type=float, default=900, help="longest wait for --max-load, seconds")
    parser.add_argument("--ablate", action="store_true",
                        help="also run copies of our build with one change of issue 15 taken back "
                             f"({', '.join(ABLATIONS)}); use with --pages")
    parser.add_argument("--json", type=Path, help="also write all results to this JSON file")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci` (lighthouse is pinned in package.json)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    modes = [m for m in args.modes.split(",") if m]

    results: list[Result] = []
    all_runs: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kfguide-lh-") as tmpname:
        tmp = Path(tmpname)
        port = free_port()
        ours = tmp / "site"
        print(f"building the guide for http://127.0.0.1:{port}/ ...", flush=True)
        mkdocs_build(ROOT / "mkdocs.yml", ours, strict=True, KFGUIDE_SITE_URL=f"http://127.0.0.1:{port}/")
        sites = [("ours", ours, port, page_urls(ours, korean_only=False))]
        if args.ablate:
            for name in ABLATIONS:
                site = ablated_site(ours, tmp / f"site-{name}", name)
                sites.append((name, site, free_port(), page_urls(site, korean_only=False)))
        if not args.no_default:
            dport = free_port()
            print(f"building the same Korean pages with default Material for http://127.0.0.1:{dport}/ ...", flush=True)
            default = default_material_site(tmp, ours, dport)
            sites.append(("default", default, dport, page_urls(default, korean_only=True)))
        servers = [serve(root, p, use_gzip=not args.no_gzip) for _, root, p, _ in sites]
        # Each page of ours, then the same page of the default build, so both see similar load.
        jobs = []
        for url in sites[0][3]:
            for name, _root, p, urls in sites:
                if url in urls and (args.pages is None or url in args.pages.split(",")):
                    jobs.append((name, p, url))
        print(f"Lighthouse {', '.join(modes)}, {args.runs} runs per page (median), "
              f"load average {os.getloadavg()[0]:.2f} at the start", flush=True)
        print_table([])
        try:
            for name, p, url in jobs:
                for mode in modes:
                    runs = []
                    for _ in range(args.runs):
                        load = wait_for_quiet(args.max_load, args.max_wait)
                        report = lighthouse(f"http://127.0.0.1:{p}/{url}", mode, tmp / "lh.json")
                        (tmp / "lh.json").unlink(missing_ok=True)
                        runs.append(summarise(name, url, mode, report, load))
                    all_runs.extend(runs)
                    result = median_result(runs)
                    results.append(result)
                    print_table_row(result)
        finally:
            for server in servers:
                server.shutdown()
    print()
    print(f"served {'without compression' if args.no_gzip else 'with gzip (as GitHub Pages does)'}; "
          f"median of {args.runs} runs per page; load = highest 1-minute load average at a run's start; "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    print_summary(results)
    print_ablations(results)
    if args.json:
        args.json.write_text(json.dumps({"medians": [r.__dict__ for r in results],
                                         "runs": [r.__dict__ for r in all_runs]}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
