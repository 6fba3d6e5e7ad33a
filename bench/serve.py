"""The author's loop: save a page under `mkdocs serve`, see the change in a real browser.

    make bench-serve                          # or: .venv/bin/python bench/serve.py [options]
    .venv/bin/python bench/serve.py --project /tmp/old-checkout   # the same figures for another tree

1. **Save to visible**: copies the guide (mkdocs.yml, docs, overrides, snippets, hooks, kfguide,
   data) into a temporary folder, starts ``mkdocs serve --livereload`` there, opens ``--page``
   (default ``katib/``) in Debian Chromium (Playwright, headless) and saves the page's Markdown
   ``--saves`` times (default 5), each time with a new sentence under the first heading. The
   figure is the time from the save (just before the file is written) until the sentence is in
   the page the browser shows, with no manual refresh: MkDocs' live-reload script has to notice
   the new build and reload. The moment the change is visible is taken *in the page*: an
   init script marks each paragraph for the Element Timing API, which reports the wall-clock
   time the sentence's paragraph was first painted; the bench reads it once Playwright has
   found the sentence. (Playwright's own wait polls at 20, 50, 100, 100 ms and then every
   500 ms, so the moment it notices the sentence is up to half a second later than a reader
   sees it; that figure is printed too, as "polled".) Each save is split into phases from the server's log
   lines, stamped as they arrive (the server runs unbuffered): *notice* (save to "Detected
   file changes": the file watcher), *quiet* (to "Building documentation": MkDocs waits for
   the writes to stop), *build* (to "Reloading browsers": configuration, the Korean build and
   the English one static-i18n runs inside it) and *reload* (to the paint of the sentence:
   live-reload notification, the browser's request of the page and its render-blocking
   styles, parsing, layout and the paint). Printed: each save with its phases and the
   server's own build time, then min / median / max and the median of each phase.
2. **Build overhead**: ``mkdocs build --strict`` of the same copy, ``--builds`` rounds (default
   3), each round every variant in turn: *without hooks* (the ``hooks:`` list removed: no
   checks, figures, search, glossary, translations or site fixes; the ``--strict`` warnings
   this causes (the generated figure is missing) are expected and do not change the work
   done); *with hooks, caches cold* (``.cache/kfguide/`` removed first: Kiwi loads its model
   and analyses every sentence, every page is checked, linked and indexed, every template
   compiled: what a fresh clone or CI pays); *with hooks* (mkdocs.yml as it is, with the
   caches the cold build left: what an author's next build pays); and *with hooks, no
   template speed-ups* (``KFGUIDE_FAST_SERVE=0``: MkDocs compiles the theme's templates for
   each language and lists the theme's icon folders, as it does without hooks, so the hooks'
   own work shows without those gains). Printed: median wall and CPU seconds (user + system of the build process, which a
   busy machine disturbs less) and each variant's ratio to the build without hooks.

The load average is printed before and after: other processes on the machine slow every figure
here down, so compare runs made at a similar load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
CHROMIUM = os.environ.get("KFGUIDE_CHROMIUM", "/usr/bin/chromium")
PROJECT_PARTS = ("mkdocs.yml", "docs", "overrides", "snippets", "hooks", "kfguide", "data")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def copy_project(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PROJECT_PARTS:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.exists():
            shutil.copy2(path, target / name)
    return target


def env(**extra: str) -> dict[str, str]:
    out = dict(os.environ, NO_MKDOCS_2_WARNING="1", KFGUIDE_REPORT="", **extra)
    out.pop("GITHUB_ACTIONS", None)
    # Python's default: compiled modules are written once (__pycache__) and read by later runs.
    # MkDocs, Material and the other packages have theirs from `pip install`; a machine that sets
    # PYTHONDONTWRITEBYTECODE (this one does) would charge the compiling of the copy's kfguide
    # and hooks (~0.14 s) to every build with hooks, which no author's machine pays twice.
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    return out


#: the build caches (kfguide.model.memo.DiskStore files, the style check's morphemes, compiled
#: templates): a fresh clone has none
CACHE = Path(".cache") / "kfguide"


# --- save to visible --------------------------------------------------------------------------


class ServerLog:
    """Lines of the server's output, collected by a thread, with the build times in them."""

    BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.stamps: list[tuple[float, str]] = []  # (time.time() on arrival, line)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            now = time.time()
            with self.lock:
                self.lines.append(line.rstrip("\n"))
                self.stamps.append((now, line))

    def builds(self) -> list[float]:
        with self.lock:
            return [float(m.group(1)) for line in self.lines if (m := self.BUILT.search(line))]

    def first_after(self, since: float, text: str) -> float | None:
        """Arrival time of the first line containing ``text`` that arrived at or after ``since``."""
        with self.lock:
            return next((t for t, line in self.stamps if t >= since and text in line), None)

    def tail(self, n: int = 40) -> str:
        with self.lock:
            return "\n".join(self.lines[-n:])


