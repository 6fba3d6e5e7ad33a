"""What the Korean style check adds to the build of the real guide (make bench-style).

Prints, each the median of ``--repeat`` runs in fresh processes on a copy of the repository:

* ``build without style``: ``mkdocs build --strict`` with ``KFGUIDE_STYLE=0`` (every other
  check runs);
* ``build, style cold``: the same build with the style check and no caches (Kiwi loads its
  model and analyses every sentence): what a fresh clone (CI) pays once;
* ``build, style warm``: the same with the caches the previous build left (each unchanged
  page's findings are read back, no model load): what every later build pays;
* the difference of each from the build without style, in seconds and as a fraction, and the
  style check alone (in-process, cold and warm, with Kiwi's model load and analysis times);
* the time the checks hook itself reports inside each build (``hooks/checks: ... (X s)``):
  the style check's share of the build without the noise of the rest of the build;
* the load average before and after, since the machine is shared and the figures move with it.

The three builds run interleaved, so a change in the machine's load touches all of them.
Nothing is asserted: the figures are for README "문체 검사" and the lead's notes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the morpheme cache and the findings cache (kfguide.checks.style.FindingsCache): cold removes both
CACHES = (".cache/kfguide/style-morphemes.json", ".cache/kfguide/style-findings.json")

_STYLE_RUN = r"""
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from kfguide.checks import style
from kfguide.model.site import SiteConfig, load_site
root = Path(sys.argv[1])
config, _ = SiteConfig.from_mkdocs_yml(root / "mkdocs.yml")
site = load_site(root / "docs", config, root=root)
found = style.check_style(site, root=root)
counts = {}
for f in found:
    counts[f.check] = counts.get(f.check, 0) + 1
print(json.dumps({"seconds": time.perf_counter() - started, "counts": counts,
                  "run": {k: v for k, v in style.LAST_RUN.items() if k != "unknown_words"}}))
"""


def _style_once(root: Path, cold: bool) -> dict:
    if cold:
        for cache in CACHES:
            (root / cache).unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", _STYLE_RUN, str(root)], capture_output=True, text=True,
                         check=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


_HOOK_TIME = re.compile(r"hooks/checks: \d+ findings in \d+ pages \(([\d.]+) s\)")


def _build_once(root: Path, site: Path, style: bool, cold: bool = False) -> tuple[float, float]:
    """(seconds of the whole build, seconds the checks hook reports)."""
    if cold:
        for cache in CACHES:
            (root / cache).unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", KFGUIDE_REPORT="", KFGUIDE_STYLE="1" if style else "0")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=root,
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"the build failed:\n{proc.stderr[-3000:]}")
    hook = _HOOK_TIME.search(proc.stderr)
    return seconds, float(hook.group(1)) if hook else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the repository's sources, so the real .cache is left alone
        root = Path(tmp) / "guide"
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".cache",
                                                                   "reports", ".git", "__pycache__"))
        site = Path(tmp) / "site"
        plain, cold_builds, warm_builds = [], [], []
        for _ in range(args.repeat):
            plain.append(_build_once(root, site, style=False))
            cold_builds.append(_build_once(root, site, style=True, cold=True))
            warm_builds.append(_build_once(root, site, style=True))
        cold = [_style_once(root, cold=True) for _ in range(args.repeat)]
        warm = [_style_once(root, cold=False) for _ in range(args.repeat)]
    load_after = os.getloadavg()
    base = statistics.median(b for b, _ in plain)
    b_cold = statistics.median(b for b, _ in cold_builds)
    b_warm = statistics.median(b for b, _ in warm_builds)
    h_plain, h_cold, h_warm = (statistics.median(h for _, h in runs) for runs in (plain, cold_builds, warm_builds))
    cold_s = statistics.median(r["seconds"] for r in cold)
    warm_s = statistics.median(r["seconds"] for r in warm)
    load = statistics.median(r["run"]["load_seconds"] for r in cold)
    analyse = statistics.median(r["run"]["analyse_seconds"] for r in cold)
    print(f"guide: {cold[-1]['run'].get('pages')} Korean pages, {cold[-1]['run'].get('misses')} sentences "
          f"analysed cold; median of {args.repeat} runs")
    print(f"load average (1 min): {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end; "
          f"{os.cpu_count()} CPUs")
    print(f"build without style (KFGUIDE_STYLE=0): {base:6.2f} s")
    print(f"build, style cold (no cache):          {b_cold:6.2f} s   adds {b_cold - base:+6.2f} s = "
          f"{(b_cold - base) / base:+6.1%} of the build")
    print(f"build, style warm (cache):             {b_warm:6.2f} s   adds {b_warm - base:+6.2f} s = "
          f"{(b_warm - base) / base:+6.1%} of the build")
    print(f"checks hook inside the build:        {h_plain:6.2f} s without style, {h_warm:.2f} s warm "
          f"(style {h_warm - h_plain:+.2f} s = {(h_warm - h_plain) / base:+.1%} of the build), {h_cold:.2f} s cold "
          f"(style {h_cold - h_plain:+.2f} s)")
    print(f"style check alone, cold:               {cold_s:6.2f} s   (Kiwi model load {load:.2f} s, "
          f"analysis {analyse:.2f} s)")
    print(f"style check alone, warm:               {warm_s:6.2f} s   = {warm_s / base:5.1%} of the build")
    print("findings per rule:", json.dumps(warm[-1]["counts"], ensure_ascii=False, sort_keys=True) or "{}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