def wait_for_http(url: str, proc: subprocess.Popen, log: ServerLog, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"mkdocs serve exited early:\n{log.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds} s:\n{log.tail()}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: Runs in every document the browser loads, before the page's own scripts: each paragraph
#: gets an ``elementtiming`` attribute as the parser adds it (before the first paint), and the
#: Element Timing API reports when each one in view is first painted (wall-clock ms).
PAINTED_SCRIPT = """
(() => {
  window.__kfguidePainted = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      window.__kfguidePainted.push([e.element ? e.element.textContent : "",
                                    performance.timeOrigin + (e.renderTime || e.loadTime)]);
  }).observe({type: "element", buffered: true});
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes)
      if (n.nodeType === 1 && n.tagName === "P") n.setAttribute("elementtiming", "kfguide");
  }).observe(document, {childList: true, subtree: true});
})();
"""

#: Wall-clock ms at which the paragraph holding ``marker`` was first painted, once known.
PAINTED_AT = """(marker) => {
  const hit = (window.__kfguidePainted || []).find(([text]) => text.includes(marker));
  return hit ? hit[1] : null;
}"""

PHASES = ("notice", "quiet", "build", "reload")


def phases(log: ServerLog, saved: float, shown: float) -> dict[str, float] | None:
    """Seconds of each phase of one save, from the server's stamped log lines (None when a
    line is missing, e.g. two rebuilds for one save)."""
    detected = log.first_after(saved, "Detected file changes")
    building = detected and log.first_after(detected, "Building documentation")
    reloading = building and log.first_after(building, "Reloading browsers")
    if not (detected and building and reloading) or reloading > shown:
        return None
    return {"notice": detected - saved, "quiet": building - detected,
            "build": reloading - building, "reload": shown - reloading}


def save_to_visible(project: Path, page: str, saves: int, settle: float) -> list[dict]:
    """For each save: seconds from save to visible in the page (``seconds``) and as
    Playwright's polling noticed it (``polled``), the server's build seconds (``build``) and
    the phases (``phases``, see :func:`phases`)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    source = project / "docs" / (page.strip("/").removeprefix("en/") or "index")
    source = source.with_suffix(".en.md" if page.startswith("en/") else ".md")
    if page.strip("/") == "":
        source = project / "docs" / "index.md"
    original = source.read_text(encoding="utf-8")
    heading = re.search(r"(?m)^# .*\n", original)
    if heading is None:
        sys.exit(f"{source}: no '# ' heading to add a sentence under")
    port = free_port()
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env(PYTHONUNBUFFERED="1"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    log = ServerLog(proc)
    results: list[dict] = []
    try:
        url = f"http://127.0.0.1:{port}/{page}"
        wait_for_http(url, proc, log)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            tab = browser.new_page()
            tab.add_init_script(PAINTED_SCRIPT)
            tab.goto(url, wait_until="load")  # live reload long-polls: never network-idle
            time.sleep(settle)
            for n in range(1, saves + 1):
                marker = f"저장 {n}회차 확인 문장 {port}"
                text = original[: heading.end()] + f"\n{marker}\n" + original[heading.end():]
                builds_before = len(log.builds())
                started, saved = time.monotonic(), time.time()
                source.write_text(text, encoding="utf-8")
                tab.locator("article").get_by_text(marker).wait_for(state="visible", timeout=120_000)
                polled = time.monotonic() - started
                # The page reports the paint of the sentence's paragraph a moment after it
                # happened; Playwright may have found the sentence before it was painted.
                try:
                    shown = tab.wait_for_function(PAINTED_AT, arg=marker, timeout=30_000).json_value() / 1000
                except PlaywrightTimeout:
                    sys.exit(f"save {n}: the page showed the sentence but reported no paint of a <p> holding it "
                             f"within 30 s (Element Timing); pick a --page whose first heading is followed by a paragraph")
                seconds = shown - saved
                # The build that produced this page has logged its time by now (or a moment later).
                deadline = time.monotonic() + 5
                while len(log.builds()) <= builds_before and time.monotonic() < deadline:
                    time.sleep(0.05)
                builds = log.builds()[builds_before:]
                split = phases(log, saved, shown)
                results.append({"seconds": seconds, "polled": polled,
                                "build": builds[-1] if builds else None, "phases": split})
                build = f"{builds[-1]:.2f} s" if builds else "?"
                parts = ", ".join(f"{k} {v:.2f}" for k, v in split.items()) if split else "phases ?"
                print(f"  save {n}: visible after {seconds:.2f} s (polled {polled:.2f} s; {parts}; "
                      f"server build {build})", flush=True)
                time.sleep(settle)
            browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
        for sig in ("TERM", "KILL"):
            try:
                os.killpg(proc.pid, getattr(__import__("signal"), f"SIG{sig}"))
                proc.wait(timeout=20)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
    return results


# --- build with and without hooks ------------------------------------------------------------


def without_hooks(config: Path) -> Path:
    text = config.read_text(encoding="utf-8")
    stripped = re.sub(r"(?m)^hooks:\n(?:(?:  - .*)?\n)+", "", text)
    if stripped == text:
        sys.exit(f"{config}: no hooks: block to remove")
    target = config.with_name("mkdocs.nohooks.yml")
    target.write_text(stripped, encoding="utf-8")
    return target


def timed_build(config: Path, site: Path, strict_warnings_ok: bool = False,
                extra_env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the child, return code). ``strict_warnings_ok``: a build
    that ends "Aborted with N warnings in strict mode" counts (it did all the work)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen([PYTHON, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                                cwd=config.parent, env=env(**(extra_env or {})), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            out.seek(0)
            tail = out.read().decode("utf-8", "replace")[-3000:]
            if not (strict_warnings_ok and "Aborted with" in tail):
                sys.exit(f"build of {config} failed (exit {code}):\n{tail}")
        return wall, usage.ru_utime + usage.ru_stime, code


#: The build variants, run in this order in each round: (name, hooks?, remove the caches first?,
#: extra environment). The cold build comes right before the warm one, which reads what it left.
VARIANTS = (
    ("without hooks", False, False, None),
    ("with hooks, caches cold", True, True, None),
    ("with hooks", True, False, None),
    ("with hooks, no template speed-ups", True, False, {"KFGUIDE_FAST_SERVE": "0"}),
)


def build_overhead(project: Path, builds: int) -> dict[str, list[tuple[float, float]]]:
    """{variant: [(wall, CPU), ...]} over ``builds`` rounds of :data:`VARIANTS`."""
    config = project / "mkdocs.yml"
    plain = without_hooks(config)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in VARIANTS}
    for n in range(builds):
        for name, hooks, cold, extra in VARIANTS:
            if cold:
                shutil.rmtree(project / CACHE, ignore_errors=True)
            cfg = config if hooks else plain
            wall, cpu, _ = timed_build(cfg, project / f"site-{n}", strict_warnings_ok=not hooks, extra_env=extra)
            runs[name].append((wall, cpu))
            print(f"  build {n + 1} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
            shutil.rmtree(project / f"site-{n}", ignore_errors=True)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="tree to copy (default: this checkout)")
    parser.add_argument("--page", default="katib/", help="page to open and edit (site path)")
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--settle", type=float, default=1.5, help="seconds to wait between saves")
    parser.add_argument("--builds", type=int, default=3, help="strict builds per variant (0: skip)")
    parser.add_argument("--no-serve", action="store_true", help="only the build comparison")
    args = parser.parse_args(argv)

    print(f"bench/serve.py on {args.project.resolve()} ({load()})")
    with tempfile.TemporaryDirectory(prefix="kfguide-serve-") as tmp:
        project = copy_project(args.project.resolve(), Path(tmp) / "project")
        if not args.no_serve:
            print(f"Save to visible: {args.saves} saves of {args.page} under `mkdocs serve`, Chromium")
            results = save_to_visible(project, args.page, args.saves, args.settle)
            times = [r["seconds"] for r in results]
            polled = [r["polled"] for r in results]
            builds = [r["build"] for r in results if r["build"] is not None]
            print(f"save -> visible: min {min(times):.2f} s, median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s (server rebuild median "
                  f"{statistics.median(builds) if builds else float('nan'):.2f} s; as polled by "
                  f"Playwright: median {statistics.median(polled):.2f} s)")
            splits = [r["phases"] for r in results if r["phases"]]
            if splits:
                print(f"phases, median of {len(splits)} saves: " + ", ".join(
                    f"{k} {statistics.median(s[k] for s in splits):.2f} s" for k in PHASES))
        if args.builds:
            print(f"Strict build, {args.builds} rounds, each variant in turn (without hooks: `hooks:` removed)")
            runs = build_overhead(project, args.builds)
            wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
            cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
            base_wall, base_cpu = wall["without hooks"], cpu["without hooks"]
            print(f"build without hooks: {base_wall:.2f} s wall, {base_cpu:.2f} s CPU (medians)")
            for name, *_ in VARIANTS[1:]:
                print(f"build {name}: {wall[name]:.2f} s wall, {cpu[name]:.2f} s CPU; "
                      f"ratio {wall[name] / base_wall:.2f}x wall, {cpu[name] / base_cpu:.2f}x CPU")
    print(f"({load()} at the end)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
